// transformNmf: W for new rows with H fixed (scikit-learn's NMF.transform), solved to convergence.

import { NmfInputError } from '../errors.js';
import type { Float32Matrix, MatrixInput } from '../types.js';
import { checkMatrix } from './check.js';
import { denseValues, REFINE_W } from './fit.js';
import { nonNegative, oneOf, positiveInteger, regularization, type NmfLoss } from './options.js';
import { NmfProblem } from './problem.js';
import { reconstructionError, relativeError, squaredFrobenius } from './loss.js';
import { solveW } from './solve-w.js';

export interface TransformOptions {
  /** The loss the model was fitted with. Default 'frobenius'. */
  loss?: NmfLoss;
  /** W's regularization as in the fit (scaled by the number of events). Default 0. */
  alphaW?: number;
  /** Share of L1 in it. Default 0. */
  l1Ratio?: number;
  /** Maximum sweeps (Frobenius) or iterations (KL). Default 500. */
  maxIter?: number;
  /** Stopping tolerance (see solveW). Default 1e-6: tight, so personas match the fit's. */
  tol?: number;
  /** Use the SIMD kernels. Default: when supported. */
  simd?: boolean;
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
 * Solves W ≥ 0 minimizing the loss of V ≈ W·H with H fixed. Unlike scikit-learn, the solve runs to a
 * tight tolerance from a fixed start, so transforming the rows a model was fitted on gives the fit's
 * personas back (scikit-learn issue #18663). Rows with no activity get W = 0.
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
  const maxIter = positiveInteger(options.maxIter ?? REFINE_W.maxIter, 'maxIter');
  const tol = nonNegative(options.tol ?? REFINE_W.tol, 'tol');
  const k = h.rows;

  const p = await NmfProblem.create(v, k, { simd: options.simd });
  p.setH(h.data);
  // Coordinate descent starts from zero (as scikit-learn's cd); multiplicative updates cannot leave
  // zero, so KL starts from scikit-learn's constant √(mean/k).
  const start = loss === 'kl' ? Math.sqrt(p.mean / k) : 0;
  p.W.view().fill(0);
  if (start > 0) p.setW(new Float32Array(v.rows * k).fill(start));
  const { iterations, converged } = solveW(p, loss, reg, { maxIter, tol });

  const squared = squaredFrobenius(p);
  return {
    W: { rows: v.rows, cols: k, data: p.getW() },
    iterations,
    converged,
    reconstructionError: loss === 'frobenius' ? Math.sqrt(squared) : reconstructionError(p, loss),
    relativeError: relativeError(p, squared),
  };
}
