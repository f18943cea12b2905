// Benchmark-only variants, compiled to build/bench-variants.*.wasm and never shipped: the simpler
// kernels the shipped ones were measured against (bench/kernels.bench.ts shows the choice).

import { bytes } from '../simd';

/**
 * C (p×q) += Aᵀ·B as rank-1 updates: for every row, each row of C is loaded, updated and stored.
 * The shipped gemmTN keeps a 4×8 tile of C in registers across a block of rows instead.
 */
export function gemmTNNaive(aPtr: usize, bPtr: usize, cPtr: usize, rows: i32, p: i32, q: i32): void {
  for (let r = 0; r < rows; r++) {
    const a = aPtr + bytes(r * p), b = bPtr + bytes(r * q);
    for (let i = 0; i < p; i++) {
      const c = cPtr + bytes(i * q);
      let j = 0;
      if (ASC_FEATURE_SIMD) {
        const s = f32x4.splat(load<f32>(a + bytes(i)));
        for (; j + 4 <= q; j += 4) {
          v128.store(c + bytes(j), f32x4.add(v128.load(c + bytes(j)), f32x4.mul(s, v128.load(b + bytes(j)))));
        }
      }
      const s1 = load<f32>(a + bytes(i));
      for (; j < q; j++) store<f32>(c + bytes(j), load<f32>(c + bytes(j)) + s1 * load<f32>(b + bytes(j)));
    }
  }
}

/** C (rows×cols) = A·B one output row at a time, no register tile across rows. */
export function gemmNNNaive(aPtr: usize, bPtr: usize, cPtr: usize, rows: i32, inner: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const c = cPtr + bytes(r * cols);
    memory.fill(c, 0, bytes(cols));
    for (let t = 0; t < inner; t++) {
      const b = bPtr + bytes(t * cols);
      const av = load<f32>(aPtr + bytes(r * inner + t));
      let j = 0;
      if (ASC_FEATURE_SIMD) {
        const s = f32x4.splat(av);
        for (; j + 4 <= cols; j += 4) {
          v128.store(c + bytes(j), f32x4.add(v128.load(c + bytes(j)), f32x4.mul(s, v128.load(b + bytes(j)))));
        }
      }
      for (; j < cols; j++) store<f32>(c + bytes(j), load<f32>(c + bytes(j)) + av * load<f32>(b + bytes(j)));
    }
  }
}
