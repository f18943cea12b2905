// fit --mini-batch and fit --sample: personas of a counts table too large to hold, in memory bounded by
// a sample and a batch. Pass 1 counts users and the users of each event (event selection, tfidf
// weights) and draws a seeded uniform sample of users (a reservoir); k may be surveyed on the sample; a
// full fit on the sample gives H. --mini-batch then refines H by epochs of mini-batch steps over the
// file (MiniBatchNMF semantics, src/nmf/minibatch.ts) until it settles; --sample keeps the sample's H.
// A last pass assigns everyone, writes the assignments as it goes, and sums what the persona
// descriptions need.

import { streamCounts, type IngestOptions, type IngestSummary } from '../ingest/ingest.js';
import { nodeSource } from '../node/file-source.js';
import { selectEvents } from '../ingest/select-events.js';
import { fitNmf } from '../nmf/fit.js';
import { MiniBatchNmf } from '../nmf/minibatch.js';
import { assignWithModel } from '../personas/assign-model.js';
import { PersonaTally, suggestedName } from '../personas/describe.js';
import { klDivergenceOf, RESIDUAL_QUANTILE } from '../personas/residuals.js';
import { idfFrom, transformCounts, type CountMatrix, type FittedTransform, type TransformName } from '../transform/transforms.js';
import { matrixRows, MODEL_FORMAT, MODEL_VERSION, type PersonaModel } from '../model/model.js';
import { assignmentHeader, assignmentLines } from '../report/assignments-csv.js';
import { PersonasError } from '../errors.js';
import type { NmfLoss, NmfSolver } from '../nmf/options.js';
import type { RowPool } from '../wasm/row-pool.js';
import type { NmfInit } from '../nmf/options.js';
import type { SelectKResult } from '../select-k/select-k.js';
import { Random } from '../random.js';

export interface StreamedFitOptions {
  /** A number of personas, or a survey run on the (transformed) sample that returns one. */
  readonly k: number | ((sample: CountMatrix) => Promise<SelectKResult>);
  /** 'mini-batch' refines the sample's H over the whole stream; 'sample' keeps it. */
  readonly method: 'mini-batch' | 'sample';
  readonly batchSize: number;
  readonly loss: NmfLoss;
  readonly solver: NmfSolver;
  readonly transform: TransformName;
  /** Mini-batch epochs at most (--mini-batch), or the sample fit's iterations (--sample). */
  readonly maxIter: number;
  readonly init: Extract<NmfInit, string>;
  readonly tol: number;
  readonly seed: number;
  readonly alphaW: number;
  readonly alphaH: number;
  readonly l1Ratio: number;
  readonly simd: boolean;
  readonly names?: readonly string[];
  readonly withWeights: boolean;
  readonly pool?: RowPool;
  /** Users in the seeded uniform sample whose fit gives (or starts) H. */
  readonly sampleUsers: number;
}

export interface StreamedFitResult {
  readonly model: PersonaModel;
  readonly survey?: SelectKResult;
  readonly summary: IngestSummary;
  readonly epochs: number;
  readonly steps: number;
  /** count: pass 1; init and iterate: the sample fit's (--sample), or the sample fit and the epochs (--mini-batch); assign: the last pass. */
  readonly seconds: { readonly count: number; readonly init: number; readonly iterate: number; readonly assign: number };
}

class Stop extends Error {}

