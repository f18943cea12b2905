// Fit and assign as the persona worker runs them: plain library code, so Node can run the very same
// steps (the browser tests compare the two).

import { ingestEvents, type IngestResult } from '../ingest/ingest.js';
import { blobSource, textSource } from '../ingest/source.js';
import { discoverPersonas } from '../personas/discover.js';
import { assignWithModel } from '../personas/assign-model.js';
import { buildModel } from '../model/build.js';
import { selectK, type SelectKOptions, type SelectKResult } from '../select-k/select-k.js';
import { DEFAULT_TRANSFORM, fitTransform, type CountMatrix, type TransformName } from '../transform/transforms.js';
import { generateCrmDemo } from '../demo/crm.js';
import { AbortedError, PersonasError } from '../errors.js';
import type { RowPool } from '../wasm/row-pool.js';
import type { AssignRequest, AssignResponse, FitRequest, FitResponse, SelectKRequest, SelectKResponse, WorkerInput, WorkerProgress } from './protocol.js';

/** Reads a worker input into counts (the demo as a counts table, as `personas demo --write-data` would). */
export async function readInput(input: WorkerInput, options: FitRequest['ingest'], progress: (p: WorkerProgress) => void): Promise<IngestResult> {
  if (input.kind === 'demo') {
    const d = generateCrmDemo({ users: input.users, seed: input.seed });
    const text = 'user_id,' + d.events.join(',') + '\n' + d.users.map((u, i) => `${u},${Array.from(d.counts.subarray(i * d.events.length, (i + 1) * d.events.length)).join(',')}`).join('\n') + '\n';
    return ingestEvents(textSource(text, 'Demo CRM'), options);
  }
  const source = input.kind === 'text' ? textSource(input.text, input.name) : blobSource(input.blob, input.name);
  return ingestEvents(source, { ...options, onProgress: (rows) => progress({ stage: 'reading', done: rows }) });
}

/** `executor`: where the k survey's tasks run (the persona worker spreads them over helper workers). */
/** `pool`: kernel threads for the fit's row passes (results do not depend on them). */
export async function runFit(r: FitRequest, progress: (p: WorkerProgress) => void, signal: AbortSignal, executor?: SelectKOptions['executor'], pool?: RowPool): Promise<FitResponse> {
  const t0 = performance.now();
  const input = await readUsers(r.input, r.ingest, progress);
  const survey = typeof r.k === 'number' ? undefined
    : await surveyK(input, r.k === 'auto' ? AUTO_RANGE : r.k, r, progress, signal, executor);
  const k = survey?.recommended ?? (r.k as number);
  const found = await discoverPersonas(input.counts as CountMatrix, input.events, {
    k, seed: r.seed, transform: r.transform, names: r.names, usersSetAside: input.setAside.length, signal, pool,
    onIteration: (i) => progress({ stage: 'fitting', done: i.iteration, total: i.maxIter }),
  });
  const model = buildModel({
    found, events: input.events, survey,
    input: { source: input.summary.source, users: input.users.length, usersSetAside: input.setAside.length, rows: input.summary.rowsRead },
    regularization: { alphaW: 0, alphaH: 0, l1Ratio: 0 },
  });
  return {
    model, summary: input.summary, users: input.users, setAside: input.setAside, survey,
    persona: found.assignment.persona, confidence: found.assignment.confidence, seconds: (performance.now() - t0) / 1000,
    fitThreads: found.fit.threads,
  };
}

/** A k survey alone (`personas select-k`): the evidence per k and the recommendation. */
export async function runSelectK(r: SelectKRequest, progress: (p: WorkerProgress) => void, signal: AbortSignal, executor?: SelectKOptions['executor']): Promise<SelectKResponse> {
  const input = await readUsers(r.input, r.ingest, progress);
  return { survey: await surveyK(input, r.k ?? AUTO_RANGE, r, progress, signal, executor), summary: input.summary };
}

/** `fit -k auto` surveys 2..12, as the CLI does. */
const AUTO_RANGE = { from: 2, to: 12 };

async function readUsers(input: WorkerInput, options: FitRequest['ingest'], progress: (p: WorkerProgress) => void): Promise<IngestResult> {
  const result = await readInput(input, options, progress);
  if (result.users.length === 0) throw new PersonasError('BAD_INPUT', `${result.summary.source}: no user has a selected event; nothing to fit`);
  return result;
}

function surveyK(
  input: IngestResult, range: { readonly from: number; readonly to: number }, r: { readonly transform?: TransformName; readonly seed?: number },
  progress: (p: WorkerProgress) => void, signal: AbortSignal, executor: SelectKOptions['executor'],
): Promise<SelectKResult> {
  return selectK(fitTransform(r.transform ?? DEFAULT_TRANSFORM, input.counts).matrix, {
    kMin: range.from, kMax: Math.min(range.to, input.users.length, input.events.length), seed: r.seed, executor,
    onProgress: (done, total) => {
      if (signal.aborted) throw new AbortedError('the survey was cancelled');
      progress({ stage: 'surveying', done, total });
    },
  });
}

export async function runAssign(r: AssignRequest, progress: (p: WorkerProgress) => void, signal: AbortSignal): Promise<AssignResponse> {
  const input = await readInput(r.input, r.ingest, progress);
  if (signal.aborted) throw new AbortedError('the assignment was cancelled');
  progress({ stage: 'assigning', done: 0, total: input.users.length });
  const a = await assignWithModel(r.model, input.counts, input.events);
  return { users: input.users, persona: a.persona, confidence: a.confidence, unassigned: a.unassigned + input.setAside.length, summary: input.summary };
}
