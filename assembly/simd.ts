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

// Natural logarithm of positive, finite, normal float32 values, four at a time (logf4) or one
// (logf1), by the same operations in the same order so both builds agree bit for bit. Range
// reduction x = m·2^e with m in [√½, √2), then a degree-9 minimax polynomial for log(1 + f)
// (Cephes' logf coefficients; ~1 ulp). Plain IEEE arithmetic: the same result on every engine.
const LOG_SQRTHF: f32 = 0.70710678118654752;
const LOG_C0: f32 = 7.0376836292e-2, LOG_C1: f32 = -1.1514610310e-1, LOG_C2: f32 = 1.1676998740e-1;
const LOG_C3: f32 = -1.2420140846e-1, LOG_C4: f32 = 1.4249322787e-1, LOG_C5: f32 = -1.6668057665e-1;
const LOG_C6: f32 = 2.0000714765e-1, LOG_C7: f32 = -2.4999993993e-1, LOG_C8: f32 = 3.3333331174e-1;
const LOG_Q1: f32 = -2.12194440e-4, LOG_Q2: f32 = 0.693359375;

// @ts-ignore: decorator
@inline export function logf1(x: f32): f32 {
  const bits = reinterpret<i32>(x);
  let e = (bits >>> 23) - 126;
  let m = reinterpret<f32>((bits & 0x007fffff) | 0x3f000000); // [0.5, 1)
  if (m < LOG_SQRTHF) { e -= 1; m = m + m - 1; } else { m = m - 1; }
  const z = m * m;
  let y = LOG_C0 * m + LOG_C1;
  y = y * m + LOG_C2; y = y * m + LOG_C3; y = y * m + LOG_C4; y = y * m + LOG_C5;
  y = y * m + LOG_C6; y = y * m + LOG_C7; y = y * m + LOG_C8;
  y = y * m * z;
  const fe = <f32>e;
  y = y + LOG_Q1 * fe;
  y = y + -0.5 * z;
  return (m + y) + LOG_Q2 * fe;
}

// @ts-ignore: decorator
@inline export function logf4(x: v128): v128 {
  let e = i32x4.sub(i32x4.shr_u(x, 23), i32x4.splat(126));
  let m = v128.or(v128.and(x, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  const small = f32x4.lt(m, f32x4.splat(LOG_SQRTHF));
  e = i32x4.add(e, small); // the mask is −1 where m < √½
  m = f32x4.sub(f32x4.add(m, v128.and(m, small)), f32x4.splat(1));
  const z = f32x4.mul(m, m);
  let y = f32x4.add(f32x4.mul(f32x4.splat(LOG_C0), m), f32x4.splat(LOG_C1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(LOG_C2));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(LOG_C3));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(LOG_C4));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(LOG_C5));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(LOG_C6));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(LOG_C7));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(LOG_C8));
  y = f32x4.mul(f32x4.mul(y, m), z);
  const fe = f32x4.convert_i32x4_s(e);
  y = f32x4.add(y, f32x4.mul(f32x4.splat(LOG_Q1), fe));
  y = f32x4.add(y, f32x4.mul(f32x4.splat(-0.5), z));
  return f32x4.add(f32x4.add(m, y), f32x4.mul(f32x4.splat(LOG_Q2), fe));
}
