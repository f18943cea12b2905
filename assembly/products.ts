// Matrix products for NMF, on row-major float32 buffers owned by the host.
// Register-blocked SIMD: a 4×8 tile of the output stays in eight v128 accumulators while the
// inner dimension streams through, so each loaded value is reused 4 or 8 times.
// The scalar loops double as the SIMD tails and as the whole scalar build.

import { BLOCK_ROWS, addTo, bytes, madd } from './simd';

/**
 * C ← C + Aᵀ·B. A: rows×p, B: rows×q, C: p×q (accumulated, not overwritten).
 * Used for WᵀV (p = components, q = events), WᵀW and VᵀV. Rows go in blocks of BLOCK_ROWS so each
 * tile's partial sum is added to C once per block: fewer rounding steps than a rank-1 update per row.
 */
export function gemmTN(aPtr: usize, bPtr: usize, cPtr: usize, rows: i32, p: i32, q: i32): void {
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const rb = min(BLOCK_ROWS, rows - r0);
    gemmTNBlock(aPtr + bytes(r0 * p), bPtr + bytes(r0 * q), cPtr, rb, p, q);
  }
}

/** C ← C + Aᵀ·B for one block of rows (rb ≤ BLOCK_ROWS, so the block stays in cache across tiles). */
export function gemmTNBlock(a: usize, b: usize, c: usize, rb: i32, p: i32, q: i32): void {
  const lda = bytes(p), ldb = bytes(q), ldc = bytes(q);
  let i0 = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i0 + 4 <= p; i0 += 4) {
      let j = 0;
      for (; j + 8 <= q; j += 8) {
        let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00;
        let c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        let ap = a + bytes(i0), bp = b + bytes(j);
        for (let r = 0; r < rb; r++) {
          const b0 = v128.load(bp), b1 = v128.load(bp, 16);
          let s = f32x4.splat(load<f32>(ap));
          c00 = madd(c00, s, b0); c01 = madd(c01, s, b1);
          s = f32x4.splat(load<f32>(ap, 4));
          c10 = madd(c10, s, b0); c11 = madd(c11, s, b1);
          s = f32x4.splat(load<f32>(ap, 8));
          c20 = madd(c20, s, b0); c21 = madd(c21, s, b1);
          s = f32x4.splat(load<f32>(ap, 12));
          c30 = madd(c30, s, b0); c31 = madd(c31, s, b1);
          ap += lda; bp += ldb;
        }
        let cp = c + bytes(i0 * q + j);
        addTo(cp, c00); addTo(cp + 16, c01); cp += ldc;
        addTo(cp, c10); addTo(cp + 16, c11); cp += ldc;
        addTo(cp, c20); addTo(cp + 16, c21); cp += ldc;
        addTo(cp, c30); addTo(cp + 16, c31);
      }
      for (; j + 4 <= q; j += 4) {
        let c0 = f32x4.splat(0), c1 = c0, c2 = c0, c3 = c0;
        let ap = a + bytes(i0), bp = b + bytes(j);
        for (let r = 0; r < rb; r++) {
          const b0 = v128.load(bp);
          c0 = madd(c0, f32x4.splat(load<f32>(ap)), b0);
          c1 = madd(c1, f32x4.splat(load<f32>(ap, 4)), b0);
          c2 = madd(c2, f32x4.splat(load<f32>(ap, 8)), b0);
          c3 = madd(c3, f32x4.splat(load<f32>(ap, 12)), b0);
          ap += lda; bp += ldb;
        }
        let cp = c + bytes(i0 * q + j);
        addTo(cp, c0); cp += ldc; addTo(cp, c1); cp += ldc; addTo(cp, c2); cp += ldc; addTo(cp, c3);
      }
      for (; j < q; j++) {
        let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
        let ap = a + bytes(i0), bp = b + bytes(j);
        for (let r = 0; r < rb; r++) {
          const bv = load<f32>(bp);
          s0 += load<f32>(ap) * bv; s1 += load<f32>(ap, 4) * bv;
          s2 += load<f32>(ap, 8) * bv; s3 += load<f32>(ap, 12) * bv;
          ap += lda; bp += ldb;
        }
        const cp = c + bytes(i0 * q + j);
        store<f32>(cp, load<f32>(cp) + s0);
        store<f32>(cp + ldc, load<f32>(cp + ldc) + s1);
        store<f32>(cp + 2 * ldc, load<f32>(cp + 2 * ldc) + s2);
        store<f32>(cp + 3 * ldc, load<f32>(cp + 3 * ldc) + s3);
      }
    }
  }
  // Remaining rows of C one at a time (all of them in the scalar build).
  for (; i0 < p; i0++) {
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 8 <= q; j += 8) {
        let c0 = f32x4.splat(0), c1 = c0;
        let ap = a + bytes(i0), bp = b + bytes(j);
        for (let r = 0; r < rb; r++) {
          const s = f32x4.splat(load<f32>(ap));
          c0 = madd(c0, s, v128.load(bp)); c1 = madd(c1, s, v128.load(bp, 16));
          ap += lda; bp += ldb;
        }
        const cp = c + bytes(i0 * q + j);
        addTo(cp, c0); addTo(cp + 16, c1);
      }
      for (; j + 4 <= q; j += 4) {
        let c0 = f32x4.splat(0);
        let ap = a + bytes(i0), bp = b + bytes(j);
        for (let r = 0; r < rb; r++) {
          c0 = madd(c0, f32x4.splat(load<f32>(ap)), v128.load(bp));
          ap += lda; bp += ldb;
        }
        addTo(c + bytes(i0 * q + j), c0);
      }
      for (; j < q; j++) {
        let s: f32 = 0;
        let ap = a + bytes(i0), bp = b + bytes(j);
        for (let r = 0; r < rb; r++) { s += load<f32>(ap) * load<f32>(bp); ap += lda; bp += ldb; }
        const cp = c + bytes(i0 * q + j);
        store<f32>(cp, load<f32>(cp) + s);
      }
    } else {
      // Scalar build: a row of C accumulates rank-1 updates, four partial sums per pass.
      for (; j + 4 <= q; j += 4) {
        let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
        let ap = a + bytes(i0), bp = b + bytes(j);
        for (let r = 0; r < rb; r++) {
          const av = load<f32>(ap);
          s0 += av * load<f32>(bp); s1 += av * load<f32>(bp, 4);
          s2 += av * load<f32>(bp, 8); s3 += av * load<f32>(bp, 12);
          ap += lda; bp += ldb;
        }
        const cp = c + bytes(i0 * q + j);
        store<f32>(cp, load<f32>(cp) + s0); store<f32>(cp, load<f32>(cp, 4) + s1, 4);
        store<f32>(cp, load<f32>(cp, 8) + s2, 8); store<f32>(cp, load<f32>(cp, 12) + s3, 12);
      }
      for (; j < q; j++) {
        let s: f32 = 0;
        let ap = a + bytes(i0), bp = b + bytes(j);
        for (let r = 0; r < rb; r++) { s += load<f32>(ap) * load<f32>(bp); ap += lda; bp += ldb; }
        const cp = c + bytes(i0 * q + j);
        store<f32>(cp, load<f32>(cp) + s);
      }
    }
  }
}

