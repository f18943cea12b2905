// Starting points for W and H (scikit-learn's `_initialize_nmf`): random, NNDSVD (Boutsidis &
// Gallopoulos 2008) and its two variants that fill NNDSVD's zeros, or factors given by the caller.

import type { Random } from '../random.js';
import type { NmfProblem } from './problem.js';
import { truncatedSvd } from './svd.js';

/** NNDSVD entries below this become exact zeros (scikit-learn's eps). */
const NNDSVD_ZERO = 1e-6;

export type InitScheme = 'random' | 'nndsvd' | 'nndsvda' | 'nndsvdar';

/** Writes W and H of the problem (and Hᵀ) for a named scheme. */
export function initializeFactors(p: NmfProblem, scheme: InitScheme, rng: Random): void {
  if (scheme === 'random') randomInit(p, rng);
  else nndsvdInit(p, scheme, rng);
  p.syncHtFromH();
}

/** Given factors (already checked: W rows×k, H k×cols, finite, ≥ 0). */
export function customInit(p: NmfProblem, W: ArrayLike<number>, H: ArrayLike<number>): void {
  p.setW(W);
  p.setH(H);
}

/** W, H = |N(0,1)|·√(mean(V)/k), H drawn first as scikit-learn does. */
function randomInit(p: NmfProblem, rng: Random): void {
  const avg = Math.sqrt(p.mean / p.k);
  const h = p.H.view();
  h.fill(0);
  for (let t = 0; t < p.k; t++) for (let j = 0; j < p.cols; j++) h[t * p.cols + j] = Math.abs(avg * rng.nextNormal());
  const w = p.W.view();
  w.fill(0);
  for (let r = 0; r < p.rows; r++) for (let t = 0; t < p.k; t++) w[r * p.kp + t] = Math.abs(avg * rng.nextNormal());
}

function nndsvdInit(p: NmfProblem, scheme: 'nndsvd' | 'nndsvda' | 'nndsvdar', rng: Random): void {
  const { rows, cols, k, kp } = p;
  p.W.view().fill(0);
  const { s, vt } = truncatedSvd(p, k, rng, p.W); // U lands in W's buffer; each column becomes W's in place
  const w = p.W.view();
  const h = p.H.view();
  h.fill(0);
  for (let t = 0; t < k; t++) {
    const y = vt.subarray(t * cols, (t + 1) * cols);
    // The leading pair is non-negative up to sign (Perron–Frobenius): take absolute values.
    // Later pairs keep whichever of their positive or negative parts carries more mass.
    let usePositive = true;
    let xNorm = 1, yNorm = 1, sigma = 1;
    if (t > 0) {
      const [xp, xn] = partNorms(w, t, kp, rows);
      const [yp, yn] = partNorms(y, 0, 1, cols);
      usePositive = xp * yp > xn * yn;
      [xNorm, yNorm, sigma] = usePositive ? [xp, yp, xp * yp] : [xn, yn, xn * yn];
    }
    const scale = Math.sqrt(s[t]! * sigma);
    const part = (v: number) => (t === 0 ? Math.abs(v) : usePositive ? Math.max(v, 0) : Math.max(-v, 0));
    // A part with zero norm contributes nothing (scikit-learn divides by zero here and gets NaN).
    const wScale = xNorm > 0 ? scale / xNorm : 0, hScale = yNorm > 0 ? scale / yNorm : 0;
    for (let r = 0; r < rows; r++) w[r * kp + t] = zeroBelow(part(w[r * kp + t]!) * wScale);
    for (let j = 0; j < cols; j++) h[t * cols + j] = zeroBelow(part(y[j]!) * hScale);
  }
  if (scheme === 'nndsvd') return;
  const avg = p.mean;
  const fill = scheme === 'nndsvda' ? () => avg : () => Math.abs((avg * rng.nextNormal()) / 100);
  for (let r = 0; r < rows; r++) for (let t = 0; t < k; t++) if (w[r * kp + t] === 0) w[r * kp + t] = fill();
  for (let t = 0; t < k; t++) for (let j = 0; j < cols; j++) if (h[t * cols + j] === 0) h[t * cols + j] = fill();
}

/** Euclidean norms of the positive and negative parts of a strided vector. */
function partNorms(v: ArrayLike<number>, offset: number, stride: number, n: number): [number, number] {
  let pos = 0, neg = 0;
  for (let i = 0; i < n; i++) {
    const x = v[offset + i * stride]!;
    if (x > 0) pos += x * x;
    else neg += x * x;
  }
  return [Math.sqrt(pos), Math.sqrt(neg)];
}

function zeroBelow(v: number): number {
  return v < NNDSVD_ZERO ? 0 : v;
}
