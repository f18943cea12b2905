// An NMF problem laid out in one workspace: the data matrix V (dense or CSR) and the factors,
// W (rows×kp), H (kp×cols) and its transpose Hᵀ (cols×kp), with k padded to kp, a multiple of 4,
// so each factor row is whole SIMD vectors. Padding lanes stay zero through every update.
// Also the small work buffers an iteration needs, all allocated once, up front.

import { createWorkspace } from '../wasm/loader.js';
import type { F32Buffer, I32Buffer, Workspace } from '../wasm/workspace.js';
import { runCalls, type KernelCall, type RowPool } from '../wasm/row-pool.js';
import type { CheckedMatrix } from './check.js';

/** What a chunk's kernel calls may use: its rows, and buffers no other concurrent chunk touches. */
export interface ChunkContext {
  readonly index: number;
  readonly start: number;
  readonly count: number;
  /** The scratch buffer of the thread that runs the chunk. */
  readonly scratch: number;
  /** CHUNK_ROWS × kp floats of the thread that runs the chunk. */
  readonly chunkBuffer: number;
  /** The chunk's own accumulators (0 when the pass accumulates nothing). */
  readonly acc: number;
  readonly wtw: number;
  readonly wsum: number;
}

/** Rows per kernel call: bounds each call's length (the engine optimizes a function between calls) and
 * is a multiple of every block size, so chunking never changes results. */
export const CHUNK_ROWS = 16384;

export class NmfProblem {
  readonly rows: number;
  readonly cols: number;
  readonly kp: number;
  readonly format: 'dense' | 'csr';
  /** Dense V (rows×cols); unset for CSR. */
  readonly x: F32Buffer | undefined;
  /** CSR V; unset for dense. */
  readonly csr: { indptr: I32Buffer; indices: I32Buffer; data: F32Buffer } | undefined;
  readonly W: F32Buffer;
  readonly H: F32Buffer;
  readonly Ht: F32Buffer;
  /** kp×kp: HHᵀ (Gram of H) or WᵀW. */
  readonly hht: F32Buffer;
  readonly wtw: F32Buffer;
  /** kp×cols (dense: WᵀV) or cols×kp (CSR: VᵀW): the H step's numerator. */
  readonly acc: F32Buffer;
  /** Same size as acc: the H step's denominator, or a transpose of acc. */
  readonly den: F32Buffer;
  readonly hsum: F32Buffer;
  readonly wsum: F32Buffer;
  /** The order in which coordinate descent visits the components (identity, as scikit-learn's default). */
  readonly perm: I32Buffer;
  readonly scratch: F32Buffer;
  /** CHUNK_ROWS × kp: one chunk's V·Hᵀ when solving W with H fixed. */
  readonly chunkBuffer: F32Buffer;
  /** Threads the chunks run on (1 without a pool). */
  readonly threads: number;
  /** Per-thread scratch and chunk buffers (thread 0's are `scratch` and `chunkBuffer`). */
  private readonly threadScratch: F32Buffer[];
  private readonly threadChunkBuffer: F32Buffer[];
  /** Accumulators of chunks 1…n−1 (chunk 0 accumulates into acc, wtw, wsum themselves). */
  private readonly partialAcc: F32Buffer | undefined;
  private readonly partialWtw: F32Buffer | undefined;
  private readonly partialWsum: F32Buffer | undefined;
  /** Σ v² and Σ v over V, in float64. */
  readonly sumSquares: number;
  readonly sum: number;

