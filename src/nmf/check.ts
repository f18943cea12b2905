// Input checks, all in TypeScript before any WebAssembly call, so a bad value is reported with its
// position and never reaches the kernels.

import { NmfInputError } from '../errors.js';
import type { CsrMatrix, DenseMatrix, MatrixInput } from '../types.js';

/** A matrix that passed the checks: shapes consistent, every value finite and ≥ 0. */
export type CheckedMatrix =
  | { readonly format: 'dense'; readonly rows: number; readonly cols: number; readonly data: ArrayLike<number> }
  | {
      readonly format: 'csr';
      readonly rows: number;
      readonly cols: number;
      readonly indptr: ArrayLike<number>;
      readonly indices: ArrayLike<number>;
      readonly data: ArrayLike<number>;
    };

/** Validates a matrix argument; `what` names it in messages ("matrix", "init.W", ...). */
export function checkMatrix(input: MatrixInput, what: string): CheckedMatrix {
  if (input === null || typeof input !== 'object') {
    throw new NmfInputError('SHAPE_MISMATCH', `${what} must be a matrix ({rows, cols, data}, CSR, or an array of rows); got ${describe(input)}`, input);
  }
  if (Array.isArray(input)) return checkRows(input as readonly (readonly number[])[], what);
  const m = input as DenseMatrix | CsrMatrix;
  checkShape(m.rows, m.cols, what);
  if (m.format === 'csr') return checkCsr(m, what);
  if (m.format !== undefined && m.format !== 'dense') {
    throw new NmfInputError('SHAPE_MISMATCH', `${what}.format must be 'dense' or 'csr'; got ${describe(m.format)}`, m.format);
  }
  if (!m.data || typeof m.data.length !== 'number') {
    throw new NmfInputError('SHAPE_MISMATCH', `${what}.data must be an array of ${m.rows}×${m.cols} numbers; got ${describe(m.data)}`, m.data);
  }
  if (m.data.length !== m.rows * m.cols) {
    throw new NmfInputError(
      'SHAPE_MISMATCH',
      `${what}.data has ${m.data.length} values; a ${m.rows}×${m.cols} matrix needs ${m.rows * m.cols}`,
      m.data.length,
    );
  }
  checkValues(m.data, what, (i) => ({ row: Math.floor(i / m.cols), col: i % m.cols }));
  return { format: 'dense', rows: m.rows, cols: m.cols, data: m.data };
}

function checkRows(rows: readonly (readonly number[])[], what: string): CheckedMatrix {
  if (rows.length === 0) throw new NmfInputError('EMPTY', `${what} has no rows; NMF needs at least one user`, 0);
  const first = rows[0];
  const cols = Array.isArray(first) ? first.length : -1;
  if (cols <= 0) {
    throw new NmfInputError('EMPTY', `${what} row 0 has no columns; NMF needs at least one event`, first);
  }
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, r) => {
    if (!Array.isArray(row) || row.length !== cols) {
      throw new NmfInputError(
        'SHAPE_MISMATCH',
        `${what} row ${r} has ${Array.isArray(row) ? row.length : describe(row)} values; row 0 has ${cols} (rows must have equal length)`,
        Array.isArray(row) ? row.length : row,
        { row: r },
      );
    }
    for (let c = 0; c < cols; c++) data[r * cols + c] = checkValue(row[c], what, r, c);
  });
  return { format: 'dense', rows: rows.length, cols, data };
}

function checkCsr(m: CsrMatrix, what: string): CheckedMatrix {
  const { rows, cols, indptr, indices, data } = m;
  if (!indptr || indptr.length !== rows + 1) {
    throw new NmfInputError('BAD_CSR', `${what}.indptr must have rows + 1 = ${rows + 1} entries; got ${indptr ? indptr.length : describe(indptr)}`, indptr?.length);
  }
  const nnz = indptr[rows]!;
  if (indptr[0] !== 0) throw new NmfInputError('BAD_CSR', `${what}.indptr[0] must be 0; got ${indptr[0]}`, indptr[0]);
  if (!indices || !data || indices.length !== nnz || data.length !== nnz) {
    throw new NmfInputError(
      'BAD_CSR',
      `${what}.indices and .data must both have indptr[rows] = ${nnz} entries; got ${indices?.length} and ${data?.length}`,
      nnz,
    );
  }
  const seen = new Int32Array(cols).fill(-1); // last row that used each column: catches duplicates in O(nnz)
  for (let r = 0; r < rows; r++) {
    const start = indptr[r]!, end = indptr[r + 1]!;
    if (!(end >= start) || !Number.isInteger(end)) {
      throw new NmfInputError('BAD_CSR', `${what}.indptr must be non-decreasing integers; indptr[${r + 1}] = ${end} after ${start}`, end, { row: r });
    }
    for (let z = start; z < end; z++) {
      const c = indices[z]!;
      if (!Number.isInteger(c) || c < 0 || c >= cols) {
        throw new NmfInputError('BAD_CSR', `${what}.indices[${z}] = ${c} in row ${r} is not a column index in 0..${cols - 1}`, c, { row: r });
      }
      if (seen[c] === r) {
        throw new NmfInputError('BAD_CSR', `${what} row ${r} lists column ${c} twice; sum duplicate entries first`, c, { row: r, col: c });
      }
      seen[c] = r;
      checkValue(data[z], what, r, c);
    }
  }
  return { format: 'csr', rows, cols, indptr, indices, data };
}

function checkShape(rows: unknown, cols: unknown, what: string): void {
  for (const [name, v] of [['rows', rows], ['cols', cols]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new NmfInputError('SHAPE_MISMATCH', `${what}.${name} must be a non-negative integer; got ${describe(v)}`, v);
    }
  }
  if (rows === 0 || cols === 0) {
    throw new NmfInputError('EMPTY', `${what} is empty (${rows}×${cols}); NMF needs at least one user and one event`, `${rows}×${cols}`);
  }
}

function checkValues(data: ArrayLike<number>, what: string, where: (i: number) => { row: number; col: number }): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    // One comparison catches negatives, NaN and ±Infinity; the slow path says which.
    if (!(v >= 0 && v < Infinity)) {
      const { row, col } = where(i);
      checkValue(v, what, row, col);
    }
  }
}

function checkValue(v: unknown, what: string, row: number, col: number): number {
  if (typeof v !== 'number') {
    throw new NmfInputError('NOT_FINITE', `${what}[${row}][${col}] is ${describe(v)}; expected a finite number ≥ 0`, v, { row, col });
  }
  if (Number.isNaN(v) || !Number.isFinite(v)) {
    throw new NmfInputError('NOT_FINITE', `${what}[${row}][${col}] is ${v}; expected a finite number ≥ 0 (drop or impute missing counts first)`, v, { row, col });
  }
  if (v < 0) {
    throw new NmfInputError('NEGATIVE_VALUE', `${what}[${row}][${col}] is ${v}; NMF needs values ≥ 0 (event counts cannot be negative)`, v, { row, col });
  }
  return v;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'string') return JSON.stringify(v);
  return typeof v === 'object' ? 'an object' : String(v);
}
