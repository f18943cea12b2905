// Reports of a comparison across periods: terminal text, JSON, Markdown, and a self-contained HTML
// page with the time chart (persona shares per period, and the share of users the model explains
// poorly against its calibrated level), the changes with their significance, who moved between
// personas, and any emerging persona.

import type { CompareResult, PeriodReport } from '../drift/compare.js';
import { count, formatTable } from './format.js';
import { REPORT_CSS, escapeHtml as e, htmlPage, personaColor } from './html.js';

const DRIFT_CSS = `${REPORT_CSS}
.up{color:#1b7f4b}.down{color:#b3261e}.flag{background:#fdecea;border-radius:8px;padding:10px 14px;margin:8px 0}
.trans td{width:54px;height:30px;text-align:center;font-size:12px;border-radius:3px}.trans th{font-weight:500;font-size:12.5px;padding:2px 6px}
`;

const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)} %`;
const points = (x: number) => `${x >= 0 ? '+' : '−'}${(100 * Math.abs(x)).toFixed(1)}`;
const stars = (p: number | undefined) => (p === undefined ? '' : p < 0.001 ? '***' : p < 0.01 ? '**' : p < 0.05 ? '*' : '');

/** The JSON document of `personas compare --json`. */
export function compareJson(r: CompareResult, source: { model: string; inputs: readonly string[] }) {
  return { model: source.model, inputs: source.inputs, ...r };
}

export function compareText(r: CompareResult): string {
  const header = ['persona', ...r.periods.map((p) => p.label)];
  const rows = r.names.map((name, t) => [`#${t} ${name}`, ...r.periods.map((p) => {
    const s = p.personas[t]!;
    return `${pct(s.share)}${s.change !== undefined ? ` (${points(s.change)}${stars(s.pValue)})` : ''}`;
  })]);
  rows.push(['poorly explained', ...r.periods.map((p) => `${pct(p.poorlyExplained.share)}${p.poorlyExplained.alarm ? ' !' : ''}`)]);
  rows.push(['users', ...r.periods.map((p) => count(p.users))]);
  let out = `Persona shares per period (change in points vs the previous period; * p < 0.05, ** p < 0.01, *** p < 0.001):\n`;
  out += formatTable(header, rows, 'l' + 'r'.repeat(r.periods.length));
  out += `\nPoorly explained: users whose relative residual exceeds ${r.calibration.threshold.toFixed(3)}, the ${Math.round(100 * r.calibration.quantile)}th percentile of ${r.calibration.source === 'model' ? "the fit's users" : "the first period's users"} (${pct(1 - r.calibration.quantile, 0)} expected); ! = more than expected at z ≥ ${alarmOf(r)}.\n`;
  for (const p of r.periods) if (p.newComponent && (p.emerging || p === r.periods.at(-1))) out += newcomerLine(p, r);
  out += r.firstEmerging ? `Emerging persona first flagged in ${r.firstEmerging}.\n` : 'No emerging persona flagged.\n';
  const last = r.transitions.at(-1);
  if (last) out += `\nUsers in both ${last.from} and ${last.to}: ${count(last.users)}; ${count(stayed(last.counts))} kept their persona.\n`;
  return out;
}

export function compareMarkdown(r: CompareResult): string {
  const head = `| persona | ${r.periods.map((p) => p.label).join(' | ')} |\n|---|${r.periods.map(() => '---:').join('|')}|\n`;
  const rows = r.names.map((name, t) => `| #${t} ${name} | ${r.periods.map((p) => {
    const s = p.personas[t]!;
    return `${pct(s.share)}${s.change !== undefined ? ` (${points(s.change)}${stars(s.pValue).replace(/\*/g, '\\*')})` : ''}`;
  }).join(' | ')} |\n`).join('');
  const poor = `| poorly explained | ${r.periods.map((p) => `${pct(p.poorlyExplained.share)}${p.poorlyExplained.alarm ? ' ⚠' : ''}`).join(' | ')} |\n`;
  const news = r.periods.filter((p) => p.newComponent && (p.emerging || p === r.periods.at(-1))).map((p) => `- ${newcomerLine(p, r).trim()}\n`).join('');
  return `# Personas over time\n\n${head}${rows}${poor}\n${news}\n${r.firstEmerging ? `**Emerging persona first flagged in ${r.firstEmerging}.**` : 'No emerging persona flagged.'}\n`;
}

