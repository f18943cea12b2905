// The k survey as users read it: a table per k with the reason for each, and a chart.

import type { SelectKResult } from '../select-k/select-k.js';
import { formatTable } from './format.js';

/** The `--json` of select-k (../shared/CLI.md). */
export function surveyJson(r: SelectKResult) {
  return {
    recommended: r.recommended,
    reason: r.reason,
    candidates: r.candidates.map((c) => ({ ...c })),
    users: r.users,
    threads: r.threads,
    seconds: r.seconds,
    skipped: r.skipped,
  };
}

const sci = (x: number) => (Number.isFinite(x) ? x.toExponential(2) : '–');

export function surveyText(r: SelectKResult): string {
  const withNull = r.candidates.some((c) => c.nullCvError !== undefined);
  const rows = r.candidates.map((c) => [
    `${c.k === r.recommended ? '→ ' : ''}${c.k}`,
    c.cvError ? `${sci(c.cvError)} ± ${sci(c.cvErrorSd)}` : '–',
    ...(withNull ? [sci(c.nullCvError ?? NaN), (c.nullRelativeError ?? NaN).toFixed(3)] : []),
    c.cophenetic.toFixed(3), c.dispersion.toFixed(3), c.stability.toFixed(3),
    `${(100 * c.minShare).toFixed(1)} %`, c.relativeError.toFixed(3), c.reason,
  ]);
  return [
    `Recommended: ${r.reason}`,
    '',
    formatTable(['k', 'cv error ± sd', ...(withNull ? ['null cv', 'null rel.'] : []), 'cophenetic', 'dispersion', 'stability', 'smallest', 'rel. error', 'why'], rows, withNull ? 'rrrrrrrrrl' : 'rrrrrrrl'),
    `${r.users.toLocaleString('en-US')} users surveyed on ${r.threads} thread${r.threads > 1 ? 's' : ''} in ${r.seconds.toFixed(1)} s` +
      (r.skipped.length ? `; not reached within the time budget: k = ${r.skipped.join(', ')}` : '') + '.',
    '',
  ].join('\n');
}

export function surveyMarkdown(r: SelectKResult): string {
  const withNull = r.candidates.some((c) => c.nullCvError !== undefined);
  return [
    '## Choosing k',
    '',
    `Recommended: ${r.reason}`,
    '',
    `| k | cross-validated error ± sd |${withNull ? ' null: cv error | null: rel. error |' : ''} cophenetic | dispersion | stability (ARI) | smallest persona | relative error | why |`,
    `|---:|---:|${withNull ? '---:|---:|' : ''}---:|---:|---:|---:|---:|---|`,
    ...r.candidates.map((c) => `| ${c.k === r.recommended ? `**${c.k}**` : c.k} | ${c.cvError ? `${sci(c.cvError)} ± ${sci(c.cvErrorSd)}` : '–'} |${withNull ? ` ${sci(c.nullCvError ?? NaN)} | ${(c.nullRelativeError ?? NaN).toFixed(3)} |` : ''} ${c.cophenetic.toFixed(3)} | ${c.dispersion.toFixed(3)} | ${c.stability.toFixed(3)} | ${(100 * c.minShare).toFixed(1)} % | ${c.relativeError.toFixed(3)} | ${c.reason} |`),
    '',
    `${r.users.toLocaleString('en-US')} users surveyed on ${r.threads} thread${r.threads > 1 ? 's' : ''} in ${r.seconds.toFixed(1)} s.`,
    '',
  ].join('\n');
}

