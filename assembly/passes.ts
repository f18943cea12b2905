// Fused NMF passes: one call updates a range of W's rows and accumulates what the H step needs,
// block by block, so V is read from memory once per iteration (each block is re-read from cache).
// Layouts: X rows×m (dense) or CSR; W rows×kp, Hᵀ m×kp, H kp×m, HHᵀ kp×kp, kp = k rounded up to 4,
// padding lanes zero. Accumulators (WᵀX, WᵀW, ...) are added to, never cleared; pass 0 to skip them.

import { BLOCK_ROWS, bytes } from './simd';
import { gemmNN, gemmTNBlock, csrGemmNN, csrGemmTN, csrRowTimes } from './products';
import { muApply, muApplyColumnDen, klRatio, cdUpdate, multiplyInto } from './updates';
import { EPSILON } from './simd';

/**
 * Frobenius multiplicative W step, fused with the products of the H step:
 *   W ← W ∘ (X·Hᵀ) / (W·HHᵀ + l1 + l2·W);  then wtx += WᵀX, wtw += WᵀW with the new W.
 * scratch: 2·BLOCK_ROWS·kp floats.
 */
export function muFrobeniusPass(xPtr: usize, wPtr: usize, htPtr: usize, hhtPtr: usize, wtxPtr: usize, wtwPtr: usize,
                                scratchPtr: usize, rows: i32, m: i32, kp: i32, l1: f32, l2: f32): void {
  const num = scratchPtr, den = scratchPtr + bytes(BLOCK_ROWS * kp);
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const rb = min(BLOCK_ROWS, rows - r0);
    const xb = xPtr + bytes(r0 * m), wb = wPtr + bytes(r0 * kp);
    gemmNN(xb, htPtr, num, rb, m, kp);
    gemmNN(wb, hhtPtr, den, rb, kp, kp);
    muApply(wb, num, den, rb * kp, l1, l2, 0);
    if (wtxPtr) gemmTNBlock(wb, xb, wtxPtr, rb, kp, m);
    if (wtwPtr) gemmTNBlock(wb, wb, wtwPtr, rb, kp, kp);
  }
}

/**
 * HALS (scikit-learn's `cd`) W step, fused with the products of the H step: per row, one
 * coordinate-descent sweep with X·Hᵀ of that row; then wtx += WᵀX, wtw += WᵀW with the new W.
 * Returns Σ|projected gradient| over the rows. scratch: (BLOCK_ROWS + 8)·kp floats.
 */
export function halsPass(xPtr: usize, wPtr: usize, htPtr: usize, hhtPtr: usize, permPtr: usize, k: i32,
                         wtxPtr: usize, wtwPtr: usize, scratchPtr: usize, rows: i32, m: i32, kp: i32,
                         l1: f32, l2: f32): f64 {
  let violation: f64 = 0;
  const xh = scratchPtr;
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const rb = min(BLOCK_ROWS, rows - r0);
    const xb = xPtr + bytes(r0 * m), wb = wPtr + bytes(r0 * kp);
    gemmNN(xb, htPtr, xh, rb, m, kp);
    violation += cdUpdate(wb, hhtPtr, xh, permPtr, rb, k, kp, l1, l2, xh + bytes(BLOCK_ROWS * kp));
    if (wtxPtr) gemmTNBlock(wb, xb, wtxPtr, rb, kp, m);
    if (wtwPtr) gemmTNBlock(wb, wb, wtwPtr, rb, kp, kp);
  }
  return violation;
}

/**
 * Generalized Kullback–Leibler multiplicative W step, fused with the H step's products; W·H is
 * built one block of rows at a time, never whole:
 *   W ← W ∘ ((X / WH)·Hᵀ) / (hsum + l1 + l2·W);  then wtr += Wᵀ(X / WH), wsum += column sums of W,
 * both with the new W. hsum: kp row sums of H. scratch: BLOCK_ROWS·(m + kp) floats.
 */
export function muKlPass(xPtr: usize, wPtr: usize, hPtr: usize, htPtr: usize, hsumPtr: usize,
                         wtrPtr: usize, wsumPtr: usize, scratchPtr: usize, rows: i32, m: i32, kp: i32,
                         l1: f32, l2: f32): void {
  const ratio = scratchPtr, num = scratchPtr + bytes(BLOCK_ROWS * m);
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const rb = min(BLOCK_ROWS, rows - r0);
    const xb = xPtr + bytes(r0 * m), wb = wPtr + bytes(r0 * kp);
    gemmNN(wb, hPtr, ratio, rb, kp, m);
    klRatio(xb, ratio, ratio, rb * m);
    gemmNN(ratio, htPtr, num, rb, m, kp);
    muApplyColumnDen(wb, num, hsumPtr, rb, kp, l1, l2);
    if (wtrPtr) {
      gemmNN(wb, hPtr, ratio, rb, kp, m);
      klRatio(xb, ratio, ratio, rb * m);
      gemmTNBlock(wb, ratio, wtrPtr, rb, kp, m);
    }
    if (wsumPtr) addColumnSums(wb, wsumPtr, rb, kp);
  }
}

