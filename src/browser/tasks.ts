// Fit and assign as the persona worker runs them: plain library code, so Node can run the very same
// steps (the browser tests compare the two).

import { ingestEvents, type IngestResult } from '../ingest/ingest.js';
import { blobSource, textSource } from '../ingest/source.js';
import { discoverPersonas } from '../personas/discover.js';
import { assignWithModel } from '../personas/assign-model.js';
import { buildModel } from '../model/build.js';
import { selectK, type SelectKOptions, type SelectKResult } from '../select-k/select-k.js';
import { fitTransform, type CountMatrix } from '../transform/transforms.js';
import { generateCrmDemo } from '../demo/crm.js';
import { AbortedError } from '../errors.js';
import type { AssignRequest, AssignResponse, FitRequest, FitResponse, WorkerInput, WorkerProgress } from './protocol.js';

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
export async function runFit(r: FitRequest, progress: (p: WorkerProgress) => void, signal: AbortSignal, executor?: SelectKOptions['executor']): Promise<FitResponse> {
  const t0 = performance.now();
  const input = await readInput(r.input, r.ingest, progress);
  if (input.users.length === 0) throw new Error(`${input.summary.source}: no user has a selected event`);
  let survey: SelectKResult | undefined;
  let k: number;
  if (typeof r.k === 'number') k = r.k;
  else {
    const range = r.k === 'auto' ? { from: 2, to: 12 } : r.k;
    const matrix = fitTransform(r.transform ?? 'share', input.counts).matrix;
    survey = await selectK(matrix, {
      kMin: range.from, kMax: Math.min(range.to, input.users.length, input.events.length), seed: r.seed, executor,
      onProgress: (done, total) => {
        if (signal.aborted) throw new AbortedError('the survey was cancelled');
        progress({ stage: 'surveying', done, total });
      },
    });
    k = survey.recommended;
  }
  const found = await discoverPersonas(input.counts as CountMatrix, input.events, {
    k, seed: r.seed, transform: r.transform, names: r.names, usersSetAside: input.setAside.length, signal,
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
  };
}

export async function runAssign(r: AssignRequest, progress: (p: WorkerProgress) => void, signal: AbortSignal): Promise<AssignResponse> {
  const input = await readInput(r.input, r.ingest, progress);
  if (signal.aborted) throw new AbortedError('the assignment was cancelled');
  progress({ stage: 'assigning', done: 0, total: input.users.length });
  const a = await assignWithModel(r.model, input.counts, input.events);
  return { users: input.users, persona: a.persona, confidence: a.confidence, unassigned: a.unassigned + input.setAside.length, summary: input.summary };
}
