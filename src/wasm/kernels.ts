// Typed mirror of assembly/index.ts: the kernel ABI. Pointers are byte offsets into the workspace's
// memory (16-byte aligned); every matrix is row-major float32 unless said otherwise. `kp` is the
// number of components rounded up to a multiple of 4; the padding lanes of W, H, Hᵀ hold zeros.
// Kernels accumulate into outputs marked "+=" (the caller clears them) and overwrite the others.

export interface KernelExports {
  /** First free byte after the module's static data. */
  heapBase(): number;
  /** Rows per block of the blocked kernels (scratch buffers are sized with it). */
  blockRows(): number;

  /** C (p×q) += Aᵀ·B; A: rows×p, B: rows×q. */
  gemmTN(aPtr: number, bPtr: number, cPtr: number, rows: number, p: number, q: number): void;
  /** C (rows×cols) = A·B; A: rows×inner, B: inner×cols. */
  gemmNN(aPtr: number, bPtr: number, cPtr: number, rows: number, inner: number, cols: number): void;
  /** C (rows×cols) = X·B for CSR X (indptr rows+1 int32; indices int32, data float32); B: inner×cols. */
  csrGemmNN(indptrPtr: number, indicesPtr: number, dataPtr: number, bPtr: number, cPtr: number,
            rows: number, cols: number): void;
  /** C (inner×cols) += Xᵀ·A for CSR X; A: rows×cols. */
  csrGemmTN(indptrPtr: number, indicesPtr: number, dataPtr: number, aPtr: number, cPtr: number,
            rows: number, cols: number): void;

  /** A ∘= num / (den + l1 + l2·A) over n values (EPSILON where that is 0); then A < floor → 0. */
  muApply(aPtr: number, numPtr: number, denPtr: number, n: number, l1: number, l2: number, floor: number): void;
  /** R = X / WH over n values, WH = EPSILON where 0; R may alias WH. */
  klRatio(xPtr: number, whPtr: number, rPtr: number, n: number): void;
  /** One coordinate-descent sweep per row of W (rows×kp) given HHᵀ (kp×kp), XHᵀ (rows×kp), perm (k int32); tmp 8·kp floats. Returns Σ|projected gradient|. */
  cdUpdate(wPtr: number, hhtPtr: number, xhtPtr: number, permPtr: number, rows: number, k: number, kp: number,
           l1: number, l2: number, tmpPtr: number): number;

  /** Solves each row of W with H fixed: CD sweeps until the row's own violation ≤ tol × its first (or maxSweeps); rows are independent of their batch. tmp 8·kp floats. Returns the most sweeps any row took. */
  cdSolve(wPtr: number, hhtPtr: number, xhtPtr: number, permPtr: number, rows: number, k: number, kp: number,
          l1: number, l2: number, maxSweeps: number, tol: number, tmpPtr: number): number;

  /** Frobenius MU W step on dense X (rows×m); wtx (kp×m) += WᵀX, wtw (kp×kp) += WᵀW with the new W (0 skips). scratch 2·blockRows·kp. */
  muFrobeniusPass(xPtr: number, wPtr: number, htPtr: number, hhtPtr: number, wtxPtr: number, wtwPtr: number,
                  scratchPtr: number, rows: number, m: number, kp: number, l1: number, l2: number): void;
  /** HALS W step on dense X; wtx += WᵀX, wtw += WᵀW (0 skips). scratch (blockRows+8)·kp. Returns Σ|projected gradient|. */
  halsPass(xPtr: number, wPtr: number, htPtr: number, hhtPtr: number, permPtr: number, k: number,
           wtxPtr: number, wtwPtr: number, scratchPtr: number, rows: number, m: number, kp: number,
           l1: number, l2: number): number;
  /** KL MU W step on dense X; wtr (kp×m) += Wᵀ(X/WH), wsum (kp) += column sums of W (0 skips). scratch blockRows·(m+kp). */
  muKlPass(xPtr: number, wPtr: number, hPtr: number, htPtr: number, hsumPtr: number, wtrPtr: number,
           wsumPtr: number, scratchPtr: number, rows: number, m: number, kp: number, l1: number, l2: number): void;
  /** Frobenius MU W step on CSR X; xtw (m×kp) += XᵀW (0 skips). scratch 2·blockRows·kp. */
  muFrobeniusPassCsr(indptrPtr: number, indicesPtr: number, dataPtr: number, wPtr: number, htPtr: number,
                     hhtPtr: number, xtwPtr: number, scratchPtr: number, rows: number, kp: number,
                     l1: number, l2: number): void;
  /** HALS W step on CSR X; xtw (m×kp) += XᵀW (0 skips). scratch (blockRows+8)·kp. Returns Σ|projected gradient|. */
  halsPassCsr(indptrPtr: number, indicesPtr: number, dataPtr: number, wPtr: number, htPtr: number,
              hhtPtr: number, permPtr: number, k: number, xtwPtr: number, scratchPtr: number, rows: number,
              kp: number, l1: number, l2: number): number;
  /** KL MU W step on CSR X; rtw (m×kp) += (X/WH)ᵀW, wsum += column sums of W (0 skips). scratch kp. */
  muKlPassCsr(indptrPtr: number, indicesPtr: number, dataPtr: number, wPtr: number, htPtr: number,
              hsumPtr: number, rtwPtr: number, wsumPtr: number, scratchPtr: number, rows: number, kp: number,
              l1: number, l2: number): void;