export async function streamedFit(
  file: string, read: IngestOptions, o: StreamedFitOptions,
  write: ((text: string) => Promise<void>) | undefined, progress: (what: string, done: number, total?: number) => void,
): Promise<StreamedFitResult> {
  const t0 = performance.now();
  const source = await nodeSource(file);
  const CHUNK = 16_384;
  // Pass 1: users, users per event, and a uniform sample of users (reservoir sampling, seeded: the
  // file's order — by signup date, say — does not bias it).
  let users = 0, active = 0, events: readonly string[] = [];
  let df = new Float64Array(0);
  let reservoir = new Float32Array(0);
  const rng = new Random(o.seed);
  const summary = await streamCounts(source, read, CHUNK, (b) => {
    const m = b.events.length;
    if (users === 0) { events = b.events; df = new Float64Array(m); reservoir = new Float32Array(o.sampleUsers * m); }
    for (let i = 0; i < b.counts.data.length; i++) if (b.counts.data[i]! > 0) df[i % m]!++;
    for (let u = 0; u < b.users.length; u++) {
      const row = b.counts.data.subarray(u * m, (u + 1) * m);
      // Users with no event at all are set aside, not fitted, as in the in-memory fit.
      if (!row.some((v) => v > 0)) continue;
      const slot = active < o.sampleUsers ? active : rng.nextInt(active + 1);
      if (slot < o.sampleUsers) reservoir.set(row, slot * m);
      active++;
    }
    users += b.users.length;
    progress('users counted', users);
  });
  if (!summary) {
    throw new PersonasError('BAD_INPUT', `${file}: --${o.method} streams a counts table (one row per user, one column per event), and this is not one; aggregate raw events with \`personas sql\` (or fit without --${o.method})`);
  }
  const selection = selectEvents(events, Int32Array.from(df), read);
  const chosen = selection.chosen.filter((e) => e >= 0), names = chosen.map((e) => events[e]!);
  const m = chosen.length;
  if (m === 0 || users === 0) throw new PersonasError('BAD_INPUT', `${file}: no user has a selected event; nothing to fit`);
  const transform: FittedTransform = o.transform === 'tfidf' ? { name: 'tfidf', idf: idfFrom(chosen.map((e) => df[e]!), users) } : { name: o.transform };
  const pick = (data: Float32Array, rows: number, from: number): DenseCounts => {
    const out = new Float32Array(rows * m);
    for (let r = 0; r < rows; r++) for (let j = 0; j < m; j++) out[r * m + j] = data[r * from + chosen[j]!]!;
    return { format: 'dense', rows, cols: m, data: out };
  };
  const t1 = performance.now();

  // H from a full fit on the sample (for --mini-batch, its start: scikit-learn starts MiniBatchNMF
  // from NNDSVD of the data). k, when not given, is surveyed on the same sample.
  const sample = transformCounts(transform, withoutEmptyRows(pick(reservoir, Math.min(active, o.sampleUsers), events.length)));
  const sampled = sample.rows;
  reservoir = new Float32Array(0);
  const survey = typeof o.k === 'number' ? undefined : await o.k(sample);
  const k = survey ? survey.recommended : (o.k as number);
  if (k > Math.min(users, m)) throw new PersonasError('BAD_K', `k = ${k} is more than min(users, events) = min(${users}, ${m}); choose a smaller -k`);
  if (k > sampled) throw new PersonasError('BAD_K', `k = ${k} is more than the ${sampled} sampled users; sample more users or choose a smaller -k`);
  const start = await fitNmf(sample, {
    k, solver: o.solver, loss: o.loss, seed: o.seed, simd: o.simd, alphaW: o.alphaW, alphaH: o.alphaH, l1Ratio: o.l1Ratio, pool: o.pool,
    init: o.init, ...(o.method === 'sample' ? { maxIter: o.maxIter, tol: o.tol } : {}),
  });
  const t2 = performance.now();

  // --mini-batch: epochs of mini-batch steps, until H settles.
  let Hdata = start.H.data, epochs = 0, steps = 0, batchSize = 0, converged = start.converged;
  if (o.method === 'mini-batch') {
    const online = new MiniBatchNmf(start.H.data, m, {
      k, loss: o.loss, users, batchSize: o.batchSize, tol: o.tol, alphaW: o.alphaW, alphaH: o.alphaH, l1Ratio: o.l1Ratio, simd: o.simd, pool: o.pool,
    });
    while (!online.converged && epochs < o.maxIter) {
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
    Hdata = online.H;
    steps = online.steps;
    batchSize = online.batchSize;
    converged = online.converged;
  }
  const t3 = performance.now();

  // Last pass: assign everyone, write the assignments, sum the descriptions' statistics.
  const H = { rows: k, cols: m, data: Hdata };
  const draft: PersonaModel = {
    format: MODEL_FORMAT, version: MODEL_VERSION, createdAt: new Date().toISOString(), events: names, transform, k,
    H: matrixRows(Hdata, k, m), names: o.names ?? suggestedNames(Hdata, k, names),
    fit: {
      solver: o.solver, loss: o.loss, init: o.method === 'mini-batch' ? 'mini-batch' : o.init, seed: o.seed, alphaW: o.alphaW, alphaH: o.alphaH, l1Ratio: o.l1Ratio,
      iterations: o.method === 'mini-batch' ? epochs : start.iterations, converged, reconstructionError: 0, relativeError: 0,
    },
    input: { source: summary.source, users, usersSetAside: 0, rows: summary.rowsRead }, personas: [],
  };
  const tally = new PersonaTally(k, m);
  const bins = new Float64Array(RESIDUAL_BINS);
  let setAside = 0, residualSq = 0, norm = 0, divergence = 0, assigned = 0;
  if (write) await write(assignmentHeader(k, o.withWeights));
  await streamCounts(source, read, CHUNK, async (b) => {
    const counts = pick(b.counts.data, b.users.length, b.events.length);
    const a = await assignWithModel(draft, counts, names, { simd: o.simd, residuals: true });
    const matrix = a.matrix!;
    if (o.loss === 'kl') divergence += klDivergenceOf(matrix, a.W, H);
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
    fit: { ...draft.fit, reconstructionError: Math.sqrt(o.loss === 'kl' ? 2 * Math.max(0, divergence) : residualSq), relativeError: norm > 0 ? Math.sqrt(residualSq / norm) : 0 },
    input: { ...draft.input, users: assigned, usersSetAside: setAside },
    calibration: { residualQuantile: RESIDUAL_QUANTILE, residualThreshold: quantileOf(bins, RESIDUAL_QUANTILE) },
    ...(survey ? { survey } : {}),
    ...(o.method === 'mini-batch'
      ? { miniBatch: { batchSize, epochs, steps, sampleUsers: sampled } }
      : { sample: { users: sampled, seed: o.seed } }),
  };
  return { model, survey, summary, epochs, steps, seconds: {
    count: (t1 - t0) / 1000,
    init: o.method === 'sample' ? start.timings.initSeconds : (t2 - t1) / 1000,
    iterate: o.method === 'sample' ? start.timings.iterateSeconds : (t3 - t2) / 1000,
    assign: (t4 - t3) / 1000,
  } };
}

type DenseCounts = { readonly format: 'dense'; readonly rows: number; readonly cols: number; readonly data: Float32Array };

/** The rows with at least one count (a sampled user may have none of the selected events). */
function withoutEmptyRows(counts: DenseCounts): DenseCounts {
  const m = counts.cols, keep: number[] = [];
  for (let r = 0; r < counts.rows; r++) if (counts.data.subarray(r * m, (r + 1) * m).some((v) => v > 0)) keep.push(r);
  if (keep.length === counts.rows) return counts;
  const data = new Float32Array(keep.length * m);
  keep.forEach((r, i) => data.set(counts.data.subarray(r * m, (r + 1) * m), i * m));
  return { format: 'dense', rows: keep.length, cols: m, data };
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