/** out[j] += Σ_r A[r, j] for a rows×cols block (block partial first, then one add per column). */
function addColumnSums(aPtr: usize, outPtr: usize, rows: i32, cols: i32): void {
  for (let j = 0; j < cols; j++) {
    let s: f32 = 0;
    for (let r = 0; r < rows; r++) s += load<f32>(aPtr + bytes(r * cols + j));
    store<f32>(outPtr + bytes(j), load<f32>(outPtr + bytes(j)) + s);
  }
}

// ---- CSR (sparse X) variants: the same steps, touching only the non-zeros. ----
// The H step's product arrives transposed, XᵀW (m×kp), because a sparse row scatters into it.
// WᵀW is not accumulated here: the host takes it from W afterwards with gemmTN.

/** Frobenius multiplicative W step on CSR X; xtw += XᵀW with the new W. scratch: 2·BLOCK_ROWS·kp floats. */
export function muFrobeniusPassCsr(indptrPtr: usize, indicesPtr: usize, dataPtr: usize, wPtr: usize, htPtr: usize,
                                   hhtPtr: usize, xtwPtr: usize, scratchPtr: usize, rows: i32, kp: i32,
                                   l1: f32, l2: f32): void {
  const num = scratchPtr, den = scratchPtr + bytes(BLOCK_ROWS * kp);
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const rb = min(BLOCK_ROWS, rows - r0);
    const ip = indptrPtr + bytes(r0), wb = wPtr + bytes(r0 * kp);
    csrGemmNN(ip, indicesPtr, dataPtr, htPtr, num, rb, kp);
    gemmNN(wb, hhtPtr, den, rb, kp, kp);
    muApply(wb, num, den, rb * kp, l1, l2, 0);
    if (xtwPtr) csrGemmTN(ip, indicesPtr, dataPtr, wb, xtwPtr, rb, kp);
  }
}

/** HALS W step on CSR X; xtw += XᵀW with the new W. Returns Σ|projected gradient|. scratch: (BLOCK_ROWS + 8)·kp. */
export function halsPassCsr(indptrPtr: usize, indicesPtr: usize, dataPtr: usize, wPtr: usize, htPtr: usize,
                            hhtPtr: usize, permPtr: usize, k: i32, xtwPtr: usize, scratchPtr: usize, rows: i32,
                            kp: i32, l1: f32, l2: f32): f64 {
  let violation: f64 = 0;
  const xh = scratchPtr;
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const rb = min(BLOCK_ROWS, rows - r0);
    const ip = indptrPtr + bytes(r0), wb = wPtr + bytes(r0 * kp);
    csrGemmNN(ip, indicesPtr, dataPtr, htPtr, xh, rb, kp);
    violation += cdUpdate(wb, hhtPtr, xh, permPtr, rb, k, kp, l1, l2, xh + bytes(BLOCK_ROWS * kp));
    if (xtwPtr) csrGemmTN(ip, indicesPtr, dataPtr, wb, xtwPtr, rb, kp);
  }
  return violation;
}

/**
 * KL multiplicative W step on CSR X, W·H evaluated only at the non-zeros; then rtw += (X / WH)ᵀ·W
 * (m×kp) and wsum += column sums of W, with the new W. scratch: kp floats.
 */
export function muKlPassCsr(indptrPtr: usize, indicesPtr: usize, dataPtr: usize, wPtr: usize, htPtr: usize,
                            hsumPtr: usize, rtwPtr: usize, wsumPtr: usize, scratchPtr: usize, rows: i32, kp: i32,
                            l1: f32, l2: f32): void {
  const num = scratchPtr;
  for (let r = 0; r < rows; r++) {
    const w = wPtr + bytes(r * kp);
    const start = load<i32>(indptrPtr + bytes(r)), end = load<i32>(indptrPtr + bytes(r + 1));
    memory.fill(num, 0, bytes(kp));
    for (let z = start; z < end; z++) {
      const ht = htPtr + bytes(load<i32>(indicesPtr + bytes(z)) * kp);
      const ratio = load<f32>(dataPtr + bytes(z)) / safeDot(w, ht, kp);
      axpy(num, ht, ratio, kp);
    }
    muApplyColumnDen(w, num, hsumPtr, 1, kp, l1, l2);
    if (rtwPtr) {
      for (let z = start; z < end; z++) {
        const j = load<i32>(indicesPtr + bytes(z));
        const ratio = load<f32>(dataPtr + bytes(z)) / safeDot(w, htPtr + bytes(j * kp), kp);
        axpy(rtwPtr + bytes(j * kp), w, ratio, kp);
      }
    }
    if (wsumPtr) axpy(wsumPtr, w, 1, kp);
  }
}

