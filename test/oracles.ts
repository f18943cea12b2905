// Plain-TypeScript references for every kernel: obvious loops in float64, no blocking, no SIMD.
// Kernel tests compare both binaries against these; benchmarks time them as the plain-JS baseline.
// Shapes and layouts follow src/wasm/kernels.ts.

export const EPSILON = 1.1920928955078125e-7;

export interface Csr {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  data: Float32Array;
}

/** C + Aᵀ·B; A rows×p, B rows×q → p×q. */
export function gemmTN(a: ArrayLike<number>, b: ArrayLike<number>, c0: ArrayLike<number>, rows: number, p: number, q: number): Float64Array {
  const c = Float64Array.from(c0);
  for (let r = 0; r < rows; r++) for (let i = 0; i < p; i++) for (let j = 0; j < q; j++) c[i * q + j]! += a[r * p + i]! * b[r * q + j]!;
  return c;
}

/** A·B; A rows×inner, B inner×cols. */
export function gemmNN(a: ArrayLike<number>, b: ArrayLike<number>, rows: number, inner: number, cols: number): Float64Array {
  const c = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let t = 0; t < inner; t++) for (let j = 0; j < cols; j++) c[r * cols + j]! += a[r * inner + t]! * b[t * cols + j]!;
  return c;
}

export function csrToDense(x: Csr): Float64Array {
  const d = new Float64Array(x.rows * x.cols);
  for (let r = 0; r < x.rows; r++) for (let z = x.indptr[r]!; z < x.indptr[r + 1]!; z++) d[r * x.cols + x.indices[z]!] = x.data[z]!;
  return d;
}

export function csrGemmNN(x: Csr, b: ArrayLike<number>, cols: number): Float64Array {
  return gemmNN(csrToDense(x), b, x.rows, x.cols, cols);
}

export function csrGemmTN(x: Csr, a: ArrayLike<number>, c0: ArrayLike<number>, cols: number): Float64Array {
  return gemmTN(csrToDense(x), a, c0, x.rows, x.cols, cols);
}

export function muApply(a: ArrayLike<number>, num: ArrayLike<number>, den: ArrayLike<number>, l1: number, l2: number, floor: number): Float64Array {
  return Float64Array.from(a, (v, i) => {
    let d = den[i]! + l1 + l2 * v;
    if (d === 0) d = EPSILON;
    const next = v * (num[i]! / d);
    return next < floor ? 0 : next;
  });
}

export function klRatio(x: ArrayLike<number>, wh: ArrayLike<number>): Float64Array {
  return Float64Array.from(x, (v, i) => v / (wh[i] === 0 ? EPSILON : wh[i]!));
}

/** Coordinate descent over rows of W (rows×kp) in place; returns Σ|projected gradient|. */
export function cdUpdate(w: Float64Array, hht: ArrayLike<number>, xht: ArrayLike<number>, perm: ArrayLike<number>, rows: number, k: number, kp: number, l1: number, l2: number): number {
  let violation = 0;
  for (let r = 0; r < rows; r++) {
    for (let s = 0; s < k; s++) {
      const t = perm[s]!;
      let grad = -(xht[r * kp + t]! - l1);
      for (let c = 0; c < k; c++) grad += hht[t * kp + c]! * w[r * kp + c]!;
      const wt = w[r * kp + t]!;
      grad += l2 * wt;
      violation += Math.abs(wt === 0 ? Math.min(0, grad) : grad);
      const hess = hht[t * kp + t]! + l2;
      if (hess !== 0) w[r * kp + t] = Math.max(wt - grad / hess, 0);
    }
  }
  return violation;
}

/** The fused Frobenius MU pass, unfused: returns new W, WᵀX and WᵀW. */
export function muFrobeniusPass(x: ArrayLike<number>, w0: ArrayLike<number>, ht: ArrayLike<number>, hht: ArrayLike<number>, rows: number, m: number, kp: number, l1: number, l2: number) {
  const w = muApply(w0, gemmNN(x, ht, rows, m, kp), gemmNN(w0, hht, rows, kp, kp), l1, l2, 0);
  return { w, wtx: gemmTN(w, x, new Float64Array(kp * m), rows, kp, m), wtw: gemmTN(w, w, new Float64Array(kp * kp), rows, kp, kp) };
}

export function halsPass(x: ArrayLike<number>, w0: ArrayLike<number>, ht: ArrayLike<number>, hht: ArrayLike<number>, perm: ArrayLike<number>, k: number, rows: number, m: number, kp: number, l1: number, l2: number) {
  const w = Float64Array.from(w0);
  const violation = cdUpdate(w, hht, gemmNN(x, ht, rows, m, kp), perm, rows, k, kp, l1, l2);
  return { w, violation, wtx: gemmTN(w, x, new Float64Array(kp * m), rows, kp, m), wtw: gemmTN(w, w, new Float64Array(kp * kp), rows, kp, kp) };
}

