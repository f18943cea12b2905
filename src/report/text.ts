// The terminal report: one line about the fit, one table row per persona.

import type { IngestSummary } from '../ingest/ingest.js';
import type { PersonaSummary } from '../personas/describe.js';
import { count, formatTable, percent } from './format.js';
import { outcomeColumns, type ReportData } from './report-data.js';
import { surveyText } from './survey.js';
import type { PersonaModel } from '../model/model.js';

export function fitLine(d: ReportData): string {
  const f = d.model.fit;
  const run = d.run ? `, ${d.run.timings.totalSeconds.toFixed(2)} s (${d.run.simd ? 'SIMD' : 'scalar'})` : '';
  const { sample, miniBatch } = d.model;
  const start = miniBatch ? `mini-batch from a fit on a sample of ${count(miniBatch.sampleUsers)} users` : `init ${f.init}${sample ? ` on a sample of ${count(sample.users)} users` : ''}`;
  const steps = miniBatch ? `${plural(miniBatch.epochs, 'epoch')}, ${plural(miniBatch.steps, 'step')} of ${count(miniBatch.batchSize)} users` : plural(f.iterations, 'iteration');
  return `Fit: k = ${d.model.k}, ${f.solver}/${f.loss}, ${start}, transform ${d.model.transform.name}; ${steps}${f.converged ? '' : ' (not converged: raise --max-iter)'}, relative error ${f.relativeError.toFixed(3)}${run}`;
}

const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

/** Persona table; `extra` columns after the standard ones. */
export function personasTable(personas: readonly PersonaSummary[], extra: readonly { header: string; cell: (p: PersonaSummary) => string }[] = []): string {
  const header = ['#', 'persona', 'users', 'share', 'top events (lift)', ...extra.map((e) => e.header)];
  const rows = personas.map((p) => [
    String(p.id), p.name, count(p.users), percent(p.share) + (p.actionable ? '' : ' *'),
    p.topEvents.slice(0, 3).map((e) => `${e.event} ×${e.lift.toFixed(1)}`).join(', '),
    ...extra.map((e) => e.cell(p)),
  ]);
  return formatTable(header, rows, 'rlrrl' + 'l'.repeat(extra.length));
}

export function reportText(d: ReportData): string {
  const m = d.model;
  const outcomes = outcomeColumns(m).map((c) => ({ header: c.label, cell: (p: PersonaSummary) => c.stat(p.id) }));
  const small = m.personas.filter((p) => !p.actionable);
  const survey = d.survey ?? m.survey;
  const lines = [...(survey ? [surveyText(survey)] : []), fitLine(d), '', personasTable(m.personas, outcomes)];
  if (m.outcomes) {
    lines.push(`All users: ${outcomeColumns(m).map((c) => `${c.label} ${c.stat('all')}`).join(' · ')} (95 % intervals; ${count(m.outcomes.usersWithoutOutcome)} users had no outcome)`, '');
  }
  if (small.length) lines.push(`* under 1 % of users: too small to act on (${small.map((p) => `#${p.id}`).join(', ')}); consider a smaller k.`, '');
  if (m.lineage) lines.push(lineageText(m), '');
  return lines.join('\n');
}

/** How this model's personas continue an earlier model's (fit --match-model). */
export function lineageText(m: PersonaModel): string {
  const l = m.lineage!;
  const kept = l.personas.filter((p) => p.previousId !== null);
  const added = l.personas.filter((p) => p.previousId === null);
  const parts = [`Matched to the model of ${l.previousModel.createdAt.slice(0, 10)} (${l.previousModel.source}, k = ${l.previousModel.k}): ${kept.length} personas carried over` +
    (kept.length ? ` (${kept.map((p) => `#${p.previousId}→#${p.id} ${p.similarity.toFixed(2)}`).join(', ')})` : '')];
  if (added.length) parts.push(`new: ${added.map((p) => `#${p.id} ${m.names[p.id]} (closest earlier profile ${p.similarity.toFixed(2)})`).join('; ')}`);
  if (l.vanished.length) parts.push(`vanished: ${l.vanished.map((v) => `#${v.previousId} ${v.name} (best match ${v.bestSimilarity.toFixed(2)})`).join('; ')}`);
  return parts.join('. ') + '.';
}

/** The input summary printed on every run (stderr). */
export function inputSummaryText(s: IngestSummary): string {
  const columns = Object.entries(s.columns).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`).join(', ');
  const lines = [
    `read ${s.source}: ${s.format}${s.vendor ? ` (${s.vendor} export)` : ''} format, columns ${columns}; ${count(s.rowsRead)} rows, ${count(s.rowsUsed)} used` +
      (s.rowsOutsideWindow ? `, ${count(s.rowsOutsideWindow)} outside the time window` : ''),
    `users: ${count(s.users)}` + (s.usersWithoutSelectedEvents ? ` (${count(s.usersWithoutSelectedEvents)} more set aside: no selected event)` : '') +
      ` · events: ${count(s.events)} of ${count(s.eventsSeen)} seen · non-zeros ${count(s.nonzeros)} (density ${s.density.toFixed(3)}, ${s.storage})`,
  ];
  const reasons = Object.entries(s.skipped);
  if (reasons.length) {
    const total = reasons.reduce((a, [, n]) => a + n, 0);
    lines.push(`skipped ${count(total)} malformed rows: ` + reasons.map(([reason, n]) => `${count(n)} ${reason} (line${s.skippedLines[reason]!.length > 1 ? 's' : ''} ${s.skippedLines[reason]!.join(', ')}${n > s.skippedLines[reason]!.length ? ', …' : ''})`).join('; '));
  }
  for (const w of s.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n') + '\n';
}
