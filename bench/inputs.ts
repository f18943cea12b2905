// Generated inputs the benchmark suites share, seeded so every run measures the same numbers.
import { Random } from '../src/random.js';
import * as ref from '../test/oracles.js';

/** Dense log1p-like counts: 30 % zeros, else log1p of 0..19 (what the transforms leave of real counts). */
export function log1pCounts(rng: Random, length: number): Float32Array {
  const x = new Float32Array(length);
  for (let i = 0; i < length; i++) x[i] = rng.nextFloat() < 0.3 ? 0 : Math.log1p(rng.nextInt(20));
  return x;
}

/**
 * What the kernels take, for n users × m events and k components padded to kp: the data x, a starting
 * W (n × kp, padding zero), H (kp × m), Hᵀ, H·Hᵀ, H's row sums and the identity order of components.
 */
export function kernelInputs(rng: Random, n: number, m: number, k: number, kp: number) {
  const x = log1pCounts(rng, n * m);
  const w0 = new Float32Array(n * kp), h = new Float32Array(kp * m);
  for (let r = 0; r < n; r++) for (let t = 0; t < k; t++) w0[r * kp + t] = 0.1 + rng.nextFloat();
  for (let t = 0; t < k; t++) for (let j = 0; j < m; j++) h[t * m + j] = 0.1 + rng.nextFloat();
  const ht = Float32Array.from(ref.transpose(h, kp, m));
  const hht = Float32Array.from(ref.gemmNN(h, ht, kp, m, kp));
  const hsum = Float32Array.from({ length: kp }, (_, t) => h.slice(t * m, (t + 1) * m).reduce((a, b) => a + b, 0));
  const perm = Int32Array.from({ length: k }, (_, i) => i);
  return { x, w0, h, ht, hht, hsum, perm };
}

/** V·B for CSR V, row by row over the non-zeros: the plain-TypeScript reference for csrGemmNN (the test
 * oracle densifies V first, which would flatter the kernel). */
export function plainCsrTimes(x: ref.Csr, b: Float32Array, cols: number): Float32Array {
  const out = new Float32Array(x.rows * cols);
  for (let r = 0; r < x.rows; r++) {
    for (let z = x.indptr[r]!; z < x.indptr[r + 1]!; z++) {
      const v = x.data[z]!, j = x.indices[z]!;
      for (let c = 0; c < cols; c++) out[r * cols + c]! += v * b[j * cols + c]!;
    }
  }
  return out;
}
