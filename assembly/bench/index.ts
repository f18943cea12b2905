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

/**
 * C (p×q) += Aᵀ·B with each block of A broadcast once into splat (rows×p v128s) and the 4×8 tile
 * loading those instead of broadcasting in the loop. Tried to spare the shuffle port; it measured
 * slower (bench/README.md). SIMD build only; p % 4 == 0 and q % 8 == 0.
 */
export function gemmTNPresplat(aPtr: usize, bPtr: usize, cPtr: usize, rows: i32, p: i32, q: i32, splatPtr: usize): void {
  if (!ASC_FEATURE_SIMD) return;
  for (let r0 = 0; r0 < rows; r0 += 128) {
    const rb = min(128, rows - r0);
    const a = aPtr + bytes(r0 * p), b = bPtr + bytes(r0 * q);
    for (let i = 0; i < rb * p; i++) v128.store(splatPtr + (<usize>i << 4), f32x4.splat(load<f32>(a + bytes(i))));
    const ldb = bytes(q), lds = (<usize>p) << 4;
    for (let i0 = 0; i0 + 4 <= p; i0 += 4) {
      let j = 0;
      for (; j + 8 <= q; j += 8) {
        let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        let sp = splatPtr + ((<usize>i0) << 4), bp = b + bytes(j);
        for (let r = 0; r < rb; r++) {
          const b0 = v128.load(bp), b1 = v128.load(bp, 16);
          let s = v128.load(sp); c00 = f32x4.add(c00, f32x4.mul(s, b0)); c01 = f32x4.add(c01, f32x4.mul(s, b1));
          s = v128.load(sp, 16); c10 = f32x4.add(c10, f32x4.mul(s, b0)); c11 = f32x4.add(c11, f32x4.mul(s, b1));
          s = v128.load(sp, 32); c20 = f32x4.add(c20, f32x4.mul(s, b0)); c21 = f32x4.add(c21, f32x4.mul(s, b1));
          s = v128.load(sp, 48); c30 = f32x4.add(c30, f32x4.mul(s, b0)); c31 = f32x4.add(c31, f32x4.mul(s, b1));
          sp += lds; bp += ldb;
        }
        let cp = cPtr + bytes(i0 * q + j);
        v128.store(cp, f32x4.add(v128.load(cp), c00)); v128.store(cp, f32x4.add(v128.load(cp, 16), c01), 16); cp += ldb;
        v128.store(cp, f32x4.add(v128.load(cp), c10)); v128.store(cp, f32x4.add(v128.load(cp, 16), c11), 16); cp += ldb;
        v128.store(cp, f32x4.add(v128.load(cp), c20)); v128.store(cp, f32x4.add(v128.load(cp, 16), c21), 16); cp += ldb;
        v128.store(cp, f32x4.add(v128.load(cp), c30)); v128.store(cp, f32x4.add(v128.load(cp, 16), c31), 16);
      }
    }
  }
}
