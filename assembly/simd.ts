// SIMD helpers shared by the kernels. Internal to assembly/: index.ts does not re-export them.

/** Bytes of `n` float32 (or int32) values, as a pointer offset. */
// @ts-ignore: decorator
@inline export function bytes(n: i32): usize {
  return (<usize>n) << 2;
}

/** Sum of the four lanes, left to right. */
// @ts-ignore: decorator
@inline export function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) +
         f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** acc + a·b, lane-wise (no fused multiply-add: plain SIMD has none, and results must not depend on the engine). */
// @ts-ignore: decorator
@inline export function madd(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

/** *p += v for four floats at p + offset. */
// @ts-ignore: decorator
@inline export function addTo(p: usize, v: v128): void {
  v128.store(p, f32x4.add(v128.load(p), v));
}

/** scikit-learn's EPSILON: float32 machine epsilon, the floor for divisions. */
export const EPSILON: f32 = 1.1920928955078125e-7;

/** Rows processed per block by the blocked and fused kernels: a block of a 40-column matrix is 20 KB, in L1/L2. */
export const BLOCK_ROWS: i32 = 128;

/**
 * 4×4 transpose of the blocks at src (rows `srcStride` bytes apart) into dst (rows `dstStride` bytes
 * apart): dst row c = lane c of src rows 0..3. Its own inverse.
 */
// @ts-ignore: decorator
@inline export function transpose4x4(src: usize, srcStride: usize, dst: usize, dstStride: usize): void {
  const a = v128.load(src), b = v128.load(src + srcStride), c = v128.load(src + 2 * srcStride), d = v128.load(src + 3 * srcStride);
  const abLo = v128.shuffle<f32>(a, b, 0, 4, 1, 5), abHi = v128.shuffle<f32>(a, b, 2, 6, 3, 7);
  const cdLo = v128.shuffle<f32>(c, d, 0, 4, 1, 5), cdHi = v128.shuffle<f32>(c, d, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(abLo, cdLo, 0, 1, 4, 5));
  v128.store(dst + dstStride, v128.shuffle<f32>(abLo, cdLo, 2, 3, 6, 7));
  v128.store(dst + 2 * dstStride, v128.shuffle<f32>(abHi, cdHi, 0, 1, 4, 5));
  v128.store(dst + 3 * dstStride, v128.shuffle<f32>(abHi, cdHi, 2, 3, 6, 7));
}
