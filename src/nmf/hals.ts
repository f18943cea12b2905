// Hierarchical alternating least squares: exact coordinate descent on each entry of W, then of H
// (Cichocki & Phan 2009; scikit-learn's `cd` solver, `_update_cdnmf_fast`). Frobenius loss only.
// scikit-learn loops components outside and rows inside; rows are independent given V·Hᵀ and HHᵀ,
// so looping rows outside gives the same numbers and keeps each row in cache.

import type { NmfProblem } from './problem.js';
import type { Regularization } from './options.js';

/**
 * W step: one sweep over every row of W. With `forH`, also accumulates acc ← WᵀV (dense) or VᵀW
 * (CSR) and wtw ← WᵀW with the new W. Returns the sweep's Σ|projected gradient|.
 */
export async function updateWHals(p: NmfProblem, reg: Regularization, forH: boolean): Promise<number> {
  p.computeHht();
  const violations = await p.runChunks((c) => {
    if (p.x) {
      return [{ fn: 'halsPass', args: [p.x.at(c.start * p.cols), p.W.at(c.start * p.kp), p.Ht.ptr, p.hht.ptr, p.perm.ptr, p.k,
        c.acc, c.wtw, c.scratch, c.count, p.cols, p.kp, reg.l1W, reg.l2W] }];
    }
    const { indptr, indices, data } = p.csr!;
    return [{ fn: 'halsPassCsr', args: [indptr.at(c.start), indices.ptr, data.ptr, p.W.at(c.start * p.kp), p.Ht.ptr, p.hht.ptr,
      p.perm.ptr, p.k, c.acc, c.scratch, c.count, p.kp, reg.l1W, reg.l2W] }];
  }, forH);
  return violations.reduce((a, b) => a + b, 0);
}

/** H step, after updateWHals(…, true): one sweep over every row of Hᵀ with WᵀW and VᵀW. Returns Σ|projected gradient|. */
export function updateHHals(p: NmfProblem, reg: Regularization): number {
  const K = p.ws.kernels;
  let vtw = p.acc.ptr;
  if (p.x) {
    K.transpose(p.acc.ptr, p.den.ptr, p.kp, p.cols); // WᵀV (kp×cols) → VᵀW (cols×kp)
    vtw = p.den.ptr;
  } else {
    p.computeWtw();
  }
  const violation = K.cdUpdate(p.Ht.ptr, p.wtw.ptr, vtw, p.perm.ptr, p.cols, p.k, p.kp, reg.l1H, reg.l2H, p.scratch.ptr);
  p.syncHFromHt();
  return violation;
}
