// Worker threads that run kernels over row ranges of one shared WebAssembly memory. The library only
// needs this interface (so it stays free of node:*); src/node/kernel-pool.ts implements it with
// node:worker_threads. A fit splits its rows into fixed chunks and sums the chunks' partial products
// in chunk order, so its numbers do not depend on how many threads ran the chunks.

import type { KernelExports } from './kernels.js';

/** One kernel call: an export's name and its (numeric) arguments. */
export interface KernelCall {
  readonly fn: keyof KernelExports;
  readonly args: readonly number[];
}

export interface RowPool {
  /** Worker threads. */
  readonly threads: number;
  /** The kernels built for a shared memory (same code as the single-thread build). */
  module(simd: boolean): Promise<WebAssembly.Module>;
  /** Instantiates `module` over `memory` in every worker (the memory a workspace was created with). */
  attach(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<void>;
  /**
   * Runs each chunk's calls in order on worker (chunk index mod threads); resolves to each chunk's
   * last call's return value, in chunk order.
   */
  run(chunks: readonly (readonly KernelCall[])[]): Promise<number[]>;
  /** Ends the workers. */
  close(): Promise<void>;
}

/** Runs a chunk's calls on the given kernels (in this thread, or in a worker). */
export function runCalls(kernels: KernelExports, calls: readonly KernelCall[]): number {
  let result = 0;
  for (const c of calls) result = Number((kernels[c.fn] as (...args: number[]) => unknown)(...c.args) ?? 0);
  return result;
}
