// Whole-array reductions and layout changes.

import { bytes } from './simd';

/** Σ a[i] over n float32 values, in float64. */
export function sum(aPtr: usize, n: i32): f64 {
  let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p = aPtr + bytes(i);
    s0 += <f64>load<f32>(p); s1 += <f64>load<f32>(p, 4); s2 += <f64>load<f32>(p, 8); s3 += <f64>load<f32>(p, 12);
  }
  for (; i < n; i++) s0 += <f64>load<f32>(aPtr + bytes(i));
  return (s0 + s1) + (s2 + s3);
}

/** Σ a[i]² over n float32 values, in float64 (‖V‖² for the relative error). */
export function sumSquares(aPtr: usize, n: i32): f64 {
  let s0: f64 = 0, s1: f64 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    let acc0 = f64x2.splat(0), acc1 = acc0;
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(aPtr + bytes(i));
      const lo = f64x2.promote_low_f32x4(v), hi = f64x2.promote_low_f32x4(v128.swizzle(v, i8x16(8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)));
      acc0 = f64x2.add(acc0, f64x2.mul(lo, lo));
      acc1 = f64x2.add(acc1, f64x2.mul(hi, hi));
    }
    const acc = f64x2.add(acc0, acc1);
    s0 = f64x2.extract_lane(acc, 0); s1 = f64x2.extract_lane(acc, 1);
  }
  for (; i < n; i++) {
    const v = <f64>load<f32>(aPtr + bytes(i));
    s0 += v * v;
  }
  return s0 + s1;
}

/** B ← Aᵀ. A: rows×cols, B: cols×rows (H ↔ Hᵀ, XᵀW ↔ WᵀX). */
export function transpose(aPtr: usize, bPtr: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) store<f32>(bPtr + bytes(c * rows + r), load<f32>(aPtr + bytes(r * cols + c)));
  }
}
