// NMF options: scikit-learn's names and meanings, documented defaults, checked before any work.

import { NmfInputError, assertUnreachable } from '../errors.js';
import type { MatrixInput } from '../types.js';
import { periodicYield } from '../yield.js';
import type { RowPool } from '../wasm/row-pool.js';

/** 'mu': multiplicative updates (Lee & Seung); 'hals': coordinate descent, scikit-learn's `cd`. */
export type NmfSolver = 'mu' | 'hals';
/** 'frobenius': ½‖V − WH‖²_F; 'kl': generalized Kullback–Leibler divergence D(V ‖ WH). */
export type NmfLoss = 'frobenius' | 'kl';
/** How W and H start: scikit-learn's schemes, or given factors ({W: rows×k, H: k×cols}). */
export type NmfInit = 'random' | 'nndsvd' | 'nndsvda' | 'nndsvdar' | { readonly W: MatrixInput; readonly H: MatrixInput };

/** Reported after each iteration; return nothing. */
export interface NmfIterationInfo {
  readonly iteration: number;
  readonly maxIter: number;
  /** The reconstruction error when it was computed at this iteration (see traceEvery). */
  readonly error?: number;
}

export interface NmfOptions {
  /** Number of components (personas). An integer with 1 ≤ k ≤ min(rows, cols). Required. */
  k: number;
  /** Solver. Default 'hals' for Frobenius (scikit-learn's default `cd`), 'mu' for KL (the only one that handles it). */
  solver?: NmfSolver;
  /** Loss. Default 'frobenius'. */
  loss?: NmfLoss;
  /**
   * Initialization. Default 'nndsvda' (scikit-learn's default since 1.1): NNDSVD with zeros filled by
   * the data mean. 'random' draws |N(0,1)|·√(mean/k); 'nndsvdar' fills NNDSVD's zeros with small
   * random values. The SVD behind NNDSVD is exact for up to 256 events, randomized beyond.
   */
  init?: NmfInit;
  /** Maximum iterations, ≥ 1. Default 200. */
  maxIter?: number;
  /**
   * Stopping tolerance, ≥ 0. Default 1e-4. As scikit-learn: 'mu' checks every 10 iterations and stops
   * when (previous error − error) / initial error < tol; 'hals' stops when the projected-gradient
   * violation of an iteration falls to tol times that of the first. 0 runs maxIter iterations.
   */
  tol?: number;
  /** Seed of the only random generator (random inits, randomized SVD). Any integer. Default 0. */
  seed?: number;
  /** Regularization of W, ≥ 0, scaled by the number of events as in scikit-learn. Default 0. */
  alphaW?: number;
  /** Regularization of H, ≥ 0 (scaled by the number of users), or 'same' as alphaW. Default 'same'. */
  alphaH?: number | 'same';
  /** Share of L1 in the regularization, 0 (all L2) to 1 (all L1). Default 0. */
  l1Ratio?: number;
  /** Use the SIMD kernels. Default: when the engine supports them; false forces the scalar build. */
  simd?: boolean;
  /**
   * After the iterations, solve W again with H fixed, exactly as transformNmf does (same start, same
   * tolerance), so the fit's W equals a later transform of the same rows. Default true; false
   * returns W as the last iteration left it (scikit-learn's behaviour).
   */
  refineW?: boolean;
  /** Record the error in lossTrace every this many iterations (0: only at start and end). Default 10. */
  traceEvery?: number;
  /** Called after every iteration (progress bars). */
  onIteration?: (info: NmfIterationInfo) => void;
  /** Stops the fit with an AbortedError when aborted (checked every iteration; the event loop runs every 50 ms). */
  signal?: AbortSignal;
  /**
   * Worker threads for the row passes (Node: createKernelPool from personas' node layer). Results do
   * not depend on the number of threads. Used when the matrix has more than one chunk of rows.
   */
  pool?: RowPool;
}

export interface ResolvedFitOptions {
  readonly k: number;
  readonly solver: NmfSolver;
  readonly loss: NmfLoss;
  readonly init: NmfInit;
  readonly maxIter: number;
  readonly tol: number;
  readonly seed: number;
  readonly alphaW: number;
  readonly alphaH: number;
  readonly l1Ratio: number;
  readonly simd: boolean | undefined;
  readonly refineW: boolean;
  readonly traceEvery: number;
  readonly onIteration: ((info: NmfIterationInfo) => void) | undefined;
  readonly signal: AbortSignal | undefined;
  readonly pool: RowPool | undefined;
  /** With a signal: awaited each iteration, yields to the event loop every 50 ms. */
  readonly yieldNow: (() => Promise<void> | undefined) | undefined;
}

