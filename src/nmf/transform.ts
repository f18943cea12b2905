// transformNmf: W for new rows with H fixed (scikit-learn's NMF.transform), solved to convergence.

import type { RowPool } from '../wasm/row-pool.js';
import { NmfInputError } from '../errors.js';
import type { Float32Matrix, MatrixInput } from '../types.js';
import { checkMatrix } from './check.js';
import { denseValues } from './fit.js';
import { nonNegative, oneOf, positiveInteger, regularization, type NmfLoss } from './options.js';
import { NmfProblem } from './problem.js';
import { reconstructionError, relativeError, squaredFrobenius } from './loss.js';
import { solveW, solveWDefaults } from './solve-w.js';

export interface TransformOptions {
  /** The loss the model was fitted with. Default 'frobenius'. */
  loss?: NmfLoss;
  /** W's regularization as in the fit (scaled by the number of events). Default 0. */
  alphaW?: number;
  /** Share of L1 in it. Default 0. */
  l1Ratio?: number;
  /** Frobenius: most coordinate-descent sweeps per row (default 500). KL: the number of iterations (default 100). */
  maxIter?: number;
  /** Frobenius: a row stops when its violation ≤ tol × its first sweep's. Default 1e-6. */
  tol?: number;
  /** Use the SIMD kernels. Default: when supported. */
  simd?: boolean;
  /** Worker threads for the row passes (results do not depend on their number). */
  pool?: RowPool;
}

export interface TransformResult {
  /** rows × k */
  readonly W: Float32Matrix;
  readonly iterations: number;
  readonly converged: boolean;
  readonly reconstructionError: number;
  readonly relativeError: number;
}

/**
 * Solves W ≥ 0 minimizing the loss of V ≈ W·H with H fixed, to a tight tolerance from a fixed start.
 * fitNmf ends with the same solve, so transforming the rows a model was fitted on (with the same loss
 * and alphaW, l1Ratio) gives exactly the fit's W (scikit-learn issue #18663). Inactive rows get W = 0.
 */
export async function transformNmf(matrix: MatrixInput, H: MatrixInput, options: TransformOptions = {}): Promise<TransformResult> {
  const v = checkMatrix(matrix, 'matrix');
  const h = denseValues(checkMatrix(H, 'H'));
  if (h.cols !== v.cols) {
    throw new NmfInputError('SHAPE_MISMATCH', `H has ${h.cols} columns (events) but the matrix has ${v.cols}; they must match`, h.cols);
  }
  const loss = oneOf(options.loss ?? 'frobenius', 'loss', ['frobenius', 'kl'] as const);
  const reg = regularization(
    { alphaW: nonNegative(options.alphaW ?? 0, 'alphaW'), alphaH: 0, l1Ratio: nonNegative(options.l1Ratio ?? 0, 'l1Ratio') },
    v.rows,
    v.cols,
  );
  const defaults = solveWDefaults(loss);
  const maxIter = positiveInteger(options.maxIter ?? defaults.maxIter, 'maxIter');
  const tol = nonNegative(options.tol ?? defaults.tol, 'tol');
  const k = h.rows;

  const p = await NmfProblem.create(v, k, { simd: options.simd, pool: options.pool });
  p.setH(h.data);
  const { iterations, converged } = await solveW(p, loss, reg, { maxIter, tol });

  const squared = await squaredFrobenius(p);
  return {
    W: { rows: v.rows, cols: k, data: p.getW() },
    iterations,
    converged,
    reconstructionError: loss === 'frobenius' ? Math.sqrt(squared) : await reconstructionError(p, loss),
    relativeError: relativeError(p, squared),
  };
}
