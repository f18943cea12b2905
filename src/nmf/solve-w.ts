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
export function solveW(p: NmfProblem, loss: NmfLoss, reg: Regularization, o: SolveWOptions = solveWDefaults(loss)): SolveWResult {
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

function solveWFrobenius(p: NmfProblem, reg: Regularization, o: SolveWOptions): SolveWResult {
  const K = p.ws.kernels;
  p.computeHht();
  const xht = p.chunkBuffer;
  let most = 0;
  p.forEachChunk((start, count) => {
    if (p.x) K.gemmNN(p.x.at(start * p.cols), p.Ht.ptr, xht.ptr, count, p.cols, p.kp);
    else {
      const { indptr, indices, data } = p.csr!;
      K.csrGemmNN(indptr.at(start), indices.ptr, data.ptr, p.Ht.ptr, xht.ptr, count, p.kp);
    }
    most = Math.max(most, K.cdSolve(p.W.at(start * p.kp), p.hht.ptr, xht.ptr, p.perm.ptr, count, p.k, p.kp, reg.l1W, reg.l2W, o.maxIter, o.tol, p.scratch.ptr));
  });
  return { iterations: most, converged: most < o.maxIter };
}

function solveWKl(p: NmfProblem, reg: Regularization, o: SolveWOptions): SolveWResult {
  for (let it = 1; it <= o.maxIter; it++) updateWKl(p, reg, false);
  return { iterations: o.maxIter, converged: true };
}
