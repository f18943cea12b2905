// The persona explorer page: pick a file (or the demo), find personas in a worker, show them with the
// report's charts, rename them, download the model, the assignments and the report. Nothing is uploaded.

import { createPersonaWorker } from '../src/browser/worker-client.js';
import { AbortedError } from '../src/errors.js';
import type { FitRequest, FitResponse, WorkerInput, WorkerProgress } from '../src/browser/protocol.js';
import { REPORT_CSS, card, confidenceChart, escapeHtml, heatmap, reportHtml, shareChart, surveySection } from '../src/report/html.js';
import { assignmentRows } from '../src/report/assignments-csv.js';
import { count } from '../src/report/format.js';
import type { PersonaModel } from '../src/model/model.js';
import type { ReportData } from '../src/report/report-data.js';
import type { TransformName } from '../src/transform/transforms.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  drop: $<HTMLLabelElement>('drop'), file: $<HTMLInputElement>('file'), demo: $<HTMLButtonElement>('demo'), source: $('source'),
  kmode: $<HTMLSelectElement>('kmode'), k: $<HTMLInputElement>('k'), transform: $<HTMLSelectElement>('transform'), seed: $<HTMLInputElement>('seed'),
  run: $<HTMLButtonElement>('run'), progress: $('progress'), cancel: $<HTMLButtonElement>('cancel'), error: $('error'),
  downloads: $('downloads'), results: $('results'),
};

// The report's stylesheet first, so the page's own rules (app.css) refine it.
const style = document.createElement('style');
style.textContent = REPORT_CSS;
document.head.prepend(style);

// URL parameters for tests and measurements: `?demoUsers=100000` sizes the demo, `?threads=1`
// limits the workers (default: the device's cores, at most 4).
const params = new URLSearchParams(location.search);
const demoUsers = Number(params.get('demoUsers')) || 20000;
const threads = Number(params.get('threads')) || undefined;
ui.demo.textContent = `Try the demo CRM (${count(demoUsers)} users)`;

const worker = createPersonaWorker(new URL('./persona-worker.js', import.meta.url), { threads });
let input: WorkerInput | undefined;
let running: AbortController | undefined;
let result: FitResponse | undefined;
let names: string[] = [];

function choose(next: WorkerInput, label: string): void {
  input = next;
  ui.source.textContent = label;
  ui.run.disabled = Boolean(running);
}

ui.file.addEventListener('change', () => {
  const f = ui.file.files?.[0];
  if (f) choose({ kind: 'blob', blob: f, name: f.name }, `${f.name} · ${bytes(f.size)}`);
});
ui.drop.addEventListener('dragover', (e) => { e.preventDefault(); ui.drop.classList.add('over'); });
ui.drop.addEventListener('dragleave', () => ui.drop.classList.remove('over'));
ui.drop.addEventListener('drop', (e) => {
  e.preventDefault();
  ui.drop.classList.remove('over');
  const f = e.dataTransfer?.files[0];
  if (f) choose({ kind: 'blob', blob: f, name: f.name }, `${f.name} · ${bytes(f.size)}`);
});
ui.drop.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') ui.file.click(); });
ui.demo.addEventListener('click', () => {
  choose({ kind: 'demo', users: demoUsers, seed: 0 }, `Demo CRM: ${count(demoUsers)} users, 40 events, 7 planted personas`);
  void run();
});
ui.kmode.addEventListener('change', () => { ui.k.disabled = ui.kmode.value === 'auto'; });
ui.run.addEventListener('click', () => void run());
ui.cancel.addEventListener('click', () => running?.abort());

async function run(): Promise<void> {
  if (!input || running) return;
  const controller = new AbortController();
  running = controller;
  ui.run.disabled = true;
  ui.error.hidden = true;
  showProgress({ stage: 'reading', done: 0 });
  const request: FitRequest = {
    input,
    k: ui.kmode.value === 'auto' ? 'auto' : Number(ui.k.value),
    transform: ui.transform.value as TransformName,
    seed: Number(ui.seed.value) || 0,
  };
  try {
    result = await worker.fit(request, { signal: controller.signal, onProgress: showProgress });
    names = [...result.model.names];
    render();
  } catch (error) {
    const e = error as Error;
    ui.error.textContent = e instanceof AbortedError ? 'Cancelled.' : e.message;
    ui.error.hidden = false;
  } finally {
    running = undefined;
    ui.progress.hidden = true;
    ui.run.disabled = !input;
    document.body.dataset.state = result ? 'done' : 'idle';
  }
}

