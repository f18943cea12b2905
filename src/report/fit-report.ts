// The result of a fit as users read it: one data object, rendered as a terminal table or as the
// JSON document of ../shared/CLI.md.

import type { NmfResult } from '../nmf/fit.js';
import type { PersonaSummary } from '../personas/describe.js';
import type { IngestSummary } from '../ingest/ingest.js';
import type { FittedTransform } from '../transform/transforms.js';
import { count, formatTable, percent } from './format.js';

export interface FitReport {
  readonly input: Partial<IngestSummary> & { readonly users: number; readonly rowsRead: number; readonly skipped: Readonly<Record<string, number>> };
  readonly events: readonly string[];
  readonly transform: FittedTransform;
  readonly fit: Omit<NmfResult, 'W' | 'H'>;
  readonly personas: readonly PersonaSummary[];
  readonly threads: number;
  readonly timings: { readonly ingestSeconds: number; readonly totalSeconds: number };
}

/** The `--json` document of `fit` (and `demo`). */
export function fitReportJson(r: FitReport) {
  const f = r.fit;
  return {
    input: {
      ...r.input,
      users: r.input.users,
      events: r.events,
      rows: r.input.rowsRead,
      skipped: r.input.skipped,
    },
    k: f.k,
    transform: r.transform,
    fit: {
      solver: f.solver, loss: f.loss, init: f.init, iterations: f.iterations, converged: f.converged,
      reconstructionError: f.reconstructionError, relativeError: f.relativeError, simd: f.simd, threads: r.threads, seed: f.seed,
      timings: { ingestSeconds: r.timings.ingestSeconds, initSeconds: f.timings.initSeconds, iterateSeconds: f.timings.iterateSeconds, totalSeconds: r.timings.totalSeconds },
    },
    personas: r.personas.map((p) => ({
      id: p.id, name: p.name, users: p.users, share: p.share, meanConfidence: p.meanConfidence,
      topEvents: p.topEvents.map((e) => ({ event: e.event, weight: e.weight, lift: e.lift })),
    })),
  };
}

/** Persona table for the terminal; `extra` adds a column (e.g. the planted persona in the demo). */
export function personasTable(personas: readonly PersonaSummary[], extra?: { header: string; cell: (p: PersonaSummary) => string }): string {
  const header = ['#', 'persona (suggested name)', 'users', 'share', 'top events (lift)', ...(extra ? [extra.header] : [])];
  const rows = personas.map((p) => [
    String(p.id), p.name, count(p.users), percent(p.share),
    p.topEvents.slice(0, 3).map((e) => `${e.event} ×${e.lift.toFixed(1)}`).join(', '),
    ...(extra ? [extra.cell(p)] : []),
  ]);
  return formatTable(header, rows, extra ? 'rlrrll' : 'rlrrl');
}

export function fitLine(r: FitReport): string {
  const f = r.fit;
  return `Fit: k = ${f.k}, ${f.solver}/${f.loss}, init ${f.init}, transform ${r.transform.name}; ${f.iterations} iterations${f.converged ? '' : ' (not converged: raise --max-iter)'}, relative error ${f.relativeError.toFixed(3)}, ${r.timings.totalSeconds.toFixed(2)} s (${f.simd ? 'SIMD' : 'scalar'})`;
}

export function fitReportText(r: FitReport): string {
  const small = r.personas.filter((p) => p.share < 0.01);
  return [
    fitLine(r),
    '',
    personasTable(r.personas),
    ...(small.length ? [`Personas under 1 % of users (${small.map((p) => `#${p.id}`).join(', ')}) are too small to act on; try a smaller k.`, ''] : []),
  ].join('\n');
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
