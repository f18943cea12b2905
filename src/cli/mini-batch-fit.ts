// fit --mini-batch: personas of a counts table too large to hold, in memory bounded by a batch.
// Pass 1 counts users and the users of each event (event selection, tfidf weights) and keeps the first
// users as a sample; a full fit on that sample starts H; then epochs of mini-batch steps stream the
// file (MiniBatchNMF semantics, src/nmf/minibatch.ts) until H settles; a last pass assigns everyone,
// writes the assignments as it goes, and sums what the persona descriptions need.

import { streamCounts, type IngestOptions, type IngestSummary } from '../ingest/ingest.js';
import { nodeSource } from '../node/file-source.js';
import { selectEvents } from '../ingest/select-events.js';
import { fitNmf } from '../nmf/fit.js';
import { MiniBatchNmf } from '../nmf/minibatch.js';
import { assignWithModel } from '../personas/assign-model.js';
import { PersonaTally, suggestedName } from '../personas/describe.js';
import { RESIDUAL_QUANTILE } from '../personas/residuals.js';
import { idfFrom, transformCounts, type CountMatrix, type FittedTransform, type TransformName } from '../transform/transforms.js';
import { matrixRows, MODEL_FORMAT, MODEL_VERSION, type PersonaModel } from '../model/model.js';
import { assignmentHeader, assignmentLines } from '../report/assignments-csv.js';
import { PersonasError } from '../errors.js';
import type { NmfLoss, NmfSolver } from '../nmf/options.js';
import type { RowPool } from '../wasm/row-pool.js';

export interface MiniBatchFitOptions {
  readonly k: number;
  readonly batchSize: number;
  readonly loss: NmfLoss;
  readonly solver: NmfSolver;
  readonly transform: TransformName;
  readonly maxEpochs: number;
  readonly tol: number;
  readonly seed: number;
  readonly alphaW: number;
  readonly alphaH: number;
  readonly l1Ratio: number;
  readonly simd: boolean;
  readonly names?: readonly string[];
  readonly withWeights: boolean;
  readonly pool?: RowPool;
  /** Users whose full fit starts H (the first ones in the file). */
  readonly sampleUsers: number;
}

export interface MiniBatchFitResult {
  readonly model: PersonaModel;
  readonly summary: IngestSummary;
  readonly epochs: number;
  readonly steps: number;
  readonly seconds: { readonly count: number; readonly init: number; readonly epochs: number; readonly assign: number };
}

class Stop extends Error {}