/**
 * C ← A·B (overwritten). A: rows×inner, B: inner×cols, C: rows×cols.
 * Used for V·Hᵀ (inner = events, cols = padded components), W·HHᵀ and W·H.
 */
export function gemmNN(aPtr: usize, bPtr: usize, cPtr: usize, rows: i32, inner: i32, cols: i32): void {
  const lda = bytes(inner), ldb = bytes(cols), ldc = bytes(cols);
  let r = 0;
  if (ASC_FEATURE_SIMD) {
    for (; r + 4 <= rows; r += 4) {
      const a0 = aPtr + bytes(r * inner);
      const c0 = cPtr + bytes(r * cols);
      let j = 0;
      for (; j + 8 <= cols; j += 8) {
        let x00 = f32x4.splat(0), x01 = x00, x10 = x00, x11 = x00;
        let x20 = x00, x21 = x00, x30 = x00, x31 = x00;
        let ap = a0, bp = bPtr + bytes(j);
        for (let t = 0; t < inner; t++) {
          const b0 = v128.load(bp), b1 = v128.load(bp, 16);
          let s = f32x4.splat(load<f32>(ap));
          x00 = madd(x00, s, b0); x01 = madd(x01, s, b1);
          s = f32x4.splat(load<f32>(ap + lda));
          x10 = madd(x10, s, b0); x11 = madd(x11, s, b1);
          s = f32x4.splat(load<f32>(ap + 2 * lda));
          x20 = madd(x20, s, b0); x21 = madd(x21, s, b1);
          s = f32x4.splat(load<f32>(ap + 3 * lda));
          x30 = madd(x30, s, b0); x31 = madd(x31, s, b1);
          ap += 4; bp += ldb;
        }
        let cp = c0 + bytes(j);
        v128.store(cp, x00); v128.store(cp, x01, 16); cp += ldc;
        v128.store(cp, x10); v128.store(cp, x11, 16); cp += ldc;
        v128.store(cp, x20); v128.store(cp, x21, 16); cp += ldc;
        v128.store(cp, x30); v128.store(cp, x31, 16);
      }
      for (; j + 4 <= cols; j += 4) {
        let x0 = f32x4.splat(0), x1 = x0, x2 = x0, x3 = x0;
        let ap = a0, bp = bPtr + bytes(j);
        for (let t = 0; t < inner; t++) {
          const b0 = v128.load(bp);
          x0 = madd(x0, f32x4.splat(load<f32>(ap)), b0);
          x1 = madd(x1, f32x4.splat(load<f32>(ap + lda)), b0);
          x2 = madd(x2, f32x4.splat(load<f32>(ap + 2 * lda)), b0);
          x3 = madd(x3, f32x4.splat(load<f32>(ap + 3 * lda)), b0);
          ap += 4; bp += ldb;
        }
        let cp = c0 + bytes(j);
        v128.store(cp, x0); cp += ldc; v128.store(cp, x1); cp += ldc;
        v128.store(cp, x2); cp += ldc; v128.store(cp, x3);
      }
      for (; j < cols; j++) {
        let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
        let ap = a0, bp = bPtr + bytes(j);
        for (let t = 0; t < inner; t++) {
          const bv = load<f32>(bp);
          s0 += load<f32>(ap) * bv; s1 += load<f32>(ap + lda) * bv;
          s2 += load<f32>(ap + 2 * lda) * bv; s3 += load<f32>(ap + 3 * lda) * bv;
          ap += 4; bp += ldb;
        }
        const cp = c0 + bytes(j);
        store<f32>(cp, s0); store<f32>(cp + ldc, s1); store<f32>(cp + 2 * ldc, s2); store<f32>(cp + 3 * ldc, s3);
      }
    }
  }
  // Remaining rows one at a time (all rows in the scalar build).
  for (; r < rows; r++) {
    const ar = aPtr + bytes(r * inner);
    const cr = cPtr + bytes(r * cols);
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 8 <= cols; j += 8) {
        let x0 = f32x4.splat(0), x1 = x0;
        let bp = bPtr + bytes(j);
        for (let t = 0; t < inner; t++) {
          const s = f32x4.splat(load<f32>(ar + bytes(t)));
          x0 = madd(x0, s, v128.load(bp)); x1 = madd(x1, s, v128.load(bp, 16));
          bp += ldb;
        }
        v128.store(cr + bytes(j), x0); v128.store(cr + bytes(j), x1, 16);
      }
      for (; j + 4 <= cols; j += 4) {
        let x0 = f32x4.splat(0);
        let bp = bPtr + bytes(j);
        for (let t = 0; t < inner; t++) {
          x0 = madd(x0, f32x4.splat(load<f32>(ar + bytes(t))), v128.load(bp));
          bp += ldb;
        }
        v128.store(cr + bytes(j), x0);
      }
    } else {
      for (; j + 4 <= cols; j += 4) {
        let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
        let bp = bPtr + bytes(j);
        for (let t = 0; t < inner; t++) {
          const av = load<f32>(ar + bytes(t));
          s0 += av * load<f32>(bp); s1 += av * load<f32>(bp, 4);
          s2 += av * load<f32>(bp, 8); s3 += av * load<f32>(bp, 12);
          bp += ldb;
        }
        const cp = cr + bytes(j);
        store<f32>(cp, s0); store<f32>(cp, s1, 4); store<f32>(cp, s2, 8); store<f32>(cp, s3, 12);
      }
    }
    for (; j < cols; j++) {
      let s: f32 = 0;
      let bp = bPtr + bytes(j);
      for (let t = 0; t < inner; t++) { s += load<f32>(ar + bytes(t)) * load<f32>(bp); bp += ldb; }
      store<f32>(cr + bytes(j), s);
    }
  }
}

