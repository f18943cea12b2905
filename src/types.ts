// Matrix shapes accepted and returned by the library.

/** A dense row-major matrix: entry (r, c) is data[r·cols + c]. */
export interface DenseMatrix {
  readonly format?: 'dense';
  readonly rows: number;
  readonly cols: number;
  readonly data: ArrayLike<number>;
}

/**
 * A compressed-sparse-row matrix (scipy's CSR): the non-zeros of row r are
 * data[indptr[r] .. indptr[r+1]) at columns indices[...]. Wide, sparse event matrices stay sparse.
 */
export interface CsrMatrix {
  readonly format: 'csr';
  readonly rows: number;
  readonly cols: number;
  readonly indptr: ArrayLike<number>;
  readonly indices: ArrayLike<number>;
  readonly data: ArrayLike<number>;
}

/** What the NMF functions take: a dense or CSR matrix, or an array of equal-length rows. */
export type MatrixInput = DenseMatrix | CsrMatrix | readonly (readonly number[])[];

/** A dense float32 matrix produced by the library (W, H). */
export interface Float32Matrix extends DenseMatrix {
  readonly data: Float32Array;
}
