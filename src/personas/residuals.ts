// How well the personas explain each user: the relative residual ‖v − w·H‖ / ‖v‖ of the user's
// (transformed) row. A user the model explains is near 0; a user doing things no persona does is near
// 1. The fit's users calibrate a threshold, so later periods can count users the model no longer fits.

import type { CountMatrix } from '../transform/transforms.js';
import type { DenseMatrix, Float32Matrix } from '../types.js';

/** The share of the fit's users below the threshold: 5 % of them count as poorly explained. */
export const RESIDUAL_QUANTILE = 0.95;

export interface ResidualCalibration {
  /** The quantile of the fit's users' relative residuals the threshold sits at. */
  readonly residualQuantile: number;
  /** Users above this relative residual are poorly explained by the model. */
  readonly residualThreshold: number;
}

/** Relative residual per row of `matrix` (already transformed) given its W and H; 0 for empty rows. */
export function relativeResiduals(matrix: CountMatrix, W: Float32Matrix, H: DenseMatrix & { readonly data: ArrayLike<number> }): Float32Array {
  const n = matrix.rows, m = matrix.cols;
  const out = new Float32Array(n);
  const row = new Float64Array(m);
  for (let u = 0; u < n; u++) {
    reconstructRow(W, H, u, row);
    let reconstructed = 0;
    for (let j = 0; j < m; j++) reconstructed += row[j]! * row[j]!;
    let norm = 0, cross = 0;
    if (matrix.format === 'csr') {
      for (let z = matrix.indptr[u]!; z < matrix.indptr[u + 1]!; z++) {
        const v = matrix.data[z]!;
        norm += v * v;
        cross += v * row[matrix.indices[z]!]!;
      }
    } else {
      for (let j = 0; j < m; j++) {
        const v = matrix.data[u * m + j]!;
        norm += v * v;
        cross += v * row[j]!;
      }
    }
    // ‖v − r‖² = ‖v‖² − 2 v·r + ‖r‖², clamped at 0 against rounding.
    out[u] = norm > 0 ? Math.sqrt(Math.max(0, norm - 2 * cross + reconstructed) / norm) : 0;
  }
  return out;
}

/**
 * The generalized KL divergence Σ v·log(v / r) − v + r of the rows against r = w·H, as scikit-learn sums
 * it (r floored at float32's epsilon where v > 0), for streamed fits whose rows are never all in memory.
 */
export function klDivergenceOf(matrix: CountMatrix, W: Float32Matrix, H: DenseMatrix & { readonly data: ArrayLike<number> }): number {
  const n = matrix.rows, m = matrix.cols;
  const row = new Float64Array(m);
  let sum = 0;
  for (let u = 0; u < n; u++) {
    reconstructRow(W, H, u, row);
    for (let j = 0; j < m; j++) sum += row[j]!;
    const term = (v: number, r: number) => { if (v > 0) sum += v * Math.log(v / Math.max(r, FLOAT32_EPSILON)) - v; };
    if (matrix.format === 'csr') for (let z = matrix.indptr[u]!; z < matrix.indptr[u + 1]!; z++) term(matrix.data[z]!, row[matrix.indices[z]!]!);
    else for (let j = 0; j < m; j++) term(matrix.data[u * m + j]!, row[j]!);
  }
  return sum;
}

const FLOAT32_EPSILON = 1.1920929e-7;

/** row ← user u's reconstructed row w_u·H, in float64. */
function reconstructRow(W: Float32Matrix, H: DenseMatrix & { readonly data: ArrayLike<number> }, u: number, row: Float64Array): void {
  const k = H.rows, m = row.length;
  row.fill(0);
  for (let t = 0; t < k; t++) {
    const w = W.data[u * k + t]!;
    if (w === 0) continue;
    for (let j = 0; j < m; j++) row[j]! += w * H.data[t * m + j]!;
  }
}

/** The threshold at RESIDUAL_QUANTILE of the fit's users (empty rows excluded). */
export function calibrateResiduals(residuals: Float32Array, quantile = RESIDUAL_QUANTILE): ResidualCalibration {
  const sorted = Float32Array.from(residuals).sort();
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil(quantile * sorted.length) - 1));
  return { residualQuantile: quantile, residualThreshold: sorted.length ? sorted[at]! : 1 };
}