export async function miniBatchFit(
  file: string, read: IngestOptions, o: MiniBatchFitOptions,
  write: ((text: string) => Promise<void>) | undefined, progress: (what: string, done: number, total?: number) => void,
): Promise<MiniBatchFitResult> {
  const t0 = performance.now();
  const source = await nodeSource(file);
  const CHUNK = 16_384;
  // Pass 1: users, users per event, and a sample.
  let users = 0, events: readonly string[] = [];
  let df = new Float64Array(0);
  const sample: Float32Array[] = [];
  let sampled = 0;
  const summary = await streamCounts(source, read, CHUNK, (b) => {
    const m = b.events.length;
    if (users === 0) { events = b.events; df = new Float64Array(m); }
    for (let i = 0; i < b.counts.data.length; i++) if (b.counts.data[i]! > 0) df[i % m]!++;
    users += b.users.length;
    if (sampled < o.sampleUsers) {
      const take = Math.min(o.sampleUsers - sampled, b.users.length);
      sample.push(b.counts.data.slice(0, take * m));
      sampled += take;
    }
    progress('users counted', users);
  });
  if (!summary) {
    throw new PersonasError('BAD_INPUT', `${file}: --mini-batch streams a counts table (one row per user, one column per event), and this is not one; aggregate raw events with \`personas sql\` (or fit without --mini-batch)`);
  }
  const selection = selectEvents(events, Int32Array.from(df), read);
  const chosen = selection.chosen.filter((e) => e >= 0), names = chosen.map((e) => events[e]!);
  const m = chosen.length;
  if (m === 0 || users === 0) throw new PersonasError('BAD_INPUT', `${file}: no user has a selected event; nothing to fit`);
  if (o.k > Math.min(users, m)) throw new PersonasError('BAD_K', `k = ${o.k} is more than min(users, events) = min(${users}, ${m}); choose a smaller -k`);
  const transform: FittedTransform = o.transform === 'tfidf' ? { name: 'tfidf', idf: idfFrom(chosen.map((e) => df[e]!), users) } : { name: o.transform };
  const pick = (data: Float32Array, rows: number, from: number): CountMatrix => {
    const out = new Float32Array(rows * m);
    for (let r = 0; r < rows; r++) for (let j = 0; j < m; j++) out[r * m + j] = data[r * from + chosen[j]!]!;
    return { format: 'dense', rows, cols: m, data: out };
  };
  const t1 = performance.now();

  // H starts from a full fit on the sample (scikit-learn starts MiniBatchNMF from NNDSVD of the data).
  const sampleData = new Float32Array(sampled * events.length);
  let offset = 0;
  for (const part of sample) { sampleData.set(part, offset); offset += part.length; }
  const start = await fitNmf(transformCounts(transform, pick(sampleData, sampled, events.length)), {
    k: o.k, solver: o.solver, loss: o.loss, seed: o.seed, simd: o.simd, alphaW: o.alphaW, alphaH: o.alphaH, l1Ratio: o.l1Ratio, pool: o.pool,
  });
  const t2 = performance.now();

  // Epochs of mini-batch steps, until H settles.
  const online = new MiniBatchNmf(start.H.data, m, {
    k: o.k, loss: o.loss, users, batchSize: o.batchSize, tol: o.tol, alphaW: o.alphaW, alphaH: o.alphaH, l1Ratio: o.l1Ratio, simd: o.simd, pool: o.pool,
  });
  let epochs = 0;
  while (!online.converged && epochs < o.maxEpochs) {
    epochs++;
    try {
      await streamCounts(source, read, online.batchSize, async (b) => {
        await online.step(transformCounts(transform, pick(b.counts.data, b.users.length, b.events.length)));
        progress(`epoch ${epochs}, mini-batch steps`, online.steps);
        if (online.converged) throw new Stop();
      });
    } catch (error) {
      if (!(error instanceof Stop)) throw error;
    }
  }
  const t3 = performance.now();

  // Last pass: assign everyone, write the assignments, sum the descriptions' statistics.
  const H = { rows: o.k, cols: m, data: online.H };
  const draft: PersonaModel = {
    format: MODEL_FORMAT, version: MODEL_VERSION, createdAt: new Date().toISOString(), events: names, transform, k: o.k,
    H: matrixRows(online.H, o.k, m), names: o.names ?? suggestedNames(online.H, o.k, names),
    fit: { solver: o.solver, loss: o.loss, init: 'mini-batch', seed: o.seed, alphaW: o.alphaW, alphaH: o.alphaH, l1Ratio: o.l1Ratio, iterations: epochs, converged: online.converged, reconstructionError: 0, relativeError: 0 },
    input: { source: summary.source, users, usersSetAside: 0, rows: summary.rowsRead }, personas: [],
  };
  const tally = new PersonaTally(o.k, m);
  const bins = new Float64Array(RESIDUAL_BINS);
  let setAside = 0, residualSq = 0, norm = 0, assigned = 0;
  if (write) await write(assignmentHeader(o.k, o.withWeights));
  await streamCounts(source, read, CHUNK, async (b) => {
    const counts = pick(b.counts.data, b.users.length, b.events.length);
    const a = await assignWithModel(draft, counts, names, { simd: o.simd, residuals: true });
    const matrix = a.matrix!;
    // Users with no selected event are set aside, as the in-memory fit does.
    const keep: number[] = [];
    for (let u = 0; u < counts.rows; u++) {
      let v2 = 0;
      for (let j = 0; j < m; j++) v2 += matrix.data[u * m + j]! ** 2;
      if (a.persona[u]! < 0) { setAside++; continue; }
      keep.push(u);
      const r = a.residual![u]!;
      residualSq += r * r * v2;
      norm += v2;
      bins[Math.min(RESIDUAL_BINS - 1, Math.floor(r * RESIDUAL_BINS))]!++;
    }
    assigned += keep.length;
    const kept = { format: 'dense' as const, rows: keep.length, cols: m, data: new Float32Array(keep.length * m) };
    keep.forEach((u, i) => kept.data.set(counts.data.subarray(u * m, (u + 1) * m), i * m));
    tally.add(kept, { persona: Int32Array.from(keep, (u) => a.persona[u]!), confidence: Float32Array.from(keep, (u) => a.confidence[u]!) });
    if (write) {
      await write(assignmentLines({ users: b.users, setAside: [], persona: a.persona, confidence: a.confidence, names: draft.names, weights: o.withWeights ? a.W : undefined }));
    }
    progress('users assigned', assigned + setAside, users);
  });
  const t4 = performance.now();

  const personas = tally.describe({ events: names, H, names: o.names, usersSetAside: setAside });
  const modelNames = personas.map((p) => p.name);
  const model: PersonaModel = {
    ...draft, names: modelNames, personas,
    fit: { ...draft.fit, reconstructionError: Math.sqrt(residualSq), relativeError: norm > 0 ? Math.sqrt(residualSq / norm) : 0 },
    input: { ...draft.input, users: assigned, usersSetAside: setAside },
    calibration: { residualQuantile: RESIDUAL_QUANTILE, residualThreshold: quantileOf(bins, RESIDUAL_QUANTILE) },
    miniBatch: { batchSize: online.batchSize, epochs, steps: online.steps, sampleUsers: sampled },
  };
  return { model, summary, epochs, steps: online.steps, seconds: { count: (t1 - t0) / 1000, init: (t2 - t1) / 1000, epochs: (t3 - t2) / 1000, assign: (t4 - t3) / 1000 } };
}

/** The describer's suggested names (the two heaviest events of each row of H), known before the last pass. */
function suggestedNames(H: Float32Array, k: number, events: readonly string[]): string[] {
  const m = events.length;
  return Array.from({ length: k }, (_, t) => {
    const top = events.map((_, j) => j).sort((a, b) => H[t * m + b]! - H[t * m + a]! || a - b).slice(0, 2);
    return suggestedName(top.map((j) => ({ event: events[j]!, weight: 0, lift: 0, specificity: 0 })));
  });
}

/** Residuals in [0, 1] (relative), binned finely enough for a quantile to 10⁻⁴. */
const RESIDUAL_BINS = 10_000;

function quantileOf(bins: Float64Array, q: number): number {
  const total = bins.reduce((a, b) => a + b, 0);
  let seen = 0;
  for (let i = 0; i < bins.length; i++) {
    seen += bins[i]!;
    if (seen >= q * total) return (i + 1) / bins.length;
  }
  return 1;
}
