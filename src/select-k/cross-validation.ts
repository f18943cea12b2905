// Speckled hold-out cross-validation of an NMF rank (Williams 2018; Owen & Perry 2009's
// bi-cross-validation is the classic reference): hide a random share of the matrix's entries, fit
// W·H to the others only (masked multiplicative updates), and measure the error on the hidden ones.
// Too few components underfit the hidden entries; too many fit noise, and the hidden error rises.

import { Random } from '../random.js';
import { NmfProblem } from '../nmf/problem.js';
import { initializeFactors } from '../nmf/init.js';
import type { CheckedMatrix } from '../nmf/check.js';

export interface CrossValidationOptions {
  /** Share of entries held out per replicate, 0.1–0.3. Default 0.2. */
  holdout?: number;
  /** Iterations of the masked fit. Default 300. */
  maxIter?: number;
  /** Stop when the fitted error's relative decrease over 10 iterations falls below tol. Default 1e-4. */
  tol?: number;
  seed?: number;
  simd?: boolean;
}

export interface CrossValidationResult {
  /** Mean squared error on the held-out entries. */
  readonly heldOutMse: number;
  /** Mean squared error on the entries used for fitting. */
  readonly fittedMse: number;
  readonly iterations: number;
}

/** One replicate: a fresh random mask (from seed), a masked fit of rank k, the held-out error. */
export async function crossValidate(matrix: { rows: number; cols: number; data: Float32Array }, k: number, o: CrossValidationOptions = {}): Promise<CrossValidationResult> {
  const holdout = o.holdout ?? 0.2, maxIter = o.maxIter ?? 300, tol = o.tol ?? 1e-4;
  const rng = new Random(o.seed ?? 0);
  const n = matrix.rows * matrix.cols;
  const mask = new Float32Array(n);
  const train = new Float32Array(n);
  let heldOutCount = 0, ceiling = 0;
  for (let i = 0; i < n; i++) {
    ceiling = Math.max(ceiling, matrix.data[i]!);
    if (rng.nextFloat() < holdout) { heldOutCount++; continue; }
    mask[i] = 1;
    train[i] = matrix.data[i]!;
  }
  // The start is computed from the fitted entries only: the held-out values are zeros to it.
  const checked: CheckedMatrix = { format: 'dense', rows: matrix.rows, cols: matrix.cols, data: train };
  const p = await NmfProblem.create(checked, k, { simd: o.simd });
  initializeFactors(p, 'nndsvda', rng);
  const K = p.ws.kernels;
  const full = p.ws.f32From(matrix.data), m = p.ws.f32From(mask);
  const scratch = p.ws.allocF32(p.ws.blockRows * (2 * p.cols + 2 * p.kp));
  const wtm = p.ws.allocF32(p.kp * p.cols);
  const out = p.ws.allocF32(4); // two float64
  const loss = () => {
    K.maskedLoss(full.ptr, m.ptr, p.W.ptr, p.H.ptr, scratch.ptr, out.ptr, p.rows, p.cols, p.kp, ceiling);
    const f64 = new Float64Array(p.ws.memory.buffer, out.ptr, 2);
    return { heldOut: f64[0]!, fitted: f64[1]! };
  };
  // Denominators floored at a millionth of the data's mean: masking can leave a factor's denominator
  // near zero (a component that never sees a column), and plain MU then multiplies it without bound.
  const floor = 1e-6 * (p.sum / Math.max(1, n - heldOutCount));
  let previous = loss().fitted, iterations = 0;
  const initial = previous;
  for (let it = 1; it <= maxIter; it++) {
    iterations = it;
    p.acc.view().fill(0);
    wtm.view().fill(0);
    p.forEachChunk((start, count) => K.maskedMuPass(p.x!.at(start * p.cols), m.at(start * p.cols), p.W.at(start * p.kp), p.H.ptr, p.Ht.ptr, p.acc.ptr, wtm.ptr, scratch.ptr, count, p.cols, p.kp, floor));
    K.muApply(p.H.ptr, p.acc.ptr, wtm.ptr, p.kp * p.cols, floor, 0, 0);
    p.syncHtFromH();
    if (it % 10 === 0) {
      const current = loss().fitted;
      if (initial === 0 || (previous - current) / initial < tol) break;
      previous = current;
    }
  }
  const { heldOut, fitted } = loss();
  return { heldOutMse: heldOutCount ? heldOut / heldOutCount : 0, fittedMse: n - heldOutCount ? fitted / (n - heldOutCount) : 0, iterations };
}
