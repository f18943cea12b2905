// Mini-batch NMF for data larger than memory, with scikit-learn's MiniBatchNMF semantics (Mairal et
// al. 2010; Lefèvre, Bach & Févotte 2011): the rows arrive in batches (from a stream, in epochs); W
// is solved for each batch with H fixed and not kept (scikit-learn's fresh restarts, which is what
// makes memory independent of the number of users); H follows the multiplicative update with running
// numerator and denominator statistics A and B, past batches discounted by ρ = forget_factor^(batch
// / users). Stopping as scikit-learn: H's relative change ≤ tol, or no improvement of the
// exponentially weighted batch cost in `maxNoImprovement` steps. Our W solve is transform's (exact
// coordinate descent for Frobenius, multiplicative updates for KL), not scikit-learn's 30 MU steps.

import { transformNmf } from './transform.js';
import { NmfInputError } from '../errors.js';
import type { NmfLoss } from './options.js';
import type { DenseMatrix, CsrMatrix } from '../types.js';
import type { RowPool } from '../wasm/row-pool.js';

export interface MiniBatchOptions {
  readonly k: number;
  readonly loss?: NmfLoss;
  /** All the users the batches cover (ρ and the cost average depend on it). */
  readonly users: number;
  /** Users per batch. Default 1024 (scikit-learn's). */
  readonly batchSize?: number;
  /** Discount of past batches per epoch. Default 0.7. */
  readonly forgetFactor?: number;
  /** Stop when ‖ΔH‖ / ‖H‖ ≤ tol after a batch. Default 1e-4. */
  readonly tol?: number;
  /** Stop after this many batches without a better weighted cost. Default 10. */
  readonly maxNoImprovement?: number;
  readonly alphaW?: number;
  readonly alphaH?: number;
  readonly l1Ratio?: number;
  readonly simd?: boolean;
  readonly pool?: RowPool;
}

/** The online state: H and its running statistics; feed batches with step(). */
export class MiniBatchNmf {
  readonly k: number;
  readonly m: number;
  readonly loss: NmfLoss;
  readonly batchSize: number;
  /** k × events. */
  readonly H: Float32Array;
  steps = 0;
  converged = false;
  /** The exponentially weighted average of the batch cost (scikit-learn's `_ewa_cost`). */
  ewaCost: number | undefined;
  private readonly A: Float64Array;
  private readonly B: Float64Array;
  private readonly rho: number;
  private ewaMin: number | undefined;
  private noImprovement = 0;

  constructor(H0: Float32Array, m: number, readonly o: MiniBatchOptions) {
    const k = o.k;
    if (H0.length !== k * m) throw new NmfInputError('SHAPE_MISMATCH', `the starting H has ${H0.length} values; expected ${k} × ${m}`, H0.length);
    if (!(o.users >= 1)) throw new NmfInputError('BAD_OPTION', `users must be ≥ 1; got ${o.users}`, o.users);
    this.k = k;
    this.m = m;
    this.loss = o.loss ?? 'frobenius';
    this.batchSize = Math.min(o.batchSize ?? 1024, o.users);
    this.H = Float32Array.from(H0);
    this.A = Float64Array.from(H0); // scikit-learn: numerator starts as H, denominator as ones
    this.B = new Float64Array(k * m).fill(1);
    this.rho = (o.forgetFactor ?? 0.7) ** (this.batchSize / o.users);
  }

