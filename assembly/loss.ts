// Loss pieces; each row's sum in float32 (as scikit-learn's float32 arithmetic), rows added in float64. Each returns the total and, when rowOutPtr ≠ 0, writes each
// row's share (float32) there: per-user residuals show who the model explains poorly.
// The totals match scikit-learn's `_beta_divergence` before its square root:
//   Frobenius: Σ (x − wh)²  (scikit-learn halves it; the host does),
//   KL:        Σ_{x>EPSILON} x·log(x / wh) − x, plus Σ wh over all entries.

import { BLOCK_ROWS, EPSILON, bytes, logf1, logf4 } from './simd';
import { gemmNN } from './products';

/** Σ (X − W·H)² for dense X (rows×m). scratch: BLOCK_ROWS·m floats. */
export function lossFrobenius(xPtr: usize, wPtr: usize, hPtr: usize, scratchPtr: usize, rowOutPtr: usize,
                              rows: i32, m: i32, kp: i32): f64 {
  let total: f64 = 0;
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const rb = min(BLOCK_ROWS, rows - r0);
    gemmNN(wPtr + bytes(r0 * kp), hPtr, scratchPtr, rb, kp, m);
    for (let r = 0; r < rb; r++) {
      const x = xPtr + bytes((r0 + r) * m), wh = scratchPtr + bytes(r * m);
      let s: f32 = 0;
      let j = 0;
      if (ASC_FEATURE_SIMD) {
        let acc = f32x4.splat(0);
        for (; j + 4 <= m; j += 4) {
          const d = f32x4.sub(v128.load(x + bytes(j)), v128.load(wh + bytes(j)));
          acc = f32x4.add(acc, f32x4.mul(d, d));
        }
        s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
      }
      for (; j < m; j++) {
        const d = load<f32>(x + bytes(j)) - load<f32>(wh + bytes(j));
        s += d * d;
      }
      if (rowOutPtr) store<f32>(rowOutPtr + bytes(r0 + r), s);
      total += <f64>s;
    }
  }
  return total;
}

/** Generalized KL divergence D(X ‖ W·H) for dense X. hsum: kp row sums of H. scratch: BLOCK_ROWS·m floats. */
export function lossKl(xPtr: usize, wPtr: usize, hPtr: usize, hsumPtr: usize, scratchPtr: usize, rowOutPtr: usize,
                       rows: i32, m: i32, kp: i32): f64 {
  let total: f64 = 0;
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const rb = min(BLOCK_ROWS, rows - r0);
    gemmNN(wPtr + bytes(r0 * kp), hPtr, scratchPtr, rb, kp, m);
    for (let r = 0; r < rb; r++) {
      const x = xPtr + bytes((r0 + r) * m), wh = scratchPtr + bytes(r * m);
      let part: f32 = 0;
      let j = 0;
      if (ASC_FEATURE_SIMD) {
        const veps = f32x4.splat(EPSILON), zero = f32x4.splat(0);
        let acc = zero;
        for (; j + 4 <= m; j += 4) {
          const xv = v128.load(x + bytes(j)), w4 = v128.load(wh + bytes(j));
          const ratio = f32x4.div(xv, v128.bitselect(veps, w4, f32x4.eq(w4, zero)));
          const positive = f32x4.gt(xv, veps);
          // log only where x > EPSILON: elsewhere feed it 1 (log 1 = 0) so no lane sees 0 or a subnormal
          const term = f32x4.sub(f32x4.mul(xv, logf4(v128.bitselect(ratio, f32x4.splat(1), positive))), xv);
          acc = f32x4.add(acc, v128.and(term, positive));
        }
        part = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
      }
      for (; j < m; j++) part += klTerm(load<f32>(x + bytes(j)), load<f32>(wh + bytes(j)));
      const s = rowDotF64(wPtr + bytes((r0 + r) * kp), hsumPtr, kp) + <f64>part;
      if (rowOutPtr) store<f32>(rowOutPtr + bytes(r0 + r), <f32>s);
      total += s;
    }
  }
  return total;
}

/**
 * Σ (X − W·H)² for CSR X without forming W·H: per row ‖x‖² − 2·x·(wH) + w·HHᵀ·wᵀ, all in float64
 * so the cancellation costs no precision that matters. ht: m×kp, hht: kp×kp.
 */
export function lossFrobeniusCsr(indptrPtr: usize, indicesPtr: usize, dataPtr: usize, wPtr: usize, htPtr: usize,
                                 hhtPtr: usize, rowOutPtr: usize, rows: i32, kp: i32): f64 {
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const w = wPtr + bytes(r * kp);
    const start = load<i32>(indptrPtr + bytes(r)), end = load<i32>(indptrPtr + bytes(r + 1));
    let xx: f64 = 0, cross: f64 = 0;
    for (let z = start; z < end; z++) {
      const x = <f64>load<f32>(dataPtr + bytes(z));
      xx += x * x;
      cross += x * rowDotF64(w, htPtr + bytes(load<i32>(indicesPtr + bytes(z)) * kp), kp);
    }
    let quad: f64 = 0;
    for (let t = 0; t < kp; t++) {
      const wt = <f64>load<f32>(w + bytes(t));
      if (wt != 0) quad += wt * rowDotF64(w, hhtPtr + bytes(t * kp), kp);
    }
    let s = xx - 2 * cross + quad;
    if (s < 0) s = 0; // rounding only: a sum of squares is never negative
    if (rowOutPtr) store<f32>(rowOutPtr + bytes(r), <f32>s);
    total += s;
  }
  return total;
}

/** Generalized KL divergence for CSR X: W·H only at the non-zeros, Σ wh from w·hsum. */
export function lossKlCsr(indptrPtr: usize, indicesPtr: usize, dataPtr: usize, wPtr: usize, htPtr: usize,
                          hsumPtr: usize, rowOutPtr: usize, rows: i32, kp: i32): f64 {
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const w = wPtr + bytes(r * kp);
    const start = load<i32>(indptrPtr + bytes(r)), end = load<i32>(indptrPtr + bytes(r + 1));
    let part: f32 = 0;
    for (let z = start; z < end; z++) {
      const wh = rowDotF32(w, htPtr + bytes(load<i32>(indicesPtr + bytes(z)) * kp), kp);
      part += klTerm(load<f32>(dataPtr + bytes(z)), wh);
    }
    const s = rowDotF64(w, hsumPtr, kp) + <f64>part;
    if (rowOutPtr) store<f32>(rowOutPtr + bytes(r), <f32>s);
    total += s;
  }
  return total;
}

/** x·log(x / wh) − x for x > EPSILON (wh = EPSILON where it is 0), else 0: scikit-learn's convention. */
// @ts-ignore: decorator
@inline function klTerm(x: f32, wh: f32): f32 {
  if (!(x > EPSILON)) return 0;
  return x * logf1(x / (wh == 0 ? EPSILON : wh)) - x;
}

// @ts-ignore: decorator
@inline function rowDotF64(a: usize, b: usize, n: i32): f64 {
  let s: f64 = 0;
  for (let j = 0; j < n; j++) s += <f64>load<f32>(a + bytes(j)) * <f64>load<f32>(b + bytes(j));
  return s;
}

// @ts-ignore: decorator
@inline function rowDotF32(a: usize, b: usize, n: i32): f32 {
  let s: f32 = 0;
  for (let j = 0; j < n; j++) s += load<f32>(a + bytes(j)) * load<f32>(b + bytes(j));
  return s;
}
