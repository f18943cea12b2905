// The Markdown report: for a wiki page or a pull request.

import { count, percent } from './format.js';
import { outcomeColumns, type ReportData } from './report-data.js';
import { fitLine } from './text.js';
import { surveyMarkdown } from './survey.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function reportMarkdown(d: ReportData): string {
  const m = d.model;
  const outcomes = outcomeColumns(m);
  const out: string[] = [
    `# Personas of ${cell(m.input.source)}`,
    '',
    `${count(m.input.users)} users` + (m.input.usersSetAside ? ` (and ${count(m.input.usersSetAside)} with no selected event, unassigned)` : '') + `, ${m.events.length} events, ${m.k} personas.`,
    '',
    fitLine(d),
    '',
    `| # | persona | users | share | top events (lift) |${outcomes.map((c) => ` ${cell(c.label)} |`).join('')}`,
    `|---:|---|---:|---:|---|${outcomes.map(() => '---|').join('')}`,
    ...m.personas.map((p) => `| ${p.id} | ${cell(p.name)}${p.actionable ? '' : ' (under 1 %)'} | ${count(p.users)} | ${percent(p.share)} | ${p.topEvents.slice(0, 3).map((e) => `${cell(e.event)} ×${e.lift.toFixed(1)}`).join(', ')} |${outcomes.map((c) => ` ${c.stat(p.id)} |`).join('')}`),
    ...(outcomes.length ? [`| | all users | | | |${outcomes.map((c) => ` ${c.stat('all')} |`).join('')}`] : []),
    '',
  ];
  const survey = d.survey ?? m.survey;
  if (survey) out.push(surveyMarkdown(survey));
  for (const p of m.personas) {
    out.push(`## ${p.id}. ${cell(p.name)}`, '');
    out.push(`${count(p.users)} users (${percent(p.share)})${p.actionable ? '' : ' — under 1 % of users: too small to act on'}; mean membership confidence ${p.meanConfidence.toFixed(2)}.`, '');
    out.push('| top event | weight | lift | specificity |', '|---|---:|---:|---:|');
    for (const e of p.topEvents) out.push(`| ${cell(e.event)} | ${percent(e.weight)} | ${e.lift.toFixed(2)} | ${e.specificity.toFixed(2)} |`);
    out.push('');
    if (p.moreThanAverage.length) out.push(`More than average: ${p.moreThanAverage.map((e) => `${cell(e.event)} ×${e.lift.toFixed(1)}`).join(', ')}.`, '');
    if (p.lessThanAverage.length) out.push(`Less than average: ${p.lessThanAverage.map((e) => `${cell(e.event)} ×${e.lift.toFixed(2)}`).join(', ')}.`, '');
  }
  out.push(`Weight: the event's share of the persona's profile. Lift: the persona's mean count ÷ everyone's. Specificity (Kim & Park 2007): 1 when an event belongs to one persona only, 0 when spread evenly.`);
  if (m.outcomes) out.push('', `Outcomes from ${cell(m.outcomes.source)} (column ${cell(m.outcomes.column)}), 95 % intervals (Wilson for rates, normal for means); ${count(m.outcomes.usersWithoutOutcome)} assigned users had no outcome.`);
  return out.join('\n') + '\n';
}
