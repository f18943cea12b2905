// Choosing k: for every candidate k, the evidence users need to defend a choice — cross-validated
// error, consensus over repeated runs, the error curve, the stability of assignments, the smallest
// persona — and one recommendation from a documented rule (recommend.ts).

import { adjustedRandIndex } from '../personas/agreement.js';
import { Random } from '../random.js';
import { consensus } from './consensus.js';
import { inlineExecutor, type SurveyExecutor, type SurveyMatrix, type SurveyTask, type SurveyTaskResult } from './tasks.js';
import { recommendByConsensus, recommendK, type Recommendation } from './recommend.js';
import { NmfInputError } from '../errors.js';
import type { CountMatrix } from '../transform/transforms.js';

export interface SelectKOptions {
  /** Smallest and largest k to survey. */
  kMin: number;
  kMax: number;
  /**
   * 'all' (default): cross-validation and consensus, recommended by cross-validated error;
   * 'cv': cross-validation, with few runs (3) for stability and the 1 % check;
   * 'consensus': runs only, recommended by Brunet's cophenetic rule (known to choose small k).
   */
  method?: 'all' | 'cv' | 'consensus';
  /** Fits from random starts per k, for consensus and stability. Default 5 (3 with method 'cv'). */
  runs?: number;
  /** Cross-validation replicates per k, each with a fresh mask. Default 3 (0 with 'consensus'). */
  replicates?: number;
  /** Share of entries held out per replicate. Default 0.2. */
  holdout?: number;
  /** Users the survey works on (a seeded random sample when there are more). Default 5 000. */
  sampleUsers?: number;
  /** Users in the consensus matrix (a sample of the above). Default 500. */
  consensusUsers?: number;
  /** Also survey a column-shuffled copy of the data (a null with no personas; Frigyesi & Höglund 2008). */
  null?: boolean;
  /** Stop starting new k's after this many seconds (the ks done are reported). */
  timeBudgetSeconds?: number;
  seed?: number;
  simd?: boolean;
  /** Called as work is done (units: fits and replicates). */
  onProgress?: (done: number, total: number, k: number) => void;
  /**
   * Runs the survey's fits and replicates; default: one after another in this thread. Node's CLI
   * passes a worker-thread pool (src/node/survey-pool.ts); results do not depend on it.
   */
  executor?: (data: SurveyMatrix, nullData: SurveyMatrix | undefined) => Promise<SurveyExecutor> | SurveyExecutor;
}

export interface KCandidate {
  readonly k: number;
  /** Mean held-out MSE over replicates, and its standard deviation. */
  readonly cvError: number;
  readonly cvErrorSd: number;
  /** Consensus over runs: cophenetic correlation and dispersion. */
  readonly cophenetic: number;
  readonly dispersion: number;
  /** Mean adjusted Rand index between the runs' assignments. */
  readonly stability: number;
  /** The best run's smallest persona, as a share of users. */
  readonly minShare: number;
  /** The best run's relative error and explained variance (1 − relative error²). */
  readonly relativeError: number;
  readonly explainedVariance: number;
  /** With `null`: the column-shuffled data's held-out MSE and relative error at this k. */
  readonly nullCvError?: number;
  readonly nullRelativeError?: number;
  /** One sentence on this k. */
  reason: string;
}

export interface SelectKResult extends Recommendation {
  readonly candidates: KCandidate[];
  /** Users surveyed (after sampling). */
  readonly users: number;
  readonly seconds: number;
  /** ks skipped because the time budget ran out. */
  readonly skipped: readonly number[];
  readonly threads: number;
}

type Matrix = SurveyMatrix;

