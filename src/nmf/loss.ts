// Reconstruction error, with scikit-learn's meaning of `reconstruction_err_`: √(2·β-divergence),
// which is ‖V − WH‖_F for the Frobenius loss.

import type { NmfProblem } from './problem.js';
import type { NmfLoss } from './options.js';
import { assertUnreachable } from '../errors.js';

/** Σ (V − WH)², in float64 (chunk sums added in chunk order). rowOut (a rows-long buffer) receives each row's share when given. */
export async function squaredFrobenius(p: NmfProblem, rowOutPtr = 0): Promise<number> {
  if (!p.x) p.computeHht();
  const totals = await p.runChunks((c) => {
    const rowOut = rowOutPtr ? rowOutPtr + c.start * 4 : 0;
    if (p.x) return [{ fn: 'lossFrobenius', args: [p.x.at(c.start * p.cols), p.W.at(c.start * p.kp), p.H.ptr, c.scratch, rowOut, c.count, p.cols, p.kp] }];
    const { indptr, indices, data } = p.csr!;
    return [{ fn: 'lossFrobeniusCsr', args: [indptr.at(c.start), indices.ptr, data.ptr, p.W.at(c.start * p.kp), p.Ht.ptr, p.hht.ptr, rowOut, c.count, p.kp] }];
  });
  return totals.reduce((a, b) => a + b, 0);
}

/** The generalized KL divergence D(V ‖ WH), with scikit-learn's handling of zeros. */
export async function klDivergence(p: NmfProblem, rowOutPtr = 0): Promise<number> {
  p.computeHsum();
  const totals = await p.runChunks((c) => {
    const rowOut = rowOutPtr ? rowOutPtr + c.start * 4 : 0;
    if (p.x) return [{ fn: 'lossKl', args: [p.x.at(c.start * p.cols), p.W.at(c.start * p.kp), p.H.ptr, p.hsum.ptr, c.scratch, rowOut, c.count, p.cols, p.kp] }];
    const { indptr, indices, data } = p.csr!;
    return [{ fn: 'lossKlCsr', args: [indptr.at(c.start), indices.ptr, data.ptr, p.W.at(c.start * p.kp), p.Ht.ptr, p.hsum.ptr, rowOut, c.count, p.kp] }];
  });
  return totals.reduce((a, b) => a + b, 0);
}

/** scikit-learn's reconstruction_err_ for the given loss. */
export async function reconstructionError(p: NmfProblem, loss: NmfLoss): Promise<number> {
  switch (loss) {
    case 'frobenius':
      return Math.sqrt(Math.max(await squaredFrobenius(p), 0));
    case 'kl':
      return Math.sqrt(2 * Math.max(await klDivergence(p), 0));
    default:
      return assertUnreachable(loss, 'loss');
  }
}

/** ‖V − WH‖_F / ‖V‖_F (0 for an all-zero V). */
export function relativeError(p: NmfProblem, squaredResidual: number): number {
  return p.sumSquares > 0 ? Math.sqrt(Math.max(squaredResidual, 0) / p.sumSquares) : 0;
}