export function compareHtml(r: CompareResult, title: string): string {
  const last = r.transitions.at(-1);
  const emerging = r.periods.filter((p) => p.emerging);
  return htmlPage(title, DRIFT_CSS, `<header>
  <h1>${e(title)}</h1>
  <p class="sub">${r.periods.length} periods · ${r.k} personas · ${r.firstEmerging ? `<b>emerging persona first flagged in ${e(r.firstEmerging)}</b>` : 'no emerging persona flagged'}</p>
</header>
<main>
<section>
  <h2>Persona mix over time</h2>
  <p class="note">Share of each period's assigned users per persona. The dashed line is the share of users the model explains poorly, against the ${pct(1 - r.calibration.quantile, 0)} its calibration expects (dotted); a marked period is more than ${alarmOf(r)} standard errors above it.</p>
  ${timeChart(r)}
</section>
${emerging.length || r.periods.at(-1)?.newComponent ? `<section><h2>New behaviour</h2>${r.periods.filter((p) => p.newComponent && (p.emerging || p === r.periods.at(-1))).map((p) => `<p class="${p.emerging ? 'flag' : 'note'}">${e(newcomerLine(p, r).trim())}</p>`).join('')}</section>` : ''}
<section>
  <h2>Changes</h2>
  <p class="note">Share and change from the previous period in percentage points; * p &lt; 0.05, ** p &lt; 0.01, *** p &lt; 0.001 (two-proportion z-test).</p>
  <div class="scroll">${sharesTable(r)}</div>
</section>
${last ? `<section><h2>Who moved, ${e(last.from)} → ${e(last.to)}</h2><p class="note">${count(last.users)} users active in both periods; rows: persona before, columns: after.</p><div class="scroll">${transitionTable(r, last.counts)}</div></section>` : ''}
</main>
<footer>Calibration: relative residual threshold ${r.calibration.threshold.toFixed(3)} (${Math.round(100 * r.calibration.quantile)}th percentile of ${r.calibration.source === 'model' ? "the fit's users" : "the first period's users"}).</footer>`);
}

function alarmOf(r: CompareResult): string {
  return String(r.alarmZ);
}

function newcomerLine(p: PeriodReport, r: CompareResult): string {
  const c = p.newComponent!;
  const what = c.bestSimilarity < 0.5 ? 'matches no persona' : `resembles #${c.closestPersona} ${r.names[c.closestPersona]}`;
  return `${p.label}: a k + 1 refit finds a component holding ${pct(c.share)} of users that ${what} (best similarity ${c.bestSimilarity.toFixed(2)}): ${c.topEvents.map((t) => t.event).join(', ')}${p.emerging ? ' — emerging persona' : ''}.\n`;
}

function stayed(counts: readonly (readonly number[])[]): number {
  return counts.reduce((s, row, i) => s + row[i]!, 0);
}

