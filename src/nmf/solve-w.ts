// W for fixed H: the convex half of NMF, solved from a fixed start. transformNmf uses it for new rows,
// and fitNmf ends with it, so a fit's W and a later transform of the same rows are the same numbers
// (scikit-learn's fit_transform and transform differ: issue #18663). Every row's result depends on
// that row alone, never on the rows solved with it, so assigning users in chunks changes nothing.
// Frobenius: coordinate descent from W = 0, each row until its own violation falls to tol × its
// first (an exact NNLS solver; a few sweeps for small k; V·Hᵀ computed once per chunk).
// KL: multiplicative updates of W alone from scikit-learn's constant √(mean/k) (they cannot leave 0),
// a fixed number of them (maxIter), as a stopping test over a whole chunk would couple its rows.

import type { NmfProblem } from './problem.js';
import type { NmfLoss, Regularization } from './options.js';
import { updateWKl } from './mu.js';
import { assertUnreachable } from '../errors.js';
import type { KernelCall } from '../wasm/row-pool.js';

export interface SolveWOptions {
  /** Frobenius: most sweeps per row. KL: the number of iterations. */
  readonly maxIter: number;
  /** Frobenius: a row stops when its sweep's violation ≤ tol × its first sweep's. (KL: unused.) */
  readonly tol: number;
}

export interface SolveWResult {
  readonly iterations: number;
  readonly converged: boolean;
}

/** Tight: rows reach it from a cold start in a few sweeps. */
export const SOLVE_W_DEFAULTS: SolveWOptions = { maxIter: 500, tol: 1e-6 };
/** KL's fixed number of W-only multiplicative updates. */
export const KL_SOLVE_ITERATIONS = 100;

/** Defaults for a loss. */
export function solveWDefaults(loss: NmfLoss): SolveWOptions {
  return loss === 'kl' ? { maxIter: KL_SOLVE_ITERATIONS, tol: 0 } : SOLVE_W_DEFAULTS;
}

/** Sets W to the fixed start for the loss, then solves W with H fixed. */
export async function solveW(p: NmfProblem, loss: NmfLoss, reg: Regularization, o: SolveWOptions = solveWDefaults(loss)): Promise<SolveWResult> {
  const start = loss === 'kl' ? Math.sqrt(p.mean / p.k) : 0;
  const w = p.W.view();
  w.fill(0);
  if (start > 0) for (let r = 0; r < p.rows; r++) w.fill(start, r * p.kp, r * p.kp + p.k);
  switch (loss) {
    case 'frobenius':
      return solveWFrobenius(p, reg, o);
    case 'kl':
      return solveWKl(p, reg, o);
    default:
      return assertUnreachable(loss, 'loss');
  }
}

async function solveWFrobenius(p: NmfProblem, reg: Regularization, o: SolveWOptions): Promise<SolveWResult> {
  p.computeHht();
  // Per chunk: V·Hᵀ into the thread's chunk buffer, then the rows' exact solves.
  const sweeps = await p.runChunks((c) => {
    const product: KernelCall = p.x
      ? { fn: 'gemmNN', args: [p.x.at(c.start * p.cols), p.Ht.ptr, c.chunkBuffer, c.count, p.cols, p.kp] }
      : { fn: 'csrGemmNN', args: [p.csr!.indptr.at(c.start), p.csr!.indices.ptr, p.csr!.data.ptr, p.Ht.ptr, c.chunkBuffer, c.count, p.kp] };
    return [product, { fn: 'cdSolve', args: [p.W.at(c.start * p.kp), p.hht.ptr, c.chunkBuffer, p.perm.ptr, c.count, p.k, p.kp, reg.l1W, reg.l2W, o.maxIter, o.tol, c.scratch] }];
  });
  const most = Math.max(0, ...sweeps);
  return { iterations: most, converged: most < o.maxIter };
}

async function solveWKl(p: NmfProblem, reg: Regularization, o: SolveWOptions): Promise<SolveWResult> {
  for (let it = 1; it <= o.maxIter; it++) await updateWKl(p, reg, false);
  return { iterations: o.maxIter, converged: true };
}
