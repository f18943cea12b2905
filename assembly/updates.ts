// Elementwise NMF updates: the multiplicative rule and the coordinate-descent (HALS) row step.

import { EPSILON, bytes, transpose4x4 } from './simd';

/**
 * Multiplicative update, elementwise over n values:
 *   A ← A ∘ num / d,  d = den + l1 + l2·A  (d = EPSILON where it is 0, as scikit-learn does)
 * then A ← 0 where A < floor (scikit-learn zeroes H below float64 eps for KL; pass 0 for no floor).
 */
export function muApply(aPtr: usize, numPtr: usize, denPtr: usize, n: i32, l1: f32, l2: f32, floor: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vl1 = f32x4.splat(l1), vl2 = f32x4.splat(l2), veps = f32x4.splat(EPSILON);
    const vfloor = f32x4.splat(floor), zero = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      const o = bytes(i);
      const a = v128.load(aPtr + o);
      let d = f32x4.add(f32x4.add(v128.load(denPtr + o), vl1), f32x4.mul(vl2, a));
      d = v128.bitselect(veps, d, f32x4.eq(d, zero));
      const next = f32x4.mul(a, f32x4.div(v128.load(numPtr + o), d));
      v128.store(aPtr + o, v128.andnot(next, f32x4.lt(next, vfloor)));
    }
  }
  for (; i < n; i++) {
    const o = bytes(i);
    const a = load<f32>(aPtr + o);
    let d = load<f32>(denPtr + o) + l1 + l2 * a;
    if (d == 0) d = EPSILON;
    const next = a * (load<f32>(numPtr + o) / d);
    store<f32>(aPtr + o, next < floor ? 0 : next);
  }
}

/**
 * Multiplicative update of a rows×cols block whose denominator is one vector per column
 * (KL's W step: d[j] = hsum[j] + l1 + l2·A[r, j], EPSILON where 0). cols is a multiple of 4 in SIMD use.
 */
export function muApplyColumnDen(aPtr: usize, numPtr: usize, denPtr: usize, rows: i32, cols: i32,
                                 l1: f32, l2: f32): void {
  for (let r = 0; r < rows; r++) {
    const base = bytes(r * cols);
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      const vl1 = f32x4.splat(l1), vl2 = f32x4.splat(l2), veps = f32x4.splat(EPSILON), zero = f32x4.splat(0);
      for (; j + 4 <= cols; j += 4) {
        const o = base + bytes(j);
        const a = v128.load(aPtr + o);
        let d = f32x4.add(f32x4.add(v128.load(denPtr + bytes(j)), vl1), f32x4.mul(vl2, a));
        d = v128.bitselect(veps, d, f32x4.eq(d, zero));
        v128.store(aPtr + o, f32x4.mul(a, f32x4.div(v128.load(numPtr + o), d)));
      }
    }
    for (; j < cols; j++) {
      const o = base + bytes(j);
      const a = load<f32>(aPtr + o);
      let d = load<f32>(denPtr + bytes(j)) + l1 + l2 * a;
      if (d == 0) d = EPSILON;
      store<f32>(aPtr + o, a * (load<f32>(numPtr + o) / d));
    }
  }
}

/**
 * R ← X / WH elementwise over n values, WH replaced by EPSILON where it is 0 (scikit-learn's KL ratio).
 * R may alias WH.
 */
export function klRatio(xPtr: usize, whPtr: usize, rPtr: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const veps = f32x4.splat(EPSILON), zero = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      const o = bytes(i);
      const wh = v128.load(whPtr + o);
      v128.store(rPtr + o, f32x4.div(v128.load(xPtr + o), v128.bitselect(veps, wh, f32x4.eq(wh, zero))));
    }
  }
  for (; i < n; i++) {
    const o = bytes(i);
    const wh = load<f32>(whPtr + o);
    store<f32>(rPtr + o, load<f32>(xPtr + o) / (wh == 0 ? EPSILON : wh));
  }
}

/**
 * One coordinate-descent sweep over the components of one row w (scikit-learn's `_update_cdnmf_fast`,
 * one sample): for t in perm, with the gradient g = (HHᵀ + l2·I)·w − (xhᵀ − l1),
 *   w[t] ← max(0, w[t] − g[t] / (HHᵀ[t,t] + l2)).
 * Returns Σ|projected gradient|, summed in float32 in component order (as each SIMD lane of cdRows4
 * sums it, so both give the same number). hht: kp×kp; xh: the row of X·Hᵀ; perm: k int32.
 */
