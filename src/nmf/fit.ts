// fitNmf: the alternating loop, its stopping rules (scikit-learn's), and the result.

import { NmfInputError, AbortedError, assertUnreachable } from '../errors.js';
import type { Float32Matrix, MatrixInput } from '../types.js';
import { Random } from '../random.js';
import { checkMatrix, type CheckedMatrix } from './check.js';
import { initName, regularization, resolveFitOptions, type NmfOptions, type NmfLoss, type NmfSolver, type Regularization, type ResolvedFitOptions } from './options.js';
import { NmfProblem } from './problem.js';
import { customInit, initializeFactors } from './init.js';
import { updateHFrobenius, updateHKl, updateWFrobenius, updateWKl } from './mu.js';
import { updateHHals, updateWHals } from './hals.js';
import { reconstructionError, relativeError, squaredFrobenius } from './loss.js';
import { solveW } from './solve-w.js';

/** One point of the error curve. */
export interface LossTracePoint {
  readonly iteration: number;
  /** reconstruction error (scikit-learn's reconstruction_err_) after that iteration; 0 is the start */
  readonly error: number;
}

export interface NmfResult {
  /** users × k */
  readonly W: Float32Matrix;
  /** k × events */
  readonly H: Float32Matrix;
  /** Iterations of the alternating loop. */
  readonly iterations: number;
  /** Whether the stopping rule fired before maxIter. */
  readonly converged: boolean;
  /** √(2·β-divergence) as scikit-learn's reconstruction_err_: ‖V − WH‖_F for Frobenius. */
  readonly reconstructionError: number;
  /** ‖V − WH‖_F / ‖V‖_F, whatever the loss. */
  readonly relativeError: number;
  /** The error at the start, every traceEvery iterations and at the last iteration (before refineW). */
  readonly lossTrace: readonly LossTracePoint[];
  readonly solver: NmfSolver;
  readonly loss: NmfLoss;
  readonly init: string;
  readonly k: number;
  readonly seed: number;
  /** Whether the SIMD kernels ran. */
  readonly simd: boolean;
  /** Threads the row passes ran on (1 without a pool, or when the matrix is one chunk). */
  readonly threads: number;
  readonly timings: { readonly initSeconds: number; readonly iterateSeconds: number };
}

/**
 * Factorizes V (users × events, non-negative) as W·H with k components.
 * Every check runs before any WebAssembly call; bad input throws NmfInputError.
 */
export async function fitNmf(matrix: MatrixInput, options: NmfOptions): Promise<NmfResult> {
  const v = checkMatrix(matrix, 'matrix');
  const o = resolveFitOptions(options, v.rows, v.cols);
  const custom = typeof o.init === 'object' ? checkCustomInit(o.init, v, o.k) : undefined;

  const p = await NmfProblem.create(v, o.k, { simd: o.simd, pool: o.pool });
  const rng = new Random(o.seed);
  const t0 = performance.now();
  if (custom) customInit(p, custom.W, custom.H);
  else initializeFactors(p, o.init as 'random' | 'nndsvd' | 'nndsvda' | 'nndsvdar', rng);
  const t1 = performance.now();

  const reg = regularization(o, v.rows, v.cols);
  const loop = o.solver === 'mu' ? await runMu(p, o, reg) : await runHals(p, o, reg);
  if (loop.trace.at(-1)!.iteration !== loop.iterations) {
    loop.trace.push({ iteration: loop.iterations, error: await reconstructionError(p, o.loss) });
  }
  if (o.refineW) await solveW(p, o.loss, reg);
  const t2 = performance.now();

  const squared = await squaredFrobenius(p);
  const error = o.loss === 'frobenius' ? Math.sqrt(squared) : await reconstructionError(p, o.loss);
  return {
    W: { rows: v.rows, cols: o.k, data: p.getW() },
    H: { rows: o.k, cols: v.cols, data: p.getH() },
    iterations: loop.iterations,
    converged: loop.converged,
    reconstructionError: error,
    relativeError: relativeError(p, squared),
    lossTrace: loop.trace,
    solver: o.solver,
    loss: o.loss,
    init: initName(o.init),
    k: o.k,
    seed: o.seed,
    simd: p.ws.simd,
    threads: p.threads,
    timings: { initSeconds: (t1 - t0) / 1000, iterateSeconds: (t2 - t1) / 1000 },
  };
}