/** a·b over kp values (kp a multiple of 4 in the SIMD build), EPSILON if exactly 0 (the KL ratio's floor). */
// @ts-ignore: decorator
@inline function safeDot(a: usize, b: usize, kp: i32): f32 {
  let s: f32 = 0;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    let acc = f32x4.splat(0);
    for (; j + 4 <= kp; j += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(a + bytes(j)), v128.load(b + bytes(j))));
    s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  }
  for (; j < kp; j++) s += load<f32>(a + bytes(j)) * load<f32>(b + bytes(j));
  return s == 0 ? EPSILON : s;
}

/** y += alpha·x over n values. */
// @ts-ignore: decorator
@inline function axpy(y: usize, x: usize, alpha: f32, n: i32): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const va = f32x4.splat(alpha);
    for (; j + 4 <= n; j += 4) {
      v128.store(y + bytes(j), f32x4.add(v128.load(y + bytes(j)), f32x4.mul(va, v128.load(x + bytes(j)))));
    }
  }
  for (; j < n; j++) store<f32>(y + bytes(j), load<f32>(y + bytes(j)) + alpha * load<f32>(x + bytes(j)));
}

/**
 * Masked Frobenius multiplicative W step, for cross-validation with held-out entries (Williams 2018):
 * minimizes ‖M ∘ (X − WH)‖², M the 0/1 mask of entries used for fitting (held-out entries are 0).
 *   W ← W ∘ ((M∘X)·Hᵀ) / ((M∘WH)·Hᵀ + floor);  then wtx += Wᵀ(M∘X), wtm += Wᵀ(M∘WH) with the new W.
 * `floor` keeps a denominator that masking left near zero from blowing a factor up (a held-out column
 * that a component never sees). X·M and M·WH are formed a block at a time.
 * scratch: BLOCK_ROWS·(2m + 2kp) floats.
 */
export function maskedMuPass(xPtr: usize, maskPtr: usize, wPtr: usize, hPtr: usize, htPtr: usize, wtxPtr: usize,
                             wtmPtr: usize, scratchPtr: usize, rows: i32, m: i32, kp: i32, floor: f32): void {
  const xm = scratchPtr, wh = xm + bytes(BLOCK_ROWS * m);
  const num = wh + bytes(BLOCK_ROWS * m), den = num + bytes(BLOCK_ROWS * kp);
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const rb = min(BLOCK_ROWS, rows - r0);
    const xb = xPtr + bytes(r0 * m), mb = maskPtr + bytes(r0 * m), wb = wPtr + bytes(r0 * kp);
    multiplyInto(xb, mb, xm, rb * m);
    gemmNN(wb, hPtr, wh, rb, kp, m);
    multiplyInto(wh, mb, wh, rb * m);
    gemmNN(xm, htPtr, num, rb, m, kp);
    gemmNN(wh, htPtr, den, rb, m, kp);
    muApply(wb, num, den, rb * kp, floor, 0, 0);
    if (wtxPtr) {
      gemmNN(wb, hPtr, wh, rb, kp, m);
      multiplyInto(wh, mb, wh, rb * m);
      gemmTNBlock(wb, xm, wtxPtr, rb, kp, m);
      gemmTNBlock(wb, wh, wtmPtr, rb, kp, m);
    }
  }
}

/**
 * Σ (1 − M) ∘ (X − WH)² and Σ M ∘ (X − WH)², the held-out and the fitted squared errors, into out
 * (two float64), each prediction WH clipped to at most `ceiling` (the data's largest value: a
 * prediction beyond it is wrong by at least that much, and one overfitted user must not dominate).
 * scratch: BLOCK_ROWS·m floats.
 */
export function maskedLoss(xPtr: usize, maskPtr: usize, wPtr: usize, hPtr: usize, scratchPtr: usize, outPtr: usize,
                           rows: i32, m: i32, kp: i32, ceiling: f32): void {
  let heldOut: f64 = 0, fitted: f64 = 0;
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const rb = min(BLOCK_ROWS, rows - r0);
    gemmNN(wPtr + bytes(r0 * kp), hPtr, scratchPtr, rb, kp, m);
    for (let i = 0; i < rb * m; i++) {
      const o = bytes(r0 * m + i);
      const d = load<f32>(xPtr + o) - min<f32>(load<f32>(scratchPtr + bytes(i)), ceiling);
      const sq = <f64>(d * d);
      if (load<f32>(maskPtr + o) != 0) fitted += sq;
      else heldOut += sq;
    }
  }
  store<f64>(outPtr, heldOut);
  store<f64>(outPtr, fitted, 8);
}