function timeChart(r: CompareResult): string {
  const W = 960, H = 300, left = 50, right = 190, top = 14, bottom = 44;
  const n = r.periods.length;
  const x = (i: number) => left + (n > 1 ? (i / (n - 1)) * (W - left - right) : (W - left - right) / 2);
  const max = Math.max(0.05, ...r.periods.flatMap((p) => [...p.personas.map((s) => s.share), p.poorlyExplained.share])) * 1.1;
  const y = (v: number) => H - bottom - (v / max) * (H - top - bottom);
  const parts: string[] = [];
  for (let g = 0; g <= 4; g++) {
    const v = (g / 4) * max;
    parts.push(`<line x1="${left}" x2="${W - right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e3e6ee"/><text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" class="tick">${(100 * v).toFixed(0)} %</text>`);
  }
  r.periods.forEach((p, i) => parts.push(`<text x="${x(i).toFixed(1)}" y="${H - bottom + 18}" text-anchor="middle" class="tick">${e(p.label)}</text>`));
  const labels: { y: number; text: string; color: string }[] = [];
  const line = (values: number[], color: string, dash: string, label: string) => {
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2.2"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"><title>${e(label)}</title></polyline>`);
    labels.push({ y: y(values.at(-1)!) + 4, text: label.length > 24 ? `${label.slice(0, 23)}…` : label, color });
  };
  r.names.forEach((name, t) => line(r.periods.map((p) => p.personas[t]!.share), personaColor(t), '', name));
  line(r.periods.map((p) => p.poorlyExplained.share), '#5c6478', '6 4', 'poorly explained');
  // End labels, pushed apart so close lines stay readable.
  labels.sort((a, b) => a.y - b.y);
  labels.forEach((l, i) => { if (i > 0) l.y = Math.max(l.y, labels[i - 1]!.y + 14); });
  for (const l of labels) parts.push(`<text x="${W - right + 8}" y="${l.y.toFixed(1)}" class="lbl" fill="${l.color}">${e(l.text)}</text>`);
  parts.push(`<line x1="${left}" x2="${W - right}" y1="${y(1 - r.calibration.quantile).toFixed(1)}" y2="${y(1 - r.calibration.quantile).toFixed(1)}" stroke="#5c6478" stroke-dasharray="2 3"/>`);
  r.periods.forEach((p, i) => {
    if (p.poorlyExplained.alarm) parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(p.poorlyExplained.share).toFixed(1)}" r="6" fill="${p.emerging ? '#D55E00' : '#fff'}" stroke="#D55E00" stroke-width="2"><title>${e(p.label)}: ${pct(p.poorlyExplained.share)} poorly explained, z = ${p.poorlyExplained.z.toFixed(1)}${p.emerging ? ', emerging persona' : ''}</title></circle>`);
  });
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="persona shares per period">${parts.join('')}</svg>`;
}

function sharesTable(r: CompareResult): string {
  const head = `<tr><th>persona</th>${r.periods.map((p) => `<th>${e(p.label)}</th>`).join('')}</tr>`;
  const rows = r.names.map((name, t) => `<tr><th class="rowh"><span class="dot" style="background:${personaColor(t)}"></span>${e(name)}</th>${r.periods.map((p) => {
    const s = p.personas[t]!;
    const cls = s.change === undefined || !(s.pValue! < 0.05) ? '' : s.change > 0 ? 'up' : 'down';
    return `<td>${pct(s.share)}${s.change !== undefined ? ` <small class="${cls}">${points(s.change)}${stars(s.pValue)}</small>` : ''}</td>`;
  }).join('')}</tr>`).join('');
  const poor = `<tr><th class="rowh">poorly explained</th>${r.periods.map((p) => `<td${p.poorlyExplained.alarm ? ' class="down"' : ''}>${pct(p.poorlyExplained.share)}${p.poorlyExplained.alarm ? ' ⚠' : ''}</td>`).join('')}</tr>`;
  const users = `<tr><th class="rowh">users</th>${r.periods.map((p) => `<td>${count(p.users)}</td>`).join('')}</tr>`;
  return `<table class="survey">${head}${rows}${poor}${users}</table>`;
}

function transitionTable(r: CompareResult, counts: readonly (readonly number[])[]): string {
  const labels = [...r.names.map((n, t) => `#${t} ${n}`), 'unassigned'];
  const max = Math.max(1, ...counts.flat());
  const head = `<tr><th></th>${labels.map((l) => `<th>${e(l.length > 14 ? `${l.slice(0, 13)}…` : l)}</th>`).join('')}</tr>`;
  const rows = counts.map((row, i) => `<tr><th class="rowh">${e(labels[i]!)}</th>${row.map((c) => `<td style="background:rgba(0,114,178,${(0.08 + 0.8 * Math.sqrt(c / max)).toFixed(2)});color:${c / max > 0.35 ? '#fff' : 'inherit'}">${c ? count(c) : ''}</td>`).join('')}</tr>`).join('');
  return `<table class="trans">${head}${rows}</table>`;
}