/**
 * C ← X·B (overwritten) for CSR X: rows×inner (indptr: rows+1 int32, indices/data: nnz), B: inner×cols,
 * C: rows×cols. Touches only the non-zeros: V·Hᵀ on a sparse event matrix.
 */
export function csrGemmNN(indptrPtr: usize, indicesPtr: usize, dataPtr: usize, bPtr: usize, cPtr: usize,
                          rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    csrRowTimes(indptrPtr, indicesPtr, dataPtr, r, bPtr, cPtr + bytes(r * cols), cols);
  }
}

/** out[0..cols) ← Σ over the non-zeros (j, x) of CSR row r of x·B[j, :]. */
export function csrRowTimes(indptrPtr: usize, indicesPtr: usize, dataPtr: usize, r: i32, bPtr: usize,
                            out: usize, cols: i32): void {
  const start = load<i32>(indptrPtr + bytes(r)), end = load<i32>(indptrPtr + bytes(r + 1));
  const ldb = bytes(cols);
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    for (; j + 8 <= cols; j += 8) {
      let x0 = f32x4.splat(0), x1 = x0;
      for (let z = start; z < end; z++) {
        const s = f32x4.splat(load<f32>(dataPtr + bytes(z)));
        const bp = bPtr + <usize>load<i32>(indicesPtr + bytes(z)) * ldb + bytes(j);
        x0 = madd(x0, s, v128.load(bp)); x1 = madd(x1, s, v128.load(bp, 16));
      }
      v128.store(out + bytes(j), x0); v128.store(out + bytes(j), x1, 16);
    }
    for (; j + 4 <= cols; j += 4) {
      let x0 = f32x4.splat(0);
      for (let z = start; z < end; z++) {
        const bp = bPtr + <usize>load<i32>(indicesPtr + bytes(z)) * ldb + bytes(j);
        x0 = madd(x0, f32x4.splat(load<f32>(dataPtr + bytes(z))), v128.load(bp));
      }
      v128.store(out + bytes(j), x0);
    }
  }
  for (; j < cols; j++) {
    let s: f32 = 0;
    for (let z = start; z < end; z++) {
      s += load<f32>(dataPtr + bytes(z)) * load<f32>(bPtr + <usize>load<i32>(indicesPtr + bytes(z)) * ldb + bytes(j));
    }
    store<f32>(out + bytes(j), s);
  }
}