  private constructor(readonly ws: Workspace, matrix: CheckedMatrix, readonly k: number, readonly pool: RowPool | undefined) {
    this.rows = matrix.rows;
    this.cols = matrix.cols;
    this.kp = paddedK(k);
    this.format = matrix.format;
    const { rows, cols, kp } = this;
    if (matrix.format === 'dense') {
      this.x = ws.f32From(matrix.data);
      this.csr = undefined;
      this.sumSquares = ws.kernels.sumSquares(this.x.ptr, rows * cols);
      this.sum = ws.kernels.sum(this.x.ptr, rows * cols);
    } else {
      const nnz = matrix.data.length;
      const indptr = ws.allocI32(rows + 1);
      indptr.view().set(matrix.indptr);
      const indices = ws.allocI32(nnz);
      indices.view().set(matrix.indices);
      const data = ws.f32From(matrix.data);
      this.csr = { indptr, indices, data };
      this.x = undefined;
      this.sumSquares = ws.kernels.sumSquares(data.ptr, nnz);
      this.sum = ws.kernels.sum(data.ptr, nnz);
    }
    this.W = ws.allocF32(rows * kp);
    this.H = ws.allocF32(kp * cols);
    this.Ht = ws.allocF32(cols * kp);
    this.hht = ws.allocF32(kp * kp);
    this.wtw = ws.allocF32(kp * kp);
    this.acc = ws.allocF32(kp * cols);
    this.den = ws.allocF32(kp * cols);
    this.hsum = ws.allocF32(kp);
    this.wsum = ws.allocF32(kp);
    this.perm = ws.allocI32(k);
    this.perm.view().set(Array.from({ length: k }, (_, i) => i));
    this.threads = pool?.threads ?? 1;
    this.threadScratch = Array.from({ length: this.threads }, () => ws.allocF32(scratchFloats(ws.blockRows, cols, kp)));
    this.threadChunkBuffer = Array.from({ length: this.threads }, () => ws.allocF32(Math.min(CHUNK_ROWS, rows) * kp));
    this.scratch = this.threadScratch[0]!;
    this.chunkBuffer = this.threadChunkBuffer[0]!;
    const extra = chunkCount(rows) - 1;
    this.partialAcc = extra > 0 ? ws.allocF32(extra * kp * cols) : undefined;
    this.partialWtw = extra > 0 ? ws.allocF32(extra * kp * kp) : undefined;
    this.partialWsum = extra > 0 ? ws.allocF32(extra * kp) : undefined;
  }

  /**
   * Lays the matrix out in a new workspace sized for the whole problem (no growth during the fit).
   * With a pool, the workspace's memory is shared and the pool's threads run the row passes.
   */
  static async create(matrix: CheckedMatrix, k: number, options: { simd?: boolean; pool?: RowPool } = {}): Promise<NmfProblem> {
    const pool = options.pool && options.pool.threads > 1 && chunkCount(matrix.rows) > 1 ? options.pool : undefined;
    const bytes = NmfProblem.bytesNeeded(matrix, k, pool?.threads ?? 1);
    if (!pool) return new NmfProblem(await createWorkspace({ simd: options.simd, bytes }), matrix, k, undefined);
    const probe = await createWorkspace({ simd: options.simd, bytes: 0 }); // resolves the SIMD choice
    const sharedModule = await pool.module(probe.simd);
    const ws = await createWorkspace({ simd: probe.simd, bytes, sharedModule });
    await pool.attach(sharedModule, ws.memory);
    return new NmfProblem(ws, matrix, k, pool);
  }

  /** Bytes of WebAssembly memory a problem of this shape uses. */
  static bytesNeeded(matrix: CheckedMatrix, k: number, threads = 1): number {
    const { rows, cols } = matrix;
    const kp = paddedK(k);
    const data = matrix.format === 'dense' ? rows * cols * 4 : (rows + 1) * 4 + matrix.data.length * 8;
    const factors = rows * kp * 4 + 4 * cols * kp * 4 + 2 * kp * kp * 4;
    const perThread = (scratchFloats(1024, cols, kp) + Math.min(CHUNK_ROWS, rows) * kp) * 4;
    const partials = (chunkCount(rows) - 1) * (kp * cols + kp * kp + kp) * 4;
    return data + factors + threads * perThread + partials + 64 * 1024;
  }

  /** Row-major mean of V (scikit-learn's X.mean(), zeros included). */
  get mean(): number {
    return this.sum / (this.rows * this.cols);
  }

  /**
   * Runs a row pass: `calls` gives each chunk's kernel calls; chunks run on the pool's threads when
   * there is one, else here in order. With `accumulate`, each chunk accumulates into its own zeroed
   * buffers, summed into acc, wtw and wsum in chunk order afterwards, so the sums are the same
   * whatever the number of threads. Resolves to each chunk's result (its last call's return value).
   */
  async runChunks(calls: (c: ChunkContext) => KernelCall[], accumulate = false): Promise<number[]> {
    const { kp, cols } = this;
    if (accumulate) {
      this.acc.view().fill(0);
      this.wtw.view().fill(0);
      this.wsum.view().fill(0);
      this.partialAcc?.view().fill(0);
      this.partialWtw?.view().fill(0);
      this.partialWsum?.view().fill(0);
    }
    const chunks: KernelCall[][] = [];
    this.forEachChunk((start, count) => {
      const index = chunks.length, thread = index % this.threads;
      const partial = (main: F32Buffer, rest: F32Buffer | undefined, size: number) =>
        !accumulate ? 0 : index === 0 ? main.ptr : rest!.at((index - 1) * size);
      chunks.push(calls({
        index, start, count, scratch: this.threadScratch[thread]!.ptr, chunkBuffer: this.threadChunkBuffer[thread]!.ptr,
        acc: partial(this.acc, this.partialAcc, kp * cols), wtw: partial(this.wtw, this.partialWtw, kp * kp), wsum: partial(this.wsum, this.partialWsum, kp),
      }));
    });
    const results = this.pool ? await this.pool.run(chunks) : chunks.map((c) => runCalls(this.ws.kernels, c));
    if (accumulate && chunks.length > 1) {
      addInOrder(this.acc.view(), this.partialAcc!.view(), chunks.length - 1);
      addInOrder(this.wtw.view(), this.partialWtw!.view(), chunks.length - 1);
      addInOrder(this.wsum.view(), this.partialWsum!.view(), chunks.length - 1);
    }
    return results;
  }