interface LoopResult {
  iterations: number;
  converged: boolean;
  trace: LossTracePoint[];
}

/** scikit-learn's rule: every 10 iterations, stop when (previous − current) / initial error < tol. */
async function runMu(p: NmfProblem, o: ResolvedFitOptions, reg: Regularization): Promise<LoopResult> {
  const errorAtInit = await reconstructionError(p, o.loss);
  const trace: LossTracePoint[] = [{ iteration: 0, error: errorAtInit }];
  if (errorAtInit === 0) return { iterations: 0, converged: true, trace };
  let previous = errorAtInit;
  for (let it = 1; it <= o.maxIter; it++) {
    switch (o.loss) {
      case 'frobenius':
        await updateWFrobenius(p, reg, true);
        updateHFrobenius(p, reg);
        break;
      case 'kl':
        await updateWKl(p, reg, true);
        updateHKl(p, reg);
        break;
      default:
        assertUnreachable(o.loss, 'loss');
    }
    const check = o.tol > 0 && it % 10 === 0;
    const error = check || traced(o, it) ? await reconstructionError(p, o.loss) : undefined;
    if (error !== undefined) trace.push({ iteration: it, error });
    await progress(o, it, error);
    if (check) {
      if ((previous - error!) / errorAtInit < o.tol) return { iterations: it, converged: true, trace };
      previous = error!;
    }
  }
  return { iterations: o.maxIter, converged: false, trace };
}

/** scikit-learn's `cd` rule: stop when an iteration's violation ≤ tol × the first iteration's. */
async function runHals(p: NmfProblem, o: ResolvedFitOptions, reg: Regularization): Promise<LoopResult> {
  const trace: LossTracePoint[] = [{ iteration: 0, error: await reconstructionError(p, 'frobenius') }];
  let first = 0;
  for (let it = 1; it <= o.maxIter; it++) {
    const violation = (await updateWHals(p, reg, true)) + updateHHals(p, reg);
    if (it === 1) first = violation;
    const error = traced(o, it) ? await reconstructionError(p, 'frobenius') : undefined;
    if (error !== undefined) trace.push({ iteration: it, error });
    await progress(o, it, error);
    if (first === 0 || violation / first <= o.tol) return { iterations: it, converged: true, trace };
  }
  return { iterations: o.maxIter, converged: false, trace };
}

function traced(o: ResolvedFitOptions, it: number): boolean {
  return o.traceEvery > 0 && it % o.traceEvery === 0;
}

/** Reports an iteration; with a signal, also lets the event loop run now and then so an abort can arrive. */
async function progress(o: ResolvedFitOptions, iteration: number, error: number | undefined): Promise<void> {
  if (o.signal) await o.yieldNow?.();
  if (o.signal?.aborted) throw new AbortedError(`the fit was aborted at iteration ${iteration}`);
  o.onIteration?.({ iteration, maxIter: o.maxIter, error });
}

function checkCustomInit(init: { W: MatrixInput; H: MatrixInput }, v: CheckedMatrix, k: number) {
  const W = denseValues(checkMatrix(init.W, 'init.W'));
  const H = denseValues(checkMatrix(init.H, 'init.H'));
  if (W.rows !== v.rows || W.cols !== k) {
    throw new NmfInputError('SHAPE_MISMATCH', `init.W is ${W.rows}×${W.cols}; expected users × k = ${v.rows}×${k}`, `${W.rows}×${W.cols}`);
  }
  if (H.rows !== k || H.cols !== v.cols) {
    throw new NmfInputError('SHAPE_MISMATCH', `init.H is ${H.rows}×${H.cols}; expected k × events = ${k}×${v.cols}`, `${H.rows}×${H.cols}`);
  }
  return { W: W.data, H: H.data };
}

/** Row-major values of a checked matrix (CSR expanded: factors are small and dense). */
export function denseValues(m: CheckedMatrix): { rows: number; cols: number; data: ArrayLike<number> } {
  if (m.format === 'dense') return m;
  const data = new Float64Array(m.rows * m.cols);
  for (let r = 0; r < m.rows; r++) {
    for (let z = m.indptr[r]!; z < m.indptr[r + 1]!; z++) data[r * m.cols + m.indices[z]!] = m.data[z]!;
  }
  return { rows: m.rows, cols: m.cols, data };
}