/** An SVG chart: held-out error with its spread (left), stability and smallest persona (right). */
export function surveySvg(r: SelectKResult): string {
  const cs = r.candidates.filter((c) => c.cvError > 0);
  const W = 960, H = 260, left = 70, right = 30, top = 20, bottom = 40, gap = 60;
  const panel = (W - left - right - gap) / 2;
  const ks = r.candidates.map((c) => c.k);
  const kMin = Math.min(...ks), kMax = Math.max(...ks);
  const x = (k: number, x0: number) => x0 + ((k - kMin) / Math.max(1, kMax - kMin)) * panel;
  const parts: string[] = [];
  const axis = (x0: number, label: string) => {
    parts.push(`<line x1="${x0}" y1="${H - bottom}" x2="${x0 + panel}" y2="${H - bottom}" stroke="#99a"/>`);
    for (const k of ks) parts.push(`<text x="${x(k, x0)}" y="${H - bottom + 16}" text-anchor="middle" class="tick">${k}</text>`);
    parts.push(`<text x="${x0 + panel / 2}" y="${H - 4}" text-anchor="middle" class="tick">k</text><text x="${x0}" y="${top - 6}" class="lbl">${label}</text>`);
  };
  const recommendedLine = (x0: number) => `<line x1="${x(r.recommended, x0)}" x2="${x(r.recommended, x0)}" y1="${top}" y2="${H - bottom}" stroke="#0072B2" stroke-dasharray="4 3"/>`;
  if (cs.length) {
    const hi = Math.max(...cs.map((c) => c.cvError + c.cvErrorSd)), lo = Math.min(...cs.map((c) => c.cvError - c.cvErrorSd));
    const logY = hi / Math.max(lo, 1e-12) > 20;
    const y = (v: number) => {
      const t = logY ? (Math.log(Math.max(v, lo)) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : (v - lo) / (hi - lo || 1);
      return H - bottom - t * (H - top - bottom);
    };
    axis(left, `held-out error${logY ? ' (log scale)' : ''}, mean ± sd`);
    parts.push(recommendedLine(left));
    parts.push(`<polyline fill="none" stroke="#1d2433" stroke-width="2" points="${cs.map((c) => `${x(c.k, left).toFixed(1)},${y(c.cvError).toFixed(1)}`).join(' ')}"/>`);
    for (const c of cs) {
      parts.push(`<line x1="${x(c.k, left)}" x2="${x(c.k, left)}" y1="${y(c.cvError + c.cvErrorSd).toFixed(1)}" y2="${y(Math.max(lo, c.cvError - c.cvErrorSd)).toFixed(1)}" stroke="#1d2433"/>`);
      parts.push(`<circle cx="${x(c.k, left)}" cy="${y(c.cvError).toFixed(1)}" r="${c.k === r.recommended ? 6 : 4}" fill="${c.k === r.recommended ? '#0072B2' : '#1d2433'}"><title>k = ${c.k}: ${sci(c.cvError)} ± ${sci(c.cvErrorSd)}. ${c.reason}</title></circle>`);
    }
  }
  const x1 = left + panel + gap;
  const y01 = (v: number) => H - bottom - Math.max(0, Math.min(1, v)) * (H - top - bottom);
  axis(x1, 'stability (ARI) · cophenetic · smallest persona (×10)');
  parts.push(recommendedLine(x1));
  const line = (values: number[], color: string, name: string) =>
    `<polyline fill="none" stroke="${color}" stroke-width="2" points="${r.candidates.map((c, i) => `${x(c.k, x1).toFixed(1)},${y01(values[i]!).toFixed(1)}`).join(' ')}"><title>${name}</title></polyline>`;
  parts.push(line(r.candidates.map((c) => c.stability), '#009E73', 'stability'));
  parts.push(line(r.candidates.map((c) => c.cophenetic), '#E69F00', 'cophenetic correlation'));
  parts.push(line(r.candidates.map((c) => Math.min(1, 10 * c.minShare)), '#CC79A7', 'smallest persona share × 10'));
  parts.push(`<line x1="${x1}" x2="${x1 + panel}" y1="${y01(0.1)}" y2="${y01(0.1)}" stroke="#CC79A7" stroke-dasharray="2 3"><title>1 % of users</title></line>`);
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="k survey">${parts.join('')}</svg>
<div class="legend"><span class="leg"><span class="dot" style="background:#1d2433"></span>held-out error</span><span class="leg"><span class="dot" style="background:#009E73"></span>stability</span><span class="leg"><span class="dot" style="background:#E69F00"></span>cophenetic</span><span class="leg"><span class="dot" style="background:#CC79A7"></span>smallest persona ×10 (dotted: 1 %)</span><span class="leg"><span class="dot" style="background:#0072B2"></span>recommended</span></div>`;
}
