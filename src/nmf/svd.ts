// The top-k singular triplets of V, for NNDSVD. The events side is small, so for up to
// EXACT_SVD_MAX_COLS events the SVD is exact: the eigendecomposition of the Gram matrix VᵀV
// (events × events, one pass over V in WebAssembly), then U = V·v / σ. Wider matrices use a
// randomized subspace iteration on VᵀV (Halko, Martinsson & Tropp 2011), seeded, in row chunks so
// it needs no users × rank buffer. Squaring V in the Gram matrix costs precision only in singular
// values below ~1e-3·σ₁, far beneath the components NNDSVD uses.

import { EigenvalueDecomposition, Matrix, QrDecomposition } from 'ml-matrix';
import type { Random } from '../random.js';
import type { F32Buffer } from '../wasm/workspace.js';
import { CHUNK_ROWS, paddedK, type NmfProblem } from './problem.js';

export const EXACT_SVD_MAX_COLS = 256;
const OVERSAMPLES = 10;
const POWER_ITERATIONS = 7;

export interface TruncatedSvd {
  /** Singular values, descending (k). */
  readonly s: Float64Array;
  /** Right singular vectors as rows (k×cols). */
  readonly vt: Float64Array;
}

/**
 * Computes the top-k SVD of V and writes the left singular vectors into `u` (rows×kp, column t = u_t,
 * zero where σ_t = 0).
 */
