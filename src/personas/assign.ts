// Persona of each user: the component that explains most of the user's activity.

import { createWorkspace } from '../wasm/loader.js';
import { NmfInputError } from '../errors.js';
import type { DenseMatrix } from '../types.js';

export interface PersonaAssignment {
  /** Persona index per user, −1 for a user whose W row is all zero (no activity to explain). */
  readonly persona: Int32Array;
  /** Share of the user's reconstructed activity that the persona explains, in [0, 1]. */
  readonly confidence: Float32Array;
}

/**
 * argmax over t of W[u, t]·Σ_j H[t, j]. NMF's scale is split arbitrarily between W and H (W·D and
 * D⁻¹·H fit equally well), so argmax of W alone depends on that split; weighting each component by
 * its row sum of H makes the score the component's share of the user's reconstructed event total.
 */
export async function assignPersonas(W: DenseMatrix, H: DenseMatrix, options: { simd?: boolean } = {}): Promise<PersonaAssignment> {
  if (W.cols !== H.rows) {
    throw new NmfInputError('SHAPE_MISMATCH', `W has ${W.cols} columns but H has ${H.rows} rows; both must be k`, W.cols);
  }
  const k = W.cols, rows = W.rows;
  const scale = componentTotals(H);
  const ws = await createWorkspace({ simd: options.simd, bytes: rows * (k + 2) * 4 + k * 4 });
  const w = ws.f32From(W.data);
  const s = ws.f32From(scale);
  const idx = ws.allocI32(rows);
  const share = ws.allocF32(rows);
  ws.kernels.argmaxRows(w.ptr, s.ptr, idx.ptr, share.ptr, rows, k, k);
  return { persona: idx.view().slice(), confidence: share.view().slice() };
}

/** Row sums of H: each component's total event weight. */
export function componentTotals(H: DenseMatrix): Float32Array {
  const totals = new Float32Array(H.rows);
  for (let t = 0; t < H.rows; t++) {
    let s = 0;
    for (let j = 0; j < H.cols; j++) s += H.data[t * H.cols + j]!;
    totals[t] = s;
  }
  return totals;
}
