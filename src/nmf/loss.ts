// Reconstruction error, with scikit-learn's meaning of `reconstruction_err_`: √(2·β-divergence),
// which is ‖V − WH‖_F for the Frobenius loss.

import type { NmfProblem } from './problem.js';
import type { NmfLoss } from './options.js';
import { assertUnreachable } from '../errors.js';

/** Σ (V − WH)², in float64. rowOut (a rows-long buffer) receives each row's share when given. */
export function squaredFrobenius(p: NmfProblem, rowOutPtr = 0): number {
  const K = p.ws.kernels;
  let total = 0;
  if (!p.x) p.computeHht();
  p.forEachChunk((start, count) => {
    const rowOut = rowOutPtr ? rowOutPtr + start * 4 : 0;
    if (p.x) {
      total += K.lossFrobenius(p.x.at(start * p.cols), p.W.at(start * p.kp), p.H.ptr, p.scratch.ptr, rowOut, count, p.cols, p.kp);
    } else {
      const { indptr, indices, data } = p.csr!;
      total += K.lossFrobeniusCsr(indptr.at(start), indices.ptr, data.ptr, p.W.at(start * p.kp), p.Ht.ptr, p.hht.ptr, rowOut, count, p.kp);
    }
  });
  return total;
}

/** The generalized KL divergence D(V ‖ WH), with scikit-learn's handling of zeros. */
export function klDivergence(p: NmfProblem, rowOutPtr = 0): number {
  const K = p.ws.kernels;
  let total = 0;
  p.computeHsum();
  p.forEachChunk((start, count) => {
    const rowOut = rowOutPtr ? rowOutPtr + start * 4 : 0;
    if (p.x) {
      total += K.lossKl(p.x.at(start * p.cols), p.W.at(start * p.kp), p.H.ptr, p.hsum.ptr, p.scratch.ptr, rowOut, count, p.cols, p.kp);
    } else {
      const { indptr, indices, data } = p.csr!;
      total += K.lossKlCsr(indptr.at(start), indices.ptr, data.ptr, p.W.at(start * p.kp), p.Ht.ptr, p.hsum.ptr, rowOut, count, p.kp);
    }
  });
  return total;
}

/** scikit-learn's reconstruction_err_ for the given loss. */
export function reconstructionError(p: NmfProblem, loss: NmfLoss): number {
  switch (loss) {
    case 'frobenius':
      return Math.sqrt(Math.max(squaredFrobenius(p), 0));
    case 'kl':
      return Math.sqrt(2 * Math.max(klDivergence(p), 0));
    default:
      return assertUnreachable(loss, 'loss');
  }
}

/** ‖V − WH‖_F / ‖V‖_F (0 for an all-zero V). */
export function relativeError(p: NmfProblem, squaredResidual = squaredFrobenius(p)): number {
  return p.sumSquares > 0 ? Math.sqrt(Math.max(squaredResidual, 0) / p.sumSquares) : 0;
}
