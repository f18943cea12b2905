// The HTML report: one self-contained page (inline CSS and SVG, no script, no network request) that
// a product team can open, print or attach: the persona mix, a card per persona, the persona × event
// heatmap, the membership-confidence distribution and, when given, outcomes with their intervals.

import type { PersonaSummary } from '../personas/describe.js';
import { count, percent } from './format.js';
import { outcomeColumns, type ReportData } from './report-data.js';
import { surveySvg } from './survey.js';
import type { SelectKResult } from '../select-k/select-k.js';

/** Colour-blind-safe categorical palette (Okabe–Ito, then Tableau's), one per persona. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#4E79A7', '#B07AA1', '#76B7B2', '#EDC948', '#FF9DA7', '#9C755F', '#59A14F'];
export const personaColor = (id: number) => PALETTE[id % PALETTE.length]!;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
const e = escapeHtml;

/** A self-contained page: the document head (title, styles) around `body`, the part each report writes. */
export function htmlPage(title: string, css: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>${css}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

export function reportHtml(d: ReportData): string {
  const m = d.model;
  const byShare = [...m.personas].sort((a, b) => b.share - a.share || a.id - b.id);
  const title = `Personas of ${m.input.source}`;
  return htmlPage(title, REPORT_CSS, `<header>
  <h1>${e(title)}</h1>
  <p class="sub">${count(m.input.users)} users${m.input.usersSetAside ? ` (+${count(m.input.usersSetAside)} with no selected event)` : ''} · ${m.events.length} events · <b>${m.k} personas</b> · ${e(m.fit.solver)}/${e(m.fit.loss)}, transform ${e(m.transform.name)}, relative error ${m.fit.relativeError.toFixed(3)}${m.fit.converged ? '' : ' (not converged)'}</p>
</header>
<main>
<section>
  <h2>Persona mix</h2>
  ${shareChart(byShare)}
  ${m.personas.some((p) => !p.actionable) ? '<p class="note">Hatched: under 1 % of users, too small to act on.</p>' : ''}
</section>
<section>
  <h2>Personas</h2>
  <div class="cards">${byShare.map((p) => card(p, d)).join('')}</div>
</section>
<section>
  <h2>What each persona does</h2>
  <p class="note">Share of each persona's profile per event (its row of H); darker is heavier. Hover a cell for the lift.</p>
  ${heatmap(d, byShare)}
</section>
<section>
  <h2>How clearly users belong</h2>
  <p class="note">Membership confidence: the share of a user's reconstructed activity their persona explains. Users near 1 are clear cases; users near 1/k mix personas.</p>
  ${confidenceChart(byShare)}
</section>
${m.outcomes ? outcomesSection(d, byShare) : ''}
${(d.survey ?? m.survey) ? surveySection((d.survey ?? m.survey)!) : ''}
</main>
<footer>
  Non-negative matrix factorization of the users × events matrix (${m.k} components); each user belongs to the component with the largest share of their reconstructed activity.
  Lift: the persona's mean count ÷ everyone's. Specificity (Kim &amp; Park 2007): 1 when an event belongs to a single persona.
  Model fitted ${e(m.createdAt.slice(0, 10))}, seed ${m.fit.seed}, ${m.miniBatch ? `by mini-batch steps (${m.miniBatch.steps} of ${m.miniBatch.batchSize} users) from a fit on a sample of ${m.miniBatch.sampleUsers} users` : `${m.fit.iterations} iterations${m.sample ? `, H learned on a uniform sample of ${m.sample.users} users` : ''}`}.
</footer>`);
}

export function shareChart(personas: readonly PersonaSummary[]): string {
  const rowH = 30, labelW = 300, barW = 520, width = labelW + barW + 130;
  const max = Math.max(...personas.map((p) => p.share), 0.01);
  const rows = personas.map((p, i) => {
    const y = i * rowH;
    const w = Math.max(2, (p.share / max) * barW);
    const fill = p.actionable ? personaColor(p.id) : `url(#hatch${p.id})`;
    return `<g transform="translate(0,${y})">
      <defs><pattern id="hatch${p.id}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><rect width="3" height="6" fill="${personaColor(p.id)}"/></pattern></defs>
      <text x="${labelW - 10}" y="${rowH / 2 + 5}" text-anchor="end" class="lbl">${e(truncate(p.name, 40))}</text>
      <rect x="${labelW}" y="5" width="${w.toFixed(1)}" height="${rowH - 10}" rx="3" fill="${fill}"/>
      <text x="${labelW + w + 8}" y="${rowH / 2 + 5}" class="val">${percent(p.share)} · ${count(p.users)}</text>
    </g>`;
  }).join('');
  return `<svg class="chart" viewBox="0 0 ${width} ${personas.length * rowH}" role="img" aria-label="Share of users per persona">${rows}</svg>`;
}

export function card(p: PersonaSummary, d: ReportData): string {
  const outcomes = outcomeColumns(d.model);
  const chips = (list: PersonaSummary['topEvents'], cls: string) =>
    list.map((ev) => `<span class="chip ${cls}" title="weight ${percent(ev.weight)}, specificity ${ev.specificity.toFixed(2)}">${e(ev.event)} <b>×${ev.lift.toFixed(ev.lift < 1 ? 2 : 1)}</b></span>`).join('');
  const maxBin = Math.max(1, ...p.confidenceHistogram);
  const spark = p.confidenceHistogram.map((c, i) => `<rect x="${i * 11}" y="${30 - (28 * c) / maxBin}" width="9" height="${Math.max(0.5, (28 * c) / maxBin)}" fill="${personaColor(p.id)}"><title>${i / 10}–${(i + 1) / 10}: ${count(c)} users</title></rect>`).join('');
  return `<article class="card" style="border-top-color:${personaColor(p.id)}">
    <div class="card-head"><span class="dot" style="background:${personaColor(p.id)}"></span><h3>${e(p.name)}</h3><span class="pid">#${p.id}</span></div>
    <div class="big">${percent(p.share)} <small>${count(p.users)} users${p.actionable ? '' : ' · <span class="warn">under 1 %</span>'}</small></div>
    <h4>Top events</h4><div>${chips(p.topEvents, '')}</div>
    ${p.moreThanAverage.length ? `<h4>More than average</h4><div>${chips(p.moreThanAverage, 'up')}</div>` : ''}
    ${p.lessThanAverage.length ? `<h4>Less than average</h4><div>${chips(p.lessThanAverage.slice(0, 3), 'down')}</div>` : ''}
    <h4>Confidence <small>mean ${p.meanConfidence.toFixed(2)}</small></h4>
    <svg class="spark" viewBox="0 0 110 31" aria-label="confidence histogram">${spark}</svg>
    ${outcomes.length ? `<h4>Outcomes</h4><dl>${outcomes.map((c) => `<dt>${e(c.label)}</dt><dd>${e(c.stat(p.id))}</dd>`).join('')}</dl>` : ''}
  </article>`;
}

export function heatmap(d: ReportData, personas: readonly PersonaSummary[]): string {
  const m = d.model;
  // Columns: each persona's heaviest events, in persona order, so the diagonal structure shows.
  const columns: number[] = [];
  for (const p of personas) {
    const row = m.H[p.id]!;
    const order = row.map((_, j) => j).sort((a, b) => row[b]! - row[a]!);
    for (const j of order.slice(0, 4)) if (!columns.includes(j) && columns.length < 32) columns.push(j);
  }
  const rowTotals = m.H.map((row) => row.reduce((a, b) => a + b, 0) || 1);
  const max = Math.max(...personas.flatMap((p) => columns.map((j) => m.H[p.id]![j]! / rowTotals[p.id]!)), 1e-9);
  const lift = (p: PersonaSummary, j: number) => p.topEvents.concat(p.moreThanAverage, p.lessThanAverage).find((ev) => ev.event === m.events[j])?.lift;
  const head = `<tr><th></th>${columns.map((j) => `<th class="rot"><div>${e(truncate(m.events[j]!, 28))}</div></th>`).join('')}</tr>`;
  const body = personas.map((p) => `<tr><th class="rowh"><span class="dot" style="background:${personaColor(p.id)}"></span>${e(truncate(p.name, 34))}</th>${columns.map((j) => {
    const w = m.H[p.id]![j]! / rowTotals[p.id]!;
    const a = Math.min(1, w / max);
    const l = lift(p, j);
    return `<td style="background:rgba(32,64,160,${(0.04 + 0.9 * a).toFixed(3)});color:${a > 0.55 ? '#fff' : '#223'}" title="${e(p.name)} · ${e(m.events[j]!)}: weight ${percent(w)}${l !== undefined ? `, lift ×${l.toFixed(2)}` : ''}">${w >= 0.005 ? Math.round(w * 100) : ''}</td>`;
  }).join('')}</tr>`).join('');
  return `<div class="scroll"><table class="heat">${head}${body}</table></div>`;
}

export function confidenceChart(personas: readonly PersonaSummary[]): string {
  const bins = 10, w = 70, h = 160, left = 40;
  const totals = Array.from({ length: bins }, (_, b) => personas.reduce((s, p) => s + p.confidenceHistogram[b]!, 0));
  const max = Math.max(1, ...totals);
  let bars = '';
  for (let b = 0; b < bins; b++) {
    let y = h;
    for (const p of personas) {
      const c = p.confidenceHistogram[b]!;
      if (!c) continue;
      const bh = (c / max) * (h - 10);
      y -= bh;
      bars += `<rect x="${left + b * w + 4}" y="${y.toFixed(1)}" width="${w - 8}" height="${bh.toFixed(1)}" fill="${personaColor(p.id)}"><title>${e(p.name)}: ${count(c)} users with confidence ${(b / 10).toFixed(1)}–${((b + 1) / 10).toFixed(1)}</title></rect>`;
    }
  }
  const axis = Array.from({ length: bins + 1 }, (_, b) => `<text x="${left + b * w}" y="${h + 16}" text-anchor="middle" class="tick">${(b / 10).toFixed(1)}</text>`).join('');
  const legend = personas.map((p) => `<span class="leg"><span class="dot" style="background:${personaColor(p.id)}"></span>${e(truncate(p.name, 30))}</span>`).join('');
  return `<svg class="chart" viewBox="0 0 ${left + bins * w + 10} ${h + 24}" role="img" aria-label="Membership confidence distribution">
    <line x1="${left}" y1="${h}" x2="${left + bins * w}" y2="${h}" stroke="#99a"/>${bars}${axis}
    <text x="${left - 8}" y="14" text-anchor="end" class="tick">${count(max)}</text></svg><div class="legend">${legend}</div>`;
}

function outcomesSection(d: ReportData, personas: readonly PersonaSummary[]): string {
  const o = d.model.outcomes!;
  const columns = outcomeColumns(d.model);
  const series = columns.map((_, i) => personas.map((p) => o.perPersona[p.id]![i]!));
  const charts = columns.map((c, i) => {
    const stats = series[i]!;
    const all = o.overall[i]!;
    const lo = o.kind === 'numeric' ? Math.min(...stats.map((s) => s.low), all.low) : 0;
    const hi = o.kind === 'numeric' ? Math.max(...stats.map((s) => s.high), all.high) : Math.min(1, Math.max(...stats.map((s) => s.high), all.high) * 1.1);
    const x = (v: number) => 300 + ((v - lo) / (hi - lo || 1)) * 420;
    const rows = personas.map((p, r) => {
      const s = stats[r]!;
      const y = 14 + r * 26;
      return `<text x="290" y="${y + 4}" text-anchor="end" class="lbl">${e(truncate(p.name, 38))}</text>` +
        (s.n ? `<line x1="${x(s.low).toFixed(1)}" x2="${x(s.high).toFixed(1)}" y1="${y}" y2="${y}" stroke="${personaColor(p.id)}" stroke-width="3"/><circle cx="${x(s.value).toFixed(1)}" cy="${y}" r="5" fill="${personaColor(p.id)}"/><text x="740" y="${y + 4}" class="val">${e(c.stat(p.id))}</text>` : '');
    }).join('');
    const avg = `<line x1="${x(all.value).toFixed(1)}" x2="${x(all.value).toFixed(1)}" y1="0" y2="${personas.length * 26 + 4}" stroke="#888" stroke-dasharray="4 3"/>`;
    return `<h3>${e(c.label)} <small>all users: ${e(c.stat('all'))}</small></h3><svg class="chart" viewBox="0 0 960 ${personas.length * 26 + 8}">${avg}${rows}</svg>`;
  }).join('');
  return `<section><h2>Outcomes</h2><p class="note">From ${e(o.source)}; dots are ${o.kind === 'numeric' ? 'means' : 'rates'}, bars 95 % intervals${o.kind === 'numeric' ? '' : ' (Wilson)'}, the dashed line all users. ${count(o.usersWithoutOutcome)} assigned users had no outcome.</p>${charts}</section>`;
}

export function surveySection(r: SelectKResult): string {
  const rows = r.candidates.map((c) => `<tr${c.k === r.recommended ? ' class="pick"' : ''}><td>${c.k}</td><td>${c.cvError ? `${c.cvError.toExponential(2)} ± ${c.cvErrorSd.toExponential(1)}` : '–'}</td><td>${c.stability.toFixed(2)}</td><td>${c.cophenetic.toFixed(3)}</td><td>${(100 * c.minShare).toFixed(1)} %</td><td>${c.relativeError.toFixed(3)}</td><td class="why">${e(c.reason)}</td></tr>`).join('');
  return `<section><h2>Choosing k</h2><p class="note">${e(r.reason)} Cross-validated error: mean squared error on ${r.candidates.length ? 'held-out entries' : ''} (speckled hold-out, Williams 2018); stability: mean adjusted Rand index between runs from random starts; cophenetic: consensus over those runs (Brunet et al. 2004); smallest: the smallest persona's share of users.</p>${surveySvg(r)}
<div class="scroll"><table class="survey"><tr><th>k</th><th>held-out error ± sd</th><th>stability</th><th>cophenetic</th><th>smallest</th><th>rel. error</th><th>why</th></tr>${rows}</table></div></section>`;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** The report's stylesheet (the explorer page uses it too). */
export const REPORT_CSS = `
:root{--ink:#1d2433;--muted:#5c6478;--line:#e3e6ee;--bg:#f6f7fb}
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);background:var(--bg)}
header{background:#fff;border-bottom:1px solid var(--line);padding:28px max(24px,calc(50% - 560px)) 18px}
h1{margin:0 0 6px;font-size:26px;letter-spacing:-.01em}.sub{margin:0;color:var(--muted)}
main{max-width:1120px;margin:0 auto;padding:8px 24px 24px}section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:18px 22px;margin:18px 0}
h2{font-size:18px;margin:0 0 12px}h3{font-size:15px;margin:0}h4{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);margin:14px 0 6px}
small{color:var(--muted);font-weight:400}.note{color:var(--muted);font-size:13px;margin:4px 0 10px}
.chart{width:100%;height:auto;display:block}.lbl{font-size:13px;fill:var(--ink)}.val{font-size:12px;fill:var(--muted)}.tick{font-size:11px;fill:var(--muted)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:14px}
.card{border:1px solid var(--line);border-top:4px solid;border-radius:8px;padding:12px 14px 14px}
.card-head{display:flex;align-items:center;gap:8px}.card-head h3{flex:1;overflow-wrap:anywhere}.pid{color:var(--muted);font-size:12px}
.big{font-size:24px;font-weight:650;margin:6px 0 0}.big small{font-size:13px;margin-left:6px}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px;flex:none}
.chip{display:inline-block;background:#eef1f8;border-radius:12px;padding:2px 9px;margin:0 5px 5px 0;font-size:12.5px}
.chip.up{background:#e3f4ec}.chip.down{background:#fbeaea}.warn{color:#b3261e;font-weight:600}
.spark{width:220px;height:62px;display:block}
dl{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:0;font-size:13px}dt{color:var(--muted)}dd{margin:0}
.scroll{overflow-x:auto}.heat{border-collapse:separate;border-spacing:2px;font-size:11.5px}
.heat td{width:34px;height:28px;text-align:center;border-radius:3px}.heat th.rowh{text-align:right;font-weight:500;white-space:nowrap;padding-right:6px;font-size:13px}
.heat th.rot{height:150px;vertical-align:bottom;padding:0}.heat th.rot div{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:500;white-space:nowrap;margin:0 auto 4px}
.survey{border-collapse:collapse;font-size:13px;margin-top:10px}.survey td,.survey th{padding:4px 10px;border-bottom:1px solid var(--line);text-align:right}.survey td{white-space:nowrap}.survey td.why{text-align:left;color:var(--muted);white-space:normal}.survey th:last-child{text-align:left}.survey tr.pick td{font-weight:650;background:#eef4fb}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:12.5px;margin-top:8px}.leg{display:inline-flex;align-items:center}
footer{max-width:1120px;margin:0 auto;padding:0 24px 32px;color:var(--muted);font-size:12.5px}
@media print{body{background:#fff}section{break-inside:avoid}}
`;
