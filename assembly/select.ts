// Per-row selection: the persona of each user (argmax) and the dominant events of each persona (top-k).

import { bytes } from './simd';

/**
 * For each row r of A (rows × stride, first cols used), the column of the largest A[r, c]·scale[c]
 * (the first on ties) into idx[r], and that value's share of the row's scaled sum into share[r].
 * A row whose scaled values are all 0 gets idx −1 and share 0 (an inactive user has no persona).
 */
export function argmaxRows(aPtr: usize, scalePtr: usize, idxPtr: usize, sharePtr: usize,
                           rows: i32, cols: i32, stride: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = aPtr + bytes(r * stride);
    let best = -1;
    let bestValue: f32 = 0, total: f32 = 0;
    for (let c = 0; c < cols; c++) {
      const v = load<f32>(row + bytes(c)) * load<f32>(scalePtr + bytes(c));
      total += v;
      if (v > bestValue) { bestValue = v; best = c; }
    }
    store<i32>(idxPtr + bytes(r), best);
    if (sharePtr) store<f32>(sharePtr + bytes(r), total > 0 ? bestValue / total : 0);
  }
}

/**
 * For each row of A (rows×cols), the indices of its k largest values in descending order (ties: lower
 * index first) into idx (rows×k). k = cols is a full descending argsort.
 */
export function topKRows(aPtr: usize, idxPtr: usize, rows: i32, cols: i32, k: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = aPtr + bytes(r * cols), out = idxPtr + bytes(r * k);
    let count = 0;
    for (let c = 0; c < cols; c++) {
      const v = load<f32>(row + bytes(c));
      if (count == k && !(v > load<f32>(row + bytes(load<i32>(out + bytes(k - 1)))))) continue;
      // Insertion: shift smaller entries right; equal values stay ahead (stable).
      let p = count < k ? count : k - 1;
      while (p > 0 && load<f32>(row + bytes(load<i32>(out + bytes(p - 1)))) < v) {
        store<i32>(out + bytes(p), load<i32>(out + bytes(p - 1)));
        p--;
      }
      store<i32>(out + bytes(p), c);
      if (count < k) count++;
    }
  }
}
