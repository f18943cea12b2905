// Assigning users to a saved model's personas: their counts are mapped onto the model's event
// vocabulary (events the model does not know are ignored and counted), transformed with the model's
// fitted transform, and W is solved with the model's H fixed, exactly as the fit solved its own users.

import { transformNmf } from '../nmf/transform.js';
import { relativeResiduals } from './residuals.js';
import type { PersonaModel } from '../model/model.js';
import { transformCounts, type CountMatrix } from '../transform/transforms.js';
import type { Float32Matrix } from '../types.js';
import { assignPersonas } from './assign.js';

export interface ModelAssignment {
  /** Persona per user (−1: no event the model knows). */
  readonly persona: Int32Array;
  readonly confidence: Float32Array;
  /** users × k */
  readonly W: Float32Matrix;
  /** Users with no event the model knows. */
  readonly unassigned: number;
  /** Input events unknown to the model, with how many users did each. */
  readonly unknownEvents: ReadonlyMap<string, number>;
  /** Per user, ‖v − w·H‖ / ‖v‖ of the transformed row (with `residuals: true`). */
  readonly residual?: Float32Array;
  /** The transformed matrix on the model's events (with `residuals: true`), for refits on it. */
  readonly matrix?: CountMatrix;
}

/** Assigns the users of `counts` (columns named by `events`) to the model's personas. */
export async function assignWithModel(model: PersonaModel, counts: CountMatrix, events: readonly string[], options: { simd?: boolean; residuals?: boolean } = {}): Promise<ModelAssignment> {
  const vocabulary = new Map(model.events.map((e, j) => [e, j]));
  const column = Int32Array.from(events, (e) => vocabulary.get(e) ?? -1);
  const unknownEvents = new Map<string, number>();
  const mapped = remap(counts, column, model.events.length, (j) => unknownEvents.set(events[j]!, (unknownEvents.get(events[j]!) ?? 0) + 1));
  const matrix = transformCounts(model.transform, mapped);
  const H = { rows: model.k, cols: model.events.length, data: Float32Array.from(model.H.flat()) };
  const { W } = await transformNmf(matrix, H, { loss: model.fit.loss, alphaW: model.fit.alphaW, l1Ratio: model.fit.l1Ratio, simd: options.simd });
  const { persona, confidence } = await assignPersonas(W, H, { simd: options.simd });
  let unassigned = 0;
  for (const p of persona) if (p < 0) unassigned++;
  if (!options.residuals) return { persona, confidence, W, unassigned, unknownEvents };
  return { persona, confidence, W, unassigned, unknownEvents, residual: relativeResiduals(matrix, W, H), matrix };
}

/** The counts re-indexed onto the model's columns (same storage); unknown columns dropped. */
function remap(counts: CountMatrix, column: Int32Array, m: number, unknown: (j: number) => void): CountMatrix {
  if (counts.format === 'csr') {
    const indptr = new Int32Array(counts.rows + 1);
    const indices: number[] = [], data: number[] = [];
    for (let r = 0; r < counts.rows; r++) {
      const row: [number, number][] = [];
      for (let z = counts.indptr[r]!; z < counts.indptr[r + 1]!; z++) {
        const j = column[counts.indices[z]!]!;
        if (j >= 0) row.push([j, counts.data[z]!]);
        else unknown(counts.indices[z]!);
      }
      row.sort((a, b) => a[0] - b[0]);
      for (const [j, v] of row) { indices.push(j); data.push(v); }
      indptr[r + 1] = indices.length;
    }
    return { format: 'csr', rows: counts.rows, cols: m, indptr, indices: Int32Array.from(indices), data: Float32Array.from(data) };
  }
  const out = new Float32Array(counts.rows * m);
  const n = counts.cols;
  for (let r = 0; r < counts.rows; r++) {
    for (let c = 0; c < n; c++) {
      const v = counts.data[r * n + c]!;
      if (v === 0) continue;
      const j = column[c]!;
      if (j >= 0) out[r * m + j] = v;
      else unknown(c);
    }
  }
  return { format: 'dense', rows: counts.rows, cols: m, data: out };
}