/** Merges defaults and checks every option; k is checked against the matrix shape. */
export function resolveFitOptions(options: NmfOptions, rows: number, cols: number): ResolvedFitOptions {
  if (options === null || typeof options !== 'object') {
    throw new NmfInputError('BAD_OPTION', `options must be an object with at least k; got ${String(options)}`, options);
  }
  const k = checkK(options.k, rows, cols);
  const loss = oneOf(options.loss ?? 'frobenius', 'loss', ['frobenius', 'kl'] as const);
  const solver = oneOf(options.solver ?? (loss === 'kl' ? 'mu' : 'hals'), 'solver', ['mu', 'hals'] as const);
  if (solver === 'hals' && loss === 'kl') {
    throw new NmfInputError('BAD_OPTION', "solver 'hals' handles only the Frobenius loss; use solver 'mu' with loss 'kl'", solver);
  }
  const init = options.init ?? 'nndsvda';
  if (typeof init === 'string') oneOf(init, 'init', ['random', 'nndsvd', 'nndsvda', 'nndsvdar'] as const);
  else if (init === null || typeof init !== 'object' || !('W' in init) || !('H' in init)) {
    throw new NmfInputError('BAD_OPTION', "init must be 'random', 'nndsvd', 'nndsvda', 'nndsvdar' or {W, H}", init);
  }
  const alphaW = nonNegative(options.alphaW ?? 0, 'alphaW');
  const alphaH = options.alphaH === undefined || options.alphaH === 'same' ? alphaW : nonNegative(options.alphaH, 'alphaH');
  const l1Ratio = nonNegative(options.l1Ratio ?? 0, 'l1Ratio');
  if (l1Ratio > 1) throw new NmfInputError('BAD_OPTION', `l1Ratio must be in [0, 1]; got ${l1Ratio}`, l1Ratio);
  if (options.simd !== undefined && typeof options.simd !== 'boolean') {
    throw new NmfInputError('BAD_OPTION', `simd must be true, false or unset; got ${String(options.simd)}`, options.simd);
  }
  return {
    k,
    solver,
    loss,
    init,
    maxIter: positiveInteger(options.maxIter ?? 200, 'maxIter'),
    tol: nonNegative(options.tol ?? 1e-4, 'tol'),
    seed: integer(options.seed ?? 0, 'seed'),
    alphaW,
    alphaH,
    l1Ratio,
    simd: options.simd,
    refineW: options.refineW ?? true,
    traceEvery: nonNegativeInteger(options.traceEvery ?? 10, 'traceEvery'),
    onIteration: options.onIteration,
    signal: options.signal,
    pool: options.pool,
    yieldNow: options.signal ? periodicYield() : undefined,
  };
}

/** L1 and L2 penalties of W and H as scikit-learn scales them (`_compute_regularization`). */
export interface Regularization {
  readonly l1W: number;
  readonly l2W: number;
  readonly l1H: number;
  readonly l2H: number;
}

export function regularization(o: { alphaW: number; alphaH: number; l1Ratio: number }, rows: number, cols: number): Regularization {
  return {
    l1W: cols * o.alphaW * o.l1Ratio,
    l2W: cols * o.alphaW * (1 - o.l1Ratio),
    l1H: rows * o.alphaH * o.l1Ratio,
    l2H: rows * o.alphaH * (1 - o.l1Ratio),
  };
}

export function checkK(k: unknown, rows: number, cols: number): number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
    throw new NmfInputError('BAD_K', `k (the number of personas) must be an integer ≥ 1; got ${String(k)}`, k);
  }
  const most = Math.min(rows, cols);
  if (k > most) {
    throw new NmfInputError(
      'BAD_K',
      `k = ${k} is more than min(users, events) = min(${rows}, ${cols}) = ${most}; choose k ≤ ${most}`,
      k,
    );
  }
  return k;
}

export function oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new NmfInputError('BAD_OPTION', `${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}; got ${JSON.stringify(value)}`, value);
}

export function nonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
    throw new NmfInputError('BAD_OPTION', `${name} must be a finite number ≥ 0; got ${String(value)}`, value);
  }
  return value;
}

export function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new NmfInputError('BAD_OPTION', `${name} must be an integer ≥ 1; got ${String(value)}`, value);
  }
  return value;
}

function nonNegativeInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new NmfInputError('BAD_OPTION', `${name} must be an integer ≥ 0; got ${String(value)}`, value);
  }
  return value;
}

function integer(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new NmfInputError('BAD_OPTION', `${name} must be an integer; got ${String(value)}`, value);
  }
  return value;
}

/** A short, stable name of an init for results and reports. */
export function initName(init: NmfInit): string {
  if (typeof init === 'object') return 'custom';
  switch (init) {
    case 'random':
    case 'nndsvd':
    case 'nndsvda':
    case 'nndsvdar':
      return init;
    default:
      return assertUnreachable(init, 'init');
  }
}
