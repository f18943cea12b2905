// W for fixed H: the convex half of NMF, solved to convergence. Used by transformNmf for new rows
// and at the end of fitNmf, so a fit and a later transform of the same rows land on the same W.
// Frobenius: coordinate descent (an exact NNLS solver; converges in a few sweeps for small k).
// KL: multiplicative updates of W alone.

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

export function solveW(p: NmfProblem, loss: NmfLoss, reg: Regularization, o: SolveWOptions): SolveWResult {
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
