// The events that define each persona: H's rows sorted by weight.

import { createWorkspace } from '../wasm/loader.js';
import { NmfInputError } from '../errors.js';
import type { DenseMatrix } from '../types.js';

/**
 * For each component (row of H), the indices of its `count` heaviest events, heaviest first (ties:
 * lower index first). Result: k×count int32, row-major. count = H.cols sorts every event.
 */
export async function topEvents(H: DenseMatrix, count: number, options: { simd?: boolean } = {}): Promise<Int32Array> {
  if (!Number.isInteger(count) || count < 1 || count > H.cols) {
    throw new NmfInputError('BAD_OPTION', `count must be an integer in 1..${H.cols} (the number of events); got ${count}`, count);
  }
  const ws = await createWorkspace({ simd: options.simd, bytes: H.rows * (H.cols + count) * 4 });
  const h = ws.f32From(H.data);
  const idx = ws.allocI32(H.rows * count);
  ws.kernels.topKRows(h.ptr, idx.ptr, H.rows, H.cols, count);
  return idx.view().slice();
}