export function cdRow(w: usize, hhtPtr: usize, xh: usize, permPtr: usize, k: i32, kp: i32, l1: f32, l2: f32): f32 {
  let violation: f32 = 0;
  for (let s = 0; s < k; s++) {
    const t = load<i32>(permPtr + bytes(s));
    const hrow = hhtPtr + bytes(t * kp);
    let grad: f32 = -(load<f32>(xh + bytes(t)) - l1);
    for (let r = 0; r < k; r++) grad += load<f32>(hrow + bytes(r)) * load<f32>(w + bytes(r));
    const wt = load<f32>(w + bytes(t));
    grad += l2 * wt;
    const pg: f32 = wt == 0 ? min<f32>(0, grad) : grad;
    violation += abs<f32>(pg);
    const hess = load<f32>(hrow + bytes(t)) + l2;
    if (hess != 0) store<f32>(w + bytes(t), max<f32>(wt - grad / hess, 0));
  }
  return violation;
}

/**
 * cdRow on four rows at once, one row per SIMD lane: the rows are independent, so the sequential
 * chain over components runs four times per instruction. Same operations in the same order per lane
 * as cdRow, so the results are identical. w and xh: 4 rows of kp (stride kp); tmp: 2·kp·4 floats.
 */
export function cdRows4(w: usize, hhtPtr: usize, xh: usize, permPtr: usize, k: i32, kp: i32, l1: f32, l2: f32, tmp: usize): f64 {
  toLanes(w, xh, kp, tmp);
  const violation = cdSweep4(hhtPtr, permPtr, k, kp, l1, l2, tmp, i32x4.splat(-1));
  fromLanes(w, kp, tmp);
  return <f64>f32x4.extract_lane(violation, 0) + <f64>f32x4.extract_lane(violation, 1) +
         <f64>f32x4.extract_lane(violation, 2) + <f64>f32x4.extract_lane(violation, 3);
}

/** Four rows of W and XHᵀ into tmp, component-major: tmp + 16·t holds w[0..3][t], tmp + 16·(kp+t) xh[0..3][t]. */
// @ts-ignore: decorator
@inline function toLanes(w: usize, xh: usize, kp: i32, tmp: usize): void {
  const stride = bytes(kp);
  for (let c = 0; c < kp; c += 4) {
    transpose4x4(w + bytes(c), stride, tmp + bytes(c * 4), 16);
    transpose4x4(xh + bytes(c), stride, tmp + bytes((kp + c) * 4), 16);
  }
}

// @ts-ignore: decorator
@inline function fromLanes(w: usize, kp: i32, tmp: usize): void {
  for (let c = 0; c < kp; c += 4) transpose4x4(tmp + bytes(c * 4), 16, w + bytes(c), bytes(kp));
}

/**
 * One coordinate-descent sweep of the four lane rows in tmp (see toLanes); lanes outside `active`
 * keep their values. Returns each lane's Σ|projected gradient| (summed in component order).
 */
function cdSweep4(hhtPtr: usize, permPtr: usize, k: i32, kp: i32, l1: f32, l2: f32, tmp: usize, active: v128): v128 {
  const tw = tmp, tx = tmp + bytes(kp * 4);
  const vl1 = f32x4.splat(l1), vl2 = f32x4.splat(l2), zero = f32x4.splat(0);
  let violation = zero;
  for (let s = 0; s < k; s++) {
    const t = load<i32>(permPtr + bytes(s));
    const hrow = hhtPtr + bytes(t * kp);
    let grad = f32x4.neg(f32x4.sub(v128.load(tx + bytes(t * 4)), vl1));
    for (let r = 0; r < k; r++) grad = f32x4.add(grad, f32x4.mul(f32x4.splat(load<f32>(hrow + bytes(r))), v128.load(tw + bytes(r * 4))));
    const wt = v128.load(tw + bytes(t * 4));
    grad = f32x4.add(grad, f32x4.mul(vl2, wt));
    const pg = v128.bitselect(f32x4.min(zero, grad), grad, f32x4.eq(wt, zero));
    violation = f32x4.add(violation, f32x4.abs(pg));
    const hess = load<f32>(hrow + bytes(t)) + l2;
    if (hess != 0) {
      const next = f32x4.max(f32x4.sub(wt, f32x4.div(grad, f32x4.splat(hess))), zero);
      v128.store(tw + bytes(t * 4), v128.bitselect(next, wt, active));
    }
  }
  return violation;
}