  /** Masked Frobenius MU W step (cross-validation): W ∘= ((M∘X)Hᵀ)/((M∘WH)Hᵀ + floor); wtx += Wᵀ(M∘X), wtm += Wᵀ(M∘WH) (0 skips both). scratch blockRows·(2m+2kp). */
  maskedMuPass(xPtr: number, maskPtr: number, wPtr: number, hPtr: number, htPtr: number, wtxPtr: number,
               wtmPtr: number, scratchPtr: number, rows: number, m: number, kp: number, floor: number): void;
  /** Σ(1−M)∘(X−min(WH, ceiling))² → out[0], ΣM∘(…)² → out[1] (float64). scratch blockRows·m. */
  maskedLoss(xPtr: number, maskPtr: number, wPtr: number, hPtr: number, scratchPtr: number, outPtr: number,
             rows: number, m: number, kp: number, ceiling: number): void;
  /** C = A ∘ B over n values. */
  multiplyInto(aPtr: number, bPtr: number, cPtr: number, n: number): void;

  /** Σ (X − WH)² for dense X; per-row values into rowOut (float32) unless 0. scratch blockRows·m. */
  lossFrobenius(xPtr: number, wPtr: number, hPtr: number, scratchPtr: number, rowOutPtr: number,
                rows: number, m: number, kp: number): number;
  /** Generalized KL D(X‖WH) for dense X (scikit-learn's conventions); hsum: kp row sums of H. */
  lossKl(xPtr: number, wPtr: number, hPtr: number, hsumPtr: number, scratchPtr: number, rowOutPtr: number,
         rows: number, m: number, kp: number): number;
  /** Σ (X − WH)² for CSR X, from ‖x‖² − 2x·wH + wHHᵀwᵀ in float64; ht m×kp, hht kp×kp. */
  lossFrobeniusCsr(indptrPtr: number, indicesPtr: number, dataPtr: number, wPtr: number, htPtr: number,
                   hhtPtr: number, rowOutPtr: number, rows: number, kp: number): number;
  /** Generalized KL for CSR X, WH only at the non-zeros. */
  lossKlCsr(indptrPtr: number, indicesPtr: number, dataPtr: number, wPtr: number, htPtr: number,
            hsumPtr: number, rowOutPtr: number, rows: number, kp: number): number;

  /** Σ a over n float32 values, in float64. */
  sum(aPtr: number, n: number): number;
  /** Σ a² over n float32 values, in float64. */
  sumSquares(aPtr: number, n: number): number;
  /** B (cols×rows) = Aᵀ for A rows×cols. */
  transpose(aPtr: number, bPtr: number, rows: number, cols: number): void;

  /** Per row of A (rows×stride, first cols used): argmax of A[r,c]·scale[c] → idx (int32, −1 if all 0), its share of the row sum → share (0 skips). */
  argmaxRows(aPtr: number, scalePtr: number, idxPtr: number, sharePtr: number, rows: number, cols: number,
             stride: number): void;
  /** Per row of A (rows×cols): indices of the k largest values, descending, ties by lower index → idx (rows×k int32). */
  topKRows(aPtr: number, idxPtr: number, rows: number, cols: number, k: number): void;
}

/** Every export name, in ABI order: both binaries must export exactly these. */
export const KERNEL_NAMES = [
  'heapBase', 'blockRows',
  'gemmTN', 'gemmNN', 'csrGemmNN', 'csrGemmTN',
  'muApply', 'klRatio', 'cdUpdate', 'cdSolve', 'multiplyInto',
  'muFrobeniusPass', 'halsPass', 'muKlPass', 'muFrobeniusPassCsr', 'halsPassCsr', 'muKlPassCsr', 'maskedMuPass', 'maskedLoss',
  'lossFrobenius', 'lossKl', 'lossFrobeniusCsr', 'lossKlCsr',
  'sum', 'sumSquares', 'transpose',
  'argmaxRows', 'topKRows',
] as const satisfies readonly (keyof KernelExports)[];