// Progress arrives per iteration; the bar is redrawn at most once per frame.
let pending: WorkerProgress | undefined;
function showProgress(p: WorkerProgress): void {
  document.body.dataset.state = 'running';
  ui.progress.hidden = false;
  if (!pending) requestAnimationFrame(() => {
    const q = pending!;
    pending = undefined;
    const determinate = q.stage === 'surveying' && q.total;
    ui.progress.classList.toggle('busy', !determinate);
    (ui.progress.querySelector('.fill') as HTMLElement).style.width = determinate ? `${(100 * q.done) / q.total!}%` : '';
    (ui.progress.querySelector('.label') as HTMLElement).textContent =
      q.stage === 'reading' ? `Reading… ${count(q.done)} rows`
      : q.stage === 'surveying' ? `Choosing k… ${q.done} of ${q.total} runs`
      : q.stage === 'fitting' ? `Fitting… iteration ${q.done}`
      : 'Assigning…';
  });
  pending = p;
}

/** The model with the names the user typed. */
function namedModel(): PersonaModel {
  const m = result!.model;
  return { ...m, names: [...names], personas: m.personas.map((p) => ({ ...p, name: names[p.id]! })) };
}

function render(): void {
  const r = result!;
  const model = namedModel();
  const d: ReportData = { model, survey: r.survey, input: r.summary };
  const byShare = [...model.personas].sort((a, b) => b.share - a.share || a.id - b.id);
  document.body.dataset.fitThreads = String(r.fitThreads); // for the end-to-end tests
  const skipped = Object.values(r.summary.skipped).reduce((a, b) => a + b, 0);
  const stat = (value: string, label: string) => `<div class="stat"><b>${value}</b><span>${label}</span></div>`;
  ui.results.innerHTML = `
<section>
  <h2>${escapeHtml(r.summary.source)}</h2>
  <div class="summary">
    ${stat(count(r.users.length), 'users')}
    ${r.setAside.length ? stat(count(r.setAside.length), 'with no selected event') : ''}
    ${stat(String(model.events.length), 'events')}
    ${stat(String(model.k), r.survey ? 'personas (recommended)' : 'personas')}
    ${stat(model.fit.relativeError.toFixed(3), 'relative error')}
    ${stat(`${r.seconds.toFixed(1)} s`, `in this tab, ${Math.max(worker.threads, r.fitThreads)} threads`)}
    ${skipped ? stat(count(skipped), 'rows skipped') : ''}
  </div>
</section>
<section>
  <h2>Persona mix</h2>
  ${shareChart(byShare)}
  ${byShare.some((p) => !p.actionable) ? '<p class="note">Hatched: under 1 % of users, too small to act on.</p>' : ''}
</section>
<section>
  <h2>Personas</h2>
  <p class="hint">Click a persona's name to rename it; downloads use your names.</p>
  <div class="cards">${byShare.map((p) => card(p, d)).join('')}</div>
</section>
<section>
  <h2>What each persona does</h2>
  <p class="note">Share of each persona's profile per event; darker is heavier. Hover a cell for the lift.</p>
  ${heatmap(d, byShare)}
</section>
<section>
  <h2>How clearly users belong</h2>
  <p class="note">Membership confidence: the share of a user's reconstructed activity their persona explains.</p>
  ${confidenceChart(byShare)}
</section>
${r.survey ? surveySection(r.survey) : ''}`;
  ui.results.querySelectorAll<HTMLElement>('.card').forEach((el, i) => {
    const id = byShare[i]!.id;
    el.dataset.persona = String(id);
    const title = el.querySelector('h3')!;
    title.contentEditable = 'plaintext-only';
    title.spellcheck = false;
    title.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); title.blur(); } });
    title.addEventListener('blur', () => {
      const name = title.textContent?.replace(/\s+/g, ' ').trim();
      if (name && name !== names[id]) { names[id] = name; render(); }
      else title.textContent = names[id]!;
    });
  });
  ui.downloads.hidden = false;
}

$('dl-model').addEventListener('click', () => save(`${stem()}.model.json`, 'application/json', [JSON.stringify(namedModel()) + '\n']));
$('dl-assign').addEventListener('click', () => {
  const r = result!;
  save(`${stem()}.assignments.csv`, 'text/csv', [...assignmentRows({ users: r.users, setAside: r.setAside, persona: r.persona, confidence: r.confidence, names })]);
});
$('dl-report').addEventListener('click', () => save(`${stem()}.report.html`, 'text/html', [reportHtml({ model: namedModel(), survey: result!.survey, input: result!.summary })]));

function stem(): string {
  return result!.summary.source.replace(/\.(csv|ndjson|jsonl?|txt)(\.gz)?$/i, '').replace(/[^\w.-]+/g, '-') || 'personas';
}

/** Saves text as a file, in the browser (an object URL; nothing is sent anywhere). */
function save(name: string, type: string, parts: string[]): void {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function bytes(n: number): string {
  return n < 1 << 20 ? `${(n / 1024).toFixed(0)} KB` : `${(n / (1 << 20)).toFixed(1)} MB`;
}
