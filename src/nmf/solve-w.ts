// W for fixed H: the convex half of NMF, solved to convergence from a fixed start. transformNmf uses
// it for new rows, and fitNmf ends with it, so a fit's W and a later transform of the same rows are
// the same numbers (scikit-learn's fit_transform and transform differ: issue #18663).
// Frobenius: coordinate descent from W = 0 (an exact NNLS solver; a few sweeps for small k).
// KL: multiplicative updates of W alone from scikit-learn's constant √(mean/k) (they cannot leave 0).

import type { NmfProblem } from './problem.js';
import type { NmfLoss, Regularization } from './options.js';
import { updateWHals } from './hals.js';
import { updateWKl } from './mu.js';
import { klDivergence } from './loss.js';
import { assertUnreachable } from '../errors.js';

export interface SolveWOptions {
  readonly maxIter: number;
  /** Frobenius: stop when a sweep's violation ≤ tol × the first's. KL: when the divergence's
   * relative decrease over 10 iterations < tol. */
  readonly tol: number;
}

export interface SolveWResult {
  readonly iterations: number;
  readonly converged: boolean;
}

/** Tight enough that fit and transform agree; cold starts reach it in a few sweeps. */
export const SOLVE_W_DEFAULTS: SolveWOptions = { maxIter: 500, tol: 1e-6 };

/** Sets W to the fixed start for the loss, then solves W with H fixed. */
export function solveW(p: NmfProblem, loss: NmfLoss, reg: Regularization, o: SolveWOptions = SOLVE_W_DEFAULTS): SolveWResult {
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
  let first = 0;
  for (let it = 1; it <= o.maxIter; it++) {
    const violation = updateWHals(p, reg, false);
    if (it === 1) first = violation;
    if (first === 0 || violation <= o.tol * first) return { iterations: it, converged: true };
  }
  return { iterations: o.maxIter, converged: false };
}

function solveWKl(p: NmfProblem, reg: Regularization, o: SolveWOptions): SolveWResult {
  const initial = klDivergence(p);
  let previous = initial;
  if (initial === 0) return { iterations: 0, converged: true };
  for (let it = 1; it <= o.maxIter; it++) {
    updateWKl(p, reg, false);
    if (it % 10 === 0) {
      const current = klDivergence(p);
      if ((previous - current) / initial < o.tol) return { iterations: it, converged: true };
      previous = current;
    }
  }
  return { iterations: o.maxIter, converged: false };
}