/**
 * C ← C + Xᵀ·A (accumulated) for CSR X: rows×inner, A: rows×cols, C: inner×cols.
 * Scatters each non-zero's scaled row of A into C: VᵀW on a sparse event matrix.
 */
export function csrGemmTN(indptrPtr: usize, indicesPtr: usize, dataPtr: usize, aPtr: usize, cPtr: usize,
                          rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    csrRowScatter(indptrPtr, indicesPtr, dataPtr, r, aPtr + bytes(r * cols), cPtr, cols);
  }
}

/** C[j, :] += x·a for every non-zero (j, x) of CSR row r; a has cols values. */
export function csrRowScatter(indptrPtr: usize, indicesPtr: usize, dataPtr: usize, r: i32, a: usize,
                              cPtr: usize, cols: i32): void {
  const start = load<i32>(indptrPtr + bytes(r)), end = load<i32>(indptrPtr + bytes(r + 1));
  const ldc = bytes(cols);
  for (let z = start; z < end; z++) {
    const x = load<f32>(dataPtr + bytes(z));
    const cp = cPtr + <usize>load<i32>(indicesPtr + bytes(z)) * ldc;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      const s = f32x4.splat(x);
      for (; j + 4 <= cols; j += 4) addTo(cp + bytes(j), f32x4.mul(s, v128.load(a + bytes(j))));
    }
    for (; j < cols; j++) store<f32>(cp + bytes(j), load<f32>(cp + bytes(j)) + x * load<f32>(a + bytes(j)));
  }
}
