// Shared test helpers: seeded data and closeness checks.
import { expect } from 'vitest';
import { Random } from '../src/random.js';
import type { Csr } from './oracles.js';

/** rows×cols uniform [0, 1) values, about `zeros` of them set to 0, seeded. */
export function randomMatrix(rng: Random, rows: number, cols: number, zeros = 0.2): Float32Array {
  return Float32Array.from({ length: rows * cols }, () => (rng.nextFloat() < zeros ? 0 : rng.nextFloat()));
}

/** rows×kp with the padding lanes (k..kp) zero, as the kernels require. */
export function paddedFactor(rng: Random, rows: number, k: number, kp: number): Float32Array {
  const a = new Float32Array(rows * kp);
  for (let r = 0; r < rows; r++) for (let t = 0; t < k; t++) a[r * kp + t] = rng.nextFloat() + 0.01;
  return a;
}

export function randomCsr(rng: Random, rows: number, cols: number, density: number): Csr {
  const indptr = new Int32Array(rows + 1), indices: number[] = [], data: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) if (rng.nextFloat() < density) { indices.push(c); data.push(1 + Math.floor(rng.nextFloat() * 9)); }
    indptr[r + 1] = indices.length;
  }
  return { rows, cols, indptr, indices: Int32Array.from(indices), data: Float32Array.from(data) };
}

/** max |got − want| ≤ rel · max(1, max |want|): float32 kernels against float64 references. */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, rel = 2e-5): void {
  expect(got.length).toBe(want.length);
  let scale = 1, worst = 0, at = -1;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]!));
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    if (!(d <= worst)) { worst = d; at = i; }
  }
  if (!(worst <= rel * scale)) {
    expect.fail(`max difference ${worst} at ${at} (got ${got[at]}, want ${want[at]}) exceeds ${rel} × ${scale}`);
  }
}

export function allFiniteNonNegative(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!(a[i]! >= 0 && a[i]! < Infinity)) return false;
  return true;
}

/**
 * A planted product V = W·H (rows×cols, rank k): each component owns a distinct block of events
 * (so the factors are identifiable), plus optional uniform noise.
 */
export function plantedProduct(rng: Random, rows: number, cols: number, k: number, noise = 0) {
  const W = new Float64Array(rows * k), H = new Float64Array(k * cols);
  for (let t = 0; t < k; t++) for (let j = 0; j < cols; j++) H[t * cols + j] = j % k === t ? 1 + rng.nextFloat() : 0.05 * rng.nextFloat();
  for (let r = 0; r < rows; r++) for (let t = 0; t < k; t++) W[r * k + t] = rng.nextFloat() < 0.5 ? rng.nextFloat() * 3 : 0.1 * rng.nextFloat();
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += W[r * k + t]! * H[t * cols + j]!;
      data[r * cols + j] = s + noise * rng.nextFloat();
    }
  }
  return { V: { rows, cols, data }, W, H };
}

/** Cosine similarity of two vectors. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) { ab += a[i]! * b[i]!; aa += a[i]! ** 2; bb += b[i]! ** 2; }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/** Sparse Poisson-like counts with planted personas: each user mostly does one persona's events. */
export function plantedCounts(rng: Random, rows: number, cols: number, k: number) {
  const labels = new Int32Array(rows);
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const persona = rng.nextInt(k);
    labels[r] = persona;
    const activity = 1 + 20 * rng.nextFloat() ** 2;
    for (let j = 0; j < cols; j++) {
      const rate = activity * (j % k === persona ? 1 : 0.08);
      // Poisson by inversion (small rates)
      let n = 0, p = Math.exp(-rate), s = p;
      const u = rng.nextFloat();
      while (u > s && n < 200) { n++; p *= rate / n; s += p; }
      data[r * cols + j] = Math.log1p(n);
    }
  }
  return { V: { rows, cols, data }, labels };
}