/**
 * Coordinate-descent sweep over every row of W (rows×kp) given HHᵀ (kp×kp) and XHᵀ (rows×kp):
 * the H step of HALS runs this on Hᵀ with WᵀW and XᵀW. Returns Σ|projected gradient|.
 * tmp: 8·kp floats (SIMD build; rows go four at a time).
 */
export function cdUpdate(wPtr: usize, hhtPtr: usize, xhtPtr: usize, permPtr: usize, rows: i32, k: i32, kp: i32,
                         l1: f32, l2: f32, tmpPtr: usize): f64 {
  let violation: f64 = 0;
  let r = 0;
  if (ASC_FEATURE_SIMD) {
    for (; r + 4 <= rows; r += 4) {
      const o = bytes(r * kp);
      violation += cdRows4(wPtr + o, hhtPtr, xhtPtr + o, permPtr, k, kp, l1, l2, tmpPtr);
    }
  }
  for (; r < rows; r++) {
    const o = bytes(r * kp);
    violation += <f64>cdRow(wPtr + o, hhtPtr, xhtPtr + o, permPtr, k, kp, l1, l2);
  }
  return violation;
}

/**
 * Solves each row of W (rows×kp) with H fixed: coordinate-descent sweeps on that row until its own
 * Σ|projected gradient| falls to tol × its first sweep's (or maxSweeps). Each row stops on its own
 * record, so a row's result does not depend on which rows share its call: assigning users in chunks
 * gives the same W as all at once. XHᵀ (rows×kp) is computed once by the caller, as H does not change.
 * Returns the largest number of sweeps any row took. tmp: 8·kp floats.
 */
export function cdSolve(wPtr: usize, hhtPtr: usize, xhtPtr: usize, permPtr: usize, rows: i32, k: i32, kp: i32,
                        l1: f32, l2: f32, maxSweeps: i32, tol: f32, tmpPtr: usize): i32 {
  let most = 0;
  let r = 0;
  if (ASC_FEATURE_SIMD) {
    for (; r + 4 <= rows; r += 4) {
      const o = bytes(r * kp);
      most = max(most, cdSolveRows4(wPtr + o, hhtPtr, xhtPtr + o, permPtr, k, kp, l1, l2, maxSweeps, tol, tmpPtr));
    }
  }
  for (; r < rows; r++) {
    const o = bytes(r * kp);
    let first: f32 = 0;
    let sweep = 1;
    for (; sweep <= maxSweeps; sweep++) {
      const v = cdRow(wPtr + o, hhtPtr, xhtPtr + o, permPtr, k, kp, l1, l2);
      if (sweep == 1) first = v;
      if (first == 0 || v <= tol * first) break;
    }
    most = max(most, min(sweep, maxSweeps));
  }
  return most;
}

/** cdSolve for four rows, one per lane; a lane that has converged keeps its values while the others go on. */
function cdSolveRows4(w: usize, hhtPtr: usize, xh: usize, permPtr: usize, k: i32, kp: i32, l1: f32, l2: f32,
                      maxSweeps: i32, tol: f32, tmp: usize): i32 {
  toLanes(w, xh, kp, tmp);
  const zero = f32x4.splat(0), vtol = f32x4.splat(tol);
  let active = i32x4.splat(-1); // lanes still sweeping
  let first = zero;
  let sweep = 1;
  for (; sweep <= maxSweeps; sweep++) {
    const violation = cdSweep4(hhtPtr, permPtr, k, kp, l1, l2, tmp, active);
    if (sweep == 1) first = violation;
    // converged: first == 0, or violation <= tol·first
    active = v128.andnot(active, v128.or(f32x4.eq(first, zero), f32x4.le(violation, f32x4.mul(vtol, first))));
    if (!v128.any_true(active)) break;
  }
  fromLanes(w, kp, tmp);
  return min(sweep, maxSweeps);
}

/** C ← A ∘ B elementwise over n values (C may alias A or B). */
export function multiplyInto(aPtr: usize, bPtr: usize, cPtr: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) v128.store(cPtr + bytes(i), f32x4.mul(v128.load(aPtr + bytes(i)), v128.load(bPtr + bytes(i))));
  }
  for (; i < n; i++) store<f32>(cPtr + bytes(i), load<f32>(aPtr + bytes(i)) * load<f32>(bPtr + bytes(i)));
}