/** Surveys k = kMin..kMax on an already transformed users × events matrix (dense or CSR). */
export async function selectK(matrix: Matrix | CountMatrix, o: SelectKOptions): Promise<SelectKResult> {
  const kMin = o.kMin, kMax = Math.min(o.kMax, matrix.rows, matrix.cols);
  if (!Number.isInteger(kMin) || kMin < 1 || kMax < kMin) {
    throw new NmfInputError('BAD_K', `the k range must be integers with 1 ≤ A ≤ B ≤ min(users, events) = ${Math.min(matrix.rows, matrix.cols)}; got ${o.kMin}..${o.kMax}`, `${o.kMin}..${o.kMax}`);
  }
  const t0 = performance.now();
  const method = o.method ?? 'all';
  const seed = o.seed ?? 0;
  const runs = Math.max(2, o.runs ?? (method === 'cv' ? 3 : 5));
  const replicates = method === 'consensus' ? 0 : Math.max(2, o.replicates ?? 3);
  const data = sampleRows(matrix, o.sampleUsers ?? 5_000, seed);
  if (o.timeBudgetSeconds !== undefined && !(o.timeBudgetSeconds > 0)) {
    throw new NmfInputError('BAD_OPTION', `the time budget must be a number of seconds > 0; got ${o.timeBudgetSeconds}`, o.timeBudgetSeconds);
  }
  const nullData = o.null ? shuffleColumns(data, seed + 7) : undefined;
  const consensusRows = sampleIndices(data.rows, o.consensusUsers ?? 500, seed + 1);
  const candidates: KCandidate[] = [];
  const skipped: number[] = [];
  const holdout = o.holdout ?? 0.2;
  const total = (kMax - kMin + 1) * (runs + replicates * (nullData ? 2 : 1) + (nullData ? 1 : 0));
  let done = 0;
  const executor = await (o.executor ?? ((d, n) => inlineExecutor(d, n, o.simd)))(data, nullData);
  // Every k's tasks at once, so all threads stay busy: the costliest (largest k, cross-validation)
  // first, so no long task is left alone at the end; under a time budget, smallest k first instead,
  // so whatever is done covers the low end of the range.
  const ks = Array.from({ length: kMax - kMin + 1 }, (_, i) => kMin + i);
  const tasksOf = (k: number): SurveyTask[] => [
    ...Array.from({ length: runs }, (_, r) => ({ kind: 'run' as const, k, seed: seed + 1000 * k + r })),
    ...Array.from({ length: replicates }, (_, rep) => ({ kind: 'cv' as const, k, seed: seed + 7919 * rep + 13, holdout, onNull: false })),
    ...(nullData ? Array.from({ length: replicates }, (_, rep) => ({ kind: 'cv' as const, k, seed: seed + 7919 * rep + 13, holdout, onNull: true })) : []),
    ...(nullData ? [{ kind: 'null-fit' as const, k, seed }] : []),
  ];
  const tasks = o.timeBudgetSeconds === undefined
    ? [...ks].reverse().flatMap((k) => tasksOf(k).reverse())
    : ks.flatMap(tasksOf);
  const overBudget = () => o.timeBudgetSeconds !== undefined && (performance.now() - t0) / 1000 > o.timeBudgetSeconds;
  let results: (SurveyTaskResult | undefined)[];
  try {
    results = await executor.run(tasks, (task) => o.onProgress?.(++done, total, task.k), overBudget);
  } finally {
    await executor.close();
  }
  for (const k of ks) {
    const mine = tasks.map((t, i) => [t, results[i]] as const).filter(([t]) => t.k === k);
    if (mine.some(([, r]) => r === undefined)) skipped.push(k);
    else candidates.push(summarize(k, mine.map(([t]) => t), mine.map(([, r]) => r!), data.rows, consensusRows));
  }
  if (candidates.length === 0) {
    throw new NmfInputError('BAD_OPTION', `the time budget of ${o.timeBudgetSeconds} s ended before any k was surveyed; give it more time`, o.timeBudgetSeconds);
  }
  const recommendation = method === 'consensus' ? recommendByConsensus(candidates) : recommendK(candidates, replicates);
  return { ...recommendation, candidates, users: data.rows, seconds: (performance.now() - t0) / 1000, skipped, threads: executor.threads };
}

/** One k's evidence from its tasks' results. */
function summarize(k: number, tasks: readonly SurveyTask[], results: readonly SurveyTaskResult[], users: number, consensusRows: Int32Array): KCandidate {
  const assignments: Int32Array[] = [];
  const cv: number[] = [], nullCv: number[] = [];
  let best = { error: Infinity, relativeError: 1, minShare: 0 };
  let nullRelativeError: number | undefined;
  results.forEach((r, i) => {
    const task = tasks[i]!;
    if (r.kind === 'run') {
      assignments.push(r.persona);
      if (r.reconstructionError < best.error) {
        const sizes = new Array<number>(k).fill(0);
        for (const p of r.persona) if (p >= 0) sizes[p]!++;
        best = { error: r.reconstructionError, relativeError: r.relativeError, minShare: Math.min(...sizes) / users };
      }
    } else if (r.kind === 'cv') {
      (task.kind === 'cv' && task.onNull ? nullCv : cv).push(r.heldOutMse);
    } else {
      nullRelativeError = r.relativeError;
    }
  });
  let ari = 0, pairs = 0;
  for (let a = 0; a < assignments.length; a++) for (let b = a + 1; b < assignments.length; b++) { ari += adjustedRandIndex(assignments[a]!, assignments[b]!); pairs++; }
  const agreement = assignments.length > 1 ? consensus(assignments.map((a) => Int32Array.from(consensusRows, (u) => a[u]!))) : { cophenetic: 1, dispersion: 1 };
  return {
    k, cvError: mean(cv), cvErrorSd: sd(cv), cophenetic: agreement.cophenetic, dispersion: agreement.dispersion,
    stability: pairs ? ari / pairs : 1, minShare: best.minShare, relativeError: best.relativeError,
    explainedVariance: 1 - best.relativeError ** 2,
    ...(nullCv.length ? { nullCvError: mean(nullCv), nullRelativeError } : {}),
    reason: '',
  };
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}

function sd(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}

/** Up to `count` distinct row indices, seeded, in increasing order. */
function sampleIndices(rows: number, count: number, seed: number): Int32Array {
  if (rows <= count) return Int32Array.from({ length: rows }, (_, i) => i);
  const picked = new Random(seed).permutation(rows).subarray(0, count);
  return Int32Array.from(picked).sort();
}

/** A seeded sample of up to `count` rows, dense (the survey's kernels work on dense data). */
function sampleRows(m: Matrix | CountMatrix, count: number, seed: number): Matrix {
  const csr = 'format' in m && m.format === 'csr';
  if (m.rows <= count && !csr) return m as Matrix;
  const rows = sampleIndices(m.rows, count, seed);
  const data = new Float32Array(rows.length * m.cols);
  rows.forEach((r, i) => {
    if (csr) for (let z = m.indptr[r]!; z < m.indptr[r + 1]!; z++) data[i * m.cols + m.indices[z]!] = m.data[z]!;
    else data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
  });
  return { rows: rows.length, cols: m.cols, data };
}

/** Each column permuted independently across users: the same marginals, no personas. */
function shuffleColumns(m: Matrix, seed: number): Matrix {
  const rng = new Random(seed);
  const data = new Float32Array(m.data.length);
  for (let j = 0; j < m.cols; j++) {
    const order = rng.permutation(m.rows);
    for (let i = 0; i < m.rows; i++) data[i * m.cols + j] = m.data[order[i]! * m.cols + j]!;
  }
  return { rows: m.rows, cols: m.cols, data };
}