export function truncatedSvd(p: NmfProblem, k: number, rng: Random, u: F32Buffer): TruncatedSvd {
  const { cols } = p;
  const basis = cols <= EXACT_SVD_MAX_COLS ? undefined : randomizedBasis(p, k, rng);
  const gram = basis ? projectedGram(p, basis.q, basis.lp, basis.l) : gramMatrix(p);
  const evd = new EigenvalueDecomposition(gram, { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const vectors = evd.eigenvectorMatrix;
  const order = values.map((_, i) => i).sort((a, b) => values[b]! - values[a]! || a - b);
  const s = new Float64Array(k);
  const vt = new Float64Array(k * cols);
  for (let t = 0; t < k; t++) {
    const i = order[t]!;
    s[t] = Math.sqrt(Math.max(values[i]!, 0));
    for (let j = 0; j < cols; j++) {
      if (basis) {
        // v = Q·e: back from the subspace to event space
        let x = 0;
        for (let c = 0; c < basis.l; c++) x += basis.q.get(j, c) * vectors.get(c, i);
        vt[t * cols + j] = x;
      } else {
        vt[t * cols + j] = vectors.get(j, i);
      }
    }
  }
  leftVectors(p, k, s, vt, u);
  return { s, vt };
}

/** VᵀV (cols×cols) in float64. */
function gramMatrix(p: NmfProblem): Matrix {
  const { cols } = p;
  const g = new Matrix(cols, cols);
  if (p.x) {
    const out = p.ws.allocF32(cols * cols);
    const K = p.ws.kernels;
    p.forEachChunk((start, count) => K.gemmTN(p.x!.at(start * cols), p.x!.at(start * cols), out.ptr, count, cols, cols));
    const v = out.view();
    for (let a = 0; a < cols; a++) for (let b = 0; b < cols; b++) g.set(a, b, v[a * cols + b]!);
  } else {
    const { indptr, indices, data } = p.csr!;
    const ip = indptr.view(), ix = indices.view(), dx = data.view();
    for (let r = 0; r < p.rows; r++) {
      for (let z1 = ip[r]!; z1 < ip[r + 1]!; z1++) {
        for (let z2 = ip[r]!; z2 < ip[r + 1]!; z2++) {
          const a = ix[z1]!, b = ix[z2]!;
          g.set(a, b, g.get(a, b) + dx[z1]! * dx[z2]!);
        }
      }
    }
  }
  return g;
}

/** An orthonormal basis (cols×l) of the dominant subspace of VᵀV, by seeded subspace iteration. */
function randomizedBasis(p: NmfProblem, k: number, rng: Random): { q: Matrix; l: number; lp: number } {
  const { cols } = p;
  const l = Math.min(cols, k + OVERSAMPLES);
  const lp = paddedK(l);
  let q = new Matrix(cols, l);
  for (let j = 0; j < cols; j++) for (let c = 0; c < l; c++) q.set(j, c, rng.nextNormal());
  q = new QrDecomposition(q).orthogonalMatrix;
  const qBuf = p.ws.allocF32(cols * lp);
  const z = p.ws.allocF32(cols * lp);
  const y = p.ws.allocF32(Math.min(CHUNK_ROWS, p.rows) * lp);
  const K = p.ws.kernels;
  for (let it = 0; it < POWER_ITERATIONS; it++) {
    writePadded(qBuf, q, lp);
    z.view().fill(0);
    p.forEachChunk((start, count) => {
      timesV(p, start, count, qBuf, y, lp);
      if (p.x) K.gemmTN(p.x.at(start * cols), y.ptr, z.ptr, count, cols, lp);
      else {
        const { indptr, indices, data } = p.csr!;
        K.csrGemmTN(indptr.at(start), indices.ptr, data.ptr, y.ptr, z.ptr, count, lp);
      }
    });
    const zv = z.view();
    const zm = new Matrix(cols, l);
    for (let j = 0; j < cols; j++) for (let c = 0; c < l; c++) zm.set(j, c, zv[j * lp + c]!);
    q = new QrDecomposition(zm).orthogonalMatrix;
  }
  return { q, l, lp };
}

/** Qᵀ·VᵀV·Q (l×l) = Σ over row chunks of (V_c·Q)ᵀ(V_c·Q). */
function projectedGram(p: NmfProblem, q: Matrix, lp: number, l: number): Matrix {
  const K = p.ws.kernels;
  const qBuf = p.ws.allocF32(p.cols * lp);
  writePadded(qBuf, q, lp);
  const y = p.ws.allocF32(Math.min(CHUNK_ROWS, p.rows) * lp);
  const b = p.ws.allocF32(lp * lp);
  p.forEachChunk((start, count) => {
    timesV(p, start, count, qBuf, y, lp);
    K.gemmTN(y.ptr, y.ptr, b.ptr, count, lp, lp);
  });
  const bv = b.view();
  const g = new Matrix(l, l);
  for (let a = 0; a < l; a++) for (let c = 0; c < l; c++) g.set(a, c, bv[a * lp + c]!);
  return g;
}

/** out (count×width) = V[start .. start+count) · B, B: cols×width. */
function timesV(p: NmfProblem, start: number, count: number, b: F32Buffer, out: F32Buffer, width: number): void {
  const K = p.ws.kernels;
  if (p.x) K.gemmNN(p.x.at(start * p.cols), b.ptr, out.ptr, count, p.cols, width);
  else {
    const { indptr, indices, data } = p.csr!;
    K.csrGemmNN(indptr.at(start), indices.ptr, data.ptr, b.ptr, out.ptr, count, width);
  }
}

/** u (rows×kp) ← V·vᵀ / σ, column by column; 0 where σ is 0. */
function leftVectors(p: NmfProblem, k: number, s: Float64Array, vt: Float64Array, u: F32Buffer): void {
  const { cols, kp } = p;
  const vBuf = p.ws.allocF32(cols * kp);
  const vv = vBuf.view();
  for (let t = 0; t < k; t++) for (let j = 0; j < cols; j++) vv[j * kp + t] = vt[t * cols + j]!;
  p.forEachChunk((start, count) => {
    const K = p.ws.kernels;
    if (p.x) K.gemmNN(p.x.at(start * cols), vBuf.ptr, u.at(start * kp), count, cols, kp);
    else {
      const { indptr, indices, data } = p.csr!;
      K.csrGemmNN(indptr.at(start), indices.ptr, data.ptr, vBuf.ptr, u.at(start * kp), count, kp);
    }
  });
  const uv = u.view();
  const tiny = s[0]! * 1e-7; // below float32 resolution of the largest: treat as zero
  for (let t = 0; t < kp; t++) {
    const inv = t < k && s[t]! > tiny && s[t]! > 0 ? 1 / s[t]! : 0;
    for (let r = 0; r < p.rows; r++) uv[r * kp + t] = uv[r * kp + t]! * inv;
  }
}

function writePadded(target: F32Buffer, m: Matrix, lp: number): void {
  const v = target.view();
  v.fill(0);
  for (let j = 0; j < m.rows; j++) for (let c = 0; c < m.columns; c++) v[j * lp + c] = m.get(j, c);
}
