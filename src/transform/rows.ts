// Picking users (rows) out of a counts matrix in either storage: periods, shards and chunks.

import type { CountMatrix } from './transforms.js';

/** The given rows of a counts matrix, in order, in the same storage. */
export function selectRows(counts: CountMatrix, rows: readonly number[]): CountMatrix {
  const m = counts.cols;
  if (counts.format === 'csr') {
    const indptr = new Int32Array(rows.length + 1);
    rows.forEach((r, i) => { indptr[i + 1] = indptr[i]! + counts.indptr[r + 1]! - counts.indptr[r]!; });
    const indices = new Int32Array(indptr[rows.length]!), data = new Float32Array(indptr[rows.length]!);
    rows.forEach((r, i) => {
      indices.set(counts.indices.subarray(counts.indptr[r]!, counts.indptr[r + 1]!), indptr[i]!);
      data.set(counts.data.subarray(counts.indptr[r]!, counts.indptr[r + 1]!), indptr[i]!);
    });
    return { format: 'csr', rows: rows.length, cols: m, indptr, indices, data };
  }
  const data = new Float32Array(rows.length * m);
  rows.forEach((r, i) => data.set(counts.data.subarray(r * m, (r + 1) * m), i * m));
  return { format: 'dense', rows: rows.length, cols: m, data };
}

/** Rows [start, start + rows) of a count matrix, without copying the data. */
export function sliceRows(m: CountMatrix, start: number, rows: number): CountMatrix {
  if (m.format === 'csr') {
    const base = m.indptr[start]!;
    const indptr = Int32Array.from(m.indptr.subarray(start, start + rows + 1), (z) => z - base);
    const end = m.indptr[start + rows]!;
    return { format: 'csr', rows, cols: m.cols, indptr, indices: m.indices.subarray(base, end), data: m.data.subarray(base, end) };
  }
  return { format: 'dense', rows, cols: m.cols, data: m.data.subarray(start * m.cols, (start + rows) * m.cols) };
}