  /** One mini-batch step on a batch of (transformed) rows; returns its cost per user. */
  async step(batch: DenseMatrix | CsrMatrix): Promise<number> {
    const { k, m } = this;
    const n = batch.rows;
    const alphaW = this.o.alphaW ?? 0, alphaH = this.o.alphaH ?? alphaW, l1Ratio = this.o.l1Ratio ?? 0;
    // Regularization scaled to the batch, as scikit-learn does per mini-batch.
    const l1H = n * alphaH * l1Ratio, l2H = n * alphaH * (1 - l1Ratio);
    const fit = await transformNmf(batch, { rows: k, cols: m, data: this.H }, { loss: this.loss, alphaW, l1Ratio, simd: this.o.simd, pool: this.o.pool });
    const W = fit.W.data;
    const divergence = (fit.reconstructionError * fit.reconstructionError) / 2; // √(2·β-divergence) → β-divergence
    let wSum = 0, wSq = 0, hSum = 0, hSq = 0;
    for (const w of W) { wSum += w; wSq += w * w; }
    for (const h of this.H) { hSum += h; hSq += h * h; }
    const l1W = m * alphaW * l1Ratio, l2W = m * alphaW * (1 - l1Ratio);
    const cost = (divergence + l1W * wSum + l1H * hSum + l2W * wSq + l2H * hSq) / n;

    const previous = Float32Array.from(this.H);
    const numerator = this.loss === 'frobenius' ? wtx(batch, W, k, m) : wtRatio(batch, W, this.H, k, m);
    const denominator = new Float64Array(k * m);
    if (this.loss === 'frobenius') {
      const wtw = new Float64Array(k * k);
      for (let u = 0; u < n; u++) for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) wtw[a * k + b]! += W[u * k + a]! * W[u * k + b]! ;
      for (let a = 0; a < k; a++) for (let j = 0; j < m; j++) {
        let s = 0;
        for (let b = 0; b < k; b++) s += wtw[a * k + b]! * this.H[b * m + j]!;
        denominator[a * m + j] = s;
      }
    } else {
      const colSums = new Float64Array(k);
      for (let u = 0; u < n; u++) for (let a = 0; a < k; a++) colSums[a]! += W[u * k + a]!;
      for (let a = 0; a < k; a++) denominator.fill(colSums[a]! === 0 ? 1 : colSums[a]!, a * m, (a + 1) * m);
    }
    for (let i = 0; i < k * m; i++) {
      const den = denominator[i]! + l1H + l2H * this.H[i]!;
      this.A[i] = this.rho * this.A[i]! + numerator[i]! * this.H[i]!;
      this.B[i] = this.rho * this.B[i]! + (den > 0 ? den : EPSILON);
      let h = this.A[i]! / this.B[i]!;
      if (this.loss === 'kl' && h < DOUBLE_EPS) h = 0; // scikit-learn, for stability with β ≤ 1
      this.H[i] = h;
    }
    this.steps++;
    this.converged = this.checkConvergence(cost, n, previous);
    return cost;
  }

  /** scikit-learn's _minibatch_convergence (the first step only starts the average). */
  private checkConvergence(cost: number, n: number, previous: Float32Array): boolean {
    if (this.steps === 1) return false;
    const alpha = Math.min(1, n / (this.o.users + 1));
    this.ewaCost = this.ewaCost === undefined ? cost : this.ewaCost * (1 - alpha) + cost * alpha;
    let diff = 0, norm = 0;
    for (let i = 0; i < this.H.length; i++) {
      diff += (this.H[i]! - previous[i]!) ** 2;
      norm += this.H[i]! ** 2;
    }
    const tol = this.o.tol ?? 1e-4;
    if (tol > 0 && norm > 0 && Math.sqrt(diff / norm) <= tol) return true;
    if (this.ewaMin === undefined || this.ewaCost < this.ewaMin) {
      this.noImprovement = 0;
      this.ewaMin = this.ewaCost;
    } else {
      this.noImprovement++;
    }
    return this.noImprovement >= (this.o.maxNoImprovement ?? 10);
  }
}

const EPSILON = 1.1920928955078125e-7; // float32 eps, scikit-learn's EPSILON
const DOUBLE_EPS = 2.220446049250313e-16;

/** WᵀX (k × m). */
function wtx(x: DenseMatrix | CsrMatrix, W: Float32Array, k: number, m: number): Float64Array {
  const out = new Float64Array(k * m);
  forEachEntry(x, m, (u, j, v) => { for (let a = 0; a < k; a++) out[a * m + j]! += W[u * k + a]! * v; });
  return out;
}

/** Wᵀ(X / WH) (k × m), over X's non-zeros (zero entries contribute nothing). */
function wtRatio(x: DenseMatrix | CsrMatrix, W: Float32Array, H: Float32Array, k: number, m: number): Float64Array {
  const out = new Float64Array(k * m);
  forEachEntry(x, m, (u, j, v) => {
    let wh = 0;
    for (let a = 0; a < k; a++) wh += W[u * k + a]! * H[a * m + j]!;
    const r = v / (wh > 0 ? wh : EPSILON);
    for (let a = 0; a < k; a++) out[a * m + j]! += W[u * k + a]! * r;
  });
  return out;
}

function forEachEntry(x: DenseMatrix | CsrMatrix, m: number, fn: (u: number, j: number, v: number) => void): void {
  if (x.format === 'csr') {
    for (let u = 0; u < x.rows; u++) for (let z = x.indptr[u]!; z < x.indptr[u + 1]!; z++) fn(u, x.indices[z]!, x.data[z]!);
  } else {
    for (let u = 0; u < x.rows; u++) for (let j = 0; j < m; j++) {
      const v = x.data[u * m + j]!;
      if (v !== 0) fn(u, j, v);
    }
  }
}
