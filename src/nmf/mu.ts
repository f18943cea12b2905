// Multiplicative updates (Lee & Seung 2001; scikit-learn's `_fit_multiplicative_update`), for the
// Frobenius and the generalized Kullback–Leibler losses. The W step is one fused pass over V that
// also accumulates the H step's products, so V is read once per iteration.

import type { NmfProblem } from './problem.js';
import type { Regularization } from './options.js';

/** scikit-learn zeroes H entries below float64 eps after a KL update, for stability. */
const KL_H_FLOOR = 2.220446049250313e-16;

/**
 * Frobenius W step: W ← W ∘ (V·Hᵀ) / (W·HHᵀ + l1 + l2·W). With `forH`, also accumulates
 * acc ← WᵀV (dense) or VᵀW (CSR) and wtw ← WᵀW (dense) with the new W, for updateHFrobenius.
 */
export async function updateWFrobenius(p: NmfProblem, reg: Regularization, forH: boolean): Promise<void> {
  p.computeHht();
  await p.runChunks((c) => {
    if (p.x) {
      return [{ fn: 'muFrobeniusPass', args: [p.x.at(c.start * p.cols), p.W.at(c.start * p.kp), p.Ht.ptr, p.hht.ptr, c.acc, c.wtw,
        c.scratch, c.count, p.cols, p.kp, reg.l1W, reg.l2W] }];
    }
    const { indptr, indices, data } = p.csr!;
    return [{ fn: 'muFrobeniusPassCsr', args: [indptr.at(c.start), indices.ptr, data.ptr, p.W.at(c.start * p.kp), p.Ht.ptr, p.hht.ptr, c.acc,
      c.scratch, c.count, p.kp, reg.l1W, reg.l2W] }];
  }, forH);
}

/** Frobenius H step, after updateWFrobenius(…, true): H ← H ∘ (WᵀV) / (WᵀW·H + l1 + l2·H). */
export function updateHFrobenius(p: NmfProblem, reg: Regularization): void {
  const K = p.ws.kernels;
  if (p.x) {
    K.gemmNN(p.wtw.ptr, p.H.ptr, p.den.ptr, p.kp, p.kp, p.cols);
    K.muApply(p.H.ptr, p.acc.ptr, p.den.ptr, p.kp * p.cols, reg.l1H, reg.l2H, 0);
    p.syncHtFromH();
  } else {
    // Sparse: the numerator came as VᵀW, so update Hᵀ with Hᵀ·WᵀW (WᵀW is symmetric).
    p.computeWtw();
    K.gemmNN(p.Ht.ptr, p.wtw.ptr, p.den.ptr, p.cols, p.kp, p.kp);
    K.muApply(p.Ht.ptr, p.acc.ptr, p.den.ptr, p.kp * p.cols, reg.l1H, reg.l2H, 0);
    p.syncHFromHt();
  }
}

/**
 * KL W step: W ← W ∘ ((V / WH)·Hᵀ) / (row sums of H + l1 + l2·W), W·H built a block of rows at a
 * time. With `forH`, also accumulates acc ← Wᵀ(V / WH) (dense) or (V / WH)ᵀW (CSR) and the column
 * sums of the new W, for updateHKl.
 */
export async function updateWKl(p: NmfProblem, reg: Regularization, forH: boolean): Promise<void> {
  p.computeHsum();
  await p.runChunks((c) => {
    if (p.x) {
      return [{ fn: 'muKlPass', args: [p.x.at(c.start * p.cols), p.W.at(c.start * p.kp), p.H.ptr, p.Ht.ptr, p.hsum.ptr, c.acc, c.wsum,
        c.scratch, c.count, p.cols, p.kp, reg.l1W, reg.l2W] }];
    }
    const { indptr, indices, data } = p.csr!;
    return [{ fn: 'muKlPassCsr', args: [indptr.at(c.start), indices.ptr, data.ptr, p.W.at(c.start * p.kp), p.Ht.ptr, p.hsum.ptr, c.acc, c.wsum,
      c.scratch, c.count, p.kp, reg.l1W, reg.l2W] }];
  }, forH);
}

/** KL H step, after updateWKl(…, true): H ← H ∘ (Wᵀ(V / WH)) / (column sums of W, 1 where 0, + l1 + l2·H). */
export function updateHKl(p: NmfProblem, reg: Regularization): void {
  const K = p.ws.kernels;
  const wsum = p.wsum.view(), den = p.den.view();
  const { kp, cols } = p;
  for (let t = 0; t < kp; t++) {
    const s = wsum[t] === 0 ? 1 : wsum[t]!;
    // dense: den is kp×cols (row t constant); CSR: cols×kp (column t constant)
    if (p.x) den.fill(s, t * cols, (t + 1) * cols);
    else for (let j = 0; j < cols; j++) den[j * kp + t] = s;
  }
  if (p.x) {
    K.muApply(p.H.ptr, p.acc.ptr, p.den.ptr, kp * cols, reg.l1H, reg.l2H, KL_H_FLOOR);
    p.syncHtFromH();
  } else {
    K.muApply(p.Ht.ptr, p.acc.ptr, p.den.ptr, kp * cols, reg.l1H, reg.l2H, KL_H_FLOOR);
    p.syncHFromHt();
  }
}