  /** Runs fn over consecutive row ranges of at most CHUNK_ROWS rows. */
  forEachChunk(fn: (start: number, count: number) => void): void {
    for (let start = 0; start < this.rows; start += CHUNK_ROWS) fn(start, Math.min(CHUNK_ROWS, this.rows - start));
  }

  /** Copies W (rows×k, unpadded) in. */
  setW(values: ArrayLike<number>): void {
    setPadded(this.W.view(), values, this.rows, this.k, this.kp);
  }

  /** Copies H (k×cols) in and refreshes Hᵀ. */
  setH(values: ArrayLike<number>): void {
    const h = this.H.view();
    h.fill(0);
    h.set(values);
    this.syncHtFromH();
  }

  /** W as rows×k float32, unpadded. */
  getW(): Float32Array {
    return unpad(this.W.view(), this.rows, this.k, this.kp);
  }

  /** H as k×cols float32. */
  getH(): Float32Array {
    return this.H.view().slice(0, this.k * this.cols);
  }

  syncHtFromH(): void {
    this.ws.kernels.transpose(this.H.ptr, this.Ht.ptr, this.kp, this.cols);
  }

  syncHFromHt(): void {
    this.ws.kernels.transpose(this.Ht.ptr, this.H.ptr, this.cols, this.kp);
  }

  /** hht ← H·Hᵀ (kp×kp). */
  computeHht(): void {
    this.hht.view().fill(0);
    this.ws.kernels.gemmTN(this.Ht.ptr, this.Ht.ptr, this.hht.ptr, this.cols, this.kp, this.kp);
  }

  /** wtw ← WᵀW (kp×kp). */
  computeWtw(): void {
    this.wtw.view().fill(0);
    this.ws.kernels.gemmTN(this.W.ptr, this.W.ptr, this.wtw.ptr, this.rows, this.kp, this.kp);
  }

  /** hsum ← row sums of H. */
  computeHsum(): void {
    const h = this.H.view(), s = this.hsum.view();
    for (let t = 0; t < this.kp; t++) {
      let total = 0;
      for (let j = 0; j < this.cols; j++) total += h[t * this.cols + j]!;
      s[t] = total;
    }
  }
}

/** Chunks of CHUNK_ROWS rows a pass over `rows` rows makes. */
export function chunkCount(rows: number): number {
  return Math.max(1, Math.ceil(rows / CHUNK_ROWS));
}

/** Floats of one thread's scratch buffer: enough for every kernel's stated need. */
function scratchFloats(blockRows: number, cols: number, kp: number): number {
  return blockRows * (cols + 2 * kp) + 8 * kp;
}

/** target[i] += Σ over parts, one part after another (a fixed order, so a fixed rounding). */
function addInOrder(target: Float32Array, parts: Float32Array, count: number): void {
  const n = target.length;
  for (let c = 0; c < count; c++) {
    const offset = c * n;
    for (let i = 0; i < n; i++) target[i] = target[i]! + parts[offset + i]!;
  }
}

/** k rounded up to a multiple of 4 (one v128 holds 4 float32). */
export function paddedK(k: number): number {
  return Math.ceil(k / 4) * 4;
}

function setPadded(target: Float32Array, values: ArrayLike<number>, rows: number, k: number, kp: number): void {
  if (k === kp) {
    target.set(values);
    return;
  }
  target.fill(0);
  for (let r = 0; r < rows; r++) for (let t = 0; t < k; t++) target[r * kp + t] = values[r * k + t]!;
}

function unpad(source: Float32Array, rows: number, k: number, kp: number): Float32Array {
  if (k === kp) return source.slice(0, rows * k);
  const out = new Float32Array(rows * k);
  for (let r = 0; r < rows; r++) for (let t = 0; t < k; t++) out[r * k + t] = source[r * kp + t]!;
  return out;
}