export function muKlPass(x: ArrayLike<number>, w0: ArrayLike<number>, h: ArrayLike<number>, ht: ArrayLike<number>, hsum: ArrayLike<number>, rows: number, m: number, kp: number, l1: number, l2: number) {
  const num = gemmNN(klRatio(x, gemmNN(w0, h, rows, kp, m)), ht, rows, m, kp);
  const den = new Float64Array(rows * kp);
  for (let r = 0; r < rows; r++) for (let t = 0; t < kp; t++) den[r * kp + t] = hsum[t]!;
  const w = muApply(w0, num, den, l1, l2, 0);
  const ratio = klRatio(x, gemmNN(w, h, rows, kp, m));
  const wsum = new Float64Array(kp);
  for (let r = 0; r < rows; r++) for (let t = 0; t < kp; t++) wsum[t]! += w[r * kp + t]!;
  return { w, wtr: gemmTN(w, ratio, new Float64Array(kp * m), rows, kp, m), wsum };
}

/** KL on CSR data only sees the non-zeros: the ratio is X / WH at the stored entries, 0 elsewhere. */
export function muKlPassCsr(x: Csr, w0: ArrayLike<number>, ht: ArrayLike<number>, hsum: ArrayLike<number>, kp: number, l1: number, l2: number) {
  const ratioAt = (w: ArrayLike<number>) => {
    const out = new Float64Array(x.rows * x.cols);
    for (let r = 0; r < x.rows; r++) {
      for (let z = x.indptr[r]!; z < x.indptr[r + 1]!; z++) {
        const j = x.indices[z]!;
        let wh = 0;
        for (let t = 0; t < kp; t++) wh += w[r * kp + t]! * ht[j * kp + t]!;
        out[r * x.cols + j] = x.data[z]! / (wh === 0 ? EPSILON : wh);
      }
    }
    return out;
  };
  const num = gemmNN(ratioAt(w0), ht, x.rows, x.cols, kp);
  const den = new Float64Array(x.rows * kp);
  for (let r = 0; r < x.rows; r++) for (let t = 0; t < kp; t++) den[r * kp + t] = hsum[t]!;
  const w = muApply(w0, num, den, l1, l2, 0);
  const rtw = gemmTN(ratioAt(w), w, new Float64Array(x.cols * kp), x.rows, x.cols, kp);
  const wsum = new Float64Array(kp);
  for (let r = 0; r < x.rows; r++) for (let t = 0; t < kp; t++) wsum[t]! += w[r * kp + t]!;
  return { w, rtw, wsum };
}

export function lossFrobeniusRows(x: ArrayLike<number>, w: ArrayLike<number>, h: ArrayLike<number>, rows: number, m: number, kp: number): Float64Array {
  const wh = gemmNN(w, h, rows, kp, m);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) for (let j = 0; j < m; j++) out[r]! += (x[r * m + j]! - wh[r * m + j]!) ** 2;
  return out;
}

/** Σ_{x>EPSILON} x·log(x/wh) − x, plus Σ wh, per row (scikit-learn's conventions). */
export function lossKlRows(x: ArrayLike<number>, w: ArrayLike<number>, h: ArrayLike<number>, rows: number, m: number, kp: number): Float64Array {
  const wh = gemmNN(w, h, rows, kp, m);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < m; j++) {
      const v = x[r * m + j]!, e = wh[r * m + j]!;
      out[r]! += e;
      if (v > EPSILON) out[r]! += v * Math.log(v / (e === 0 ? EPSILON : e)) - v;
    }
  }
  return out;
}

export function transpose(a: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const b = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) b[c * rows + r] = a[r * cols + c]!;
  return b;
}

/** argmax with the kernel's float32 arithmetic emulated (Math.fround), so ties resolve identically. */
export function argmaxRows(a: ArrayLike<number>, scale: ArrayLike<number>, rows: number, cols: number, stride: number) {
  const idx = new Int32Array(rows), share = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = -1, bestValue = 0, total = 0;
    for (let c = 0; c < cols; c++) {
      const v = Math.fround(a[r * stride + c]! * scale[c]!);
      total = Math.fround(total + v);
      if (v > bestValue) { bestValue = v; best = c; }
    }
    idx[r] = best;
    share[r] = total > 0 ? Math.fround(bestValue / total) : 0;
  }
  return { idx, share };
}

/** Stable descending sort of each row's indices, first k kept. */
export function topKRows(a: ArrayLike<number>, rows: number, cols: number, k: number): Int32Array {
  const out = new Int32Array(rows * k);
  for (let r = 0; r < rows; r++) {
    const order = Array.from({ length: cols }, (_, c) => c).sort((x, y) => a[r * cols + y]! - a[r * cols + x]! || x - y);
    for (let i = 0; i < k; i++) out[r * k + i] = order[i]!;
  }
  return out;
}
