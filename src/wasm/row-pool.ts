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

/** One worker as the pool sees it: a request/reply channel. */
export interface PoolPort {
  request<T>(message: unknown): Promise<T>;
  terminate(): Promise<unknown> | void;
}

/**
 * What a kernel worker does with a message, as source text (each platform adds its messaging glue):
 * 'attach' instantiates the module over the shared memory; 'run' runs chunks of calls.
 */
export const KERNEL_WORKER_HANDLER = `
let kernels;
async function handle(m) {
  try {
    if (m.type === 'attach') {
      kernels = (await WebAssembly.instantiate(m.module, { env: { memory: m.memory } })).exports;
      return { type: 'attached' };
    }
    const results = m.chunks.map((calls) => {
      let r = 0;
      for (const c of calls) r = Number(kernels[c.fn](...c.args) ?? 0);
      return r;
    });
    return { type: 'done', results };
  } catch (error) {
    return { type: 'error', message: String((error && error.message) || error) };
  }
}
`;

/** A RowPool over worker ports; chunk i runs on port i mod n (the thread its scratch buffers belong to). */
export function rowPoolOver(ports: readonly PoolPort[], module: (simd: boolean) => Promise<WebAssembly.Module>): RowPool {
  const threads = ports.length;
  return {
    threads,
    module,
    async attach(m: WebAssembly.Module, memory: WebAssembly.Memory) {
      await Promise.all(ports.map((p) => p.request({ type: 'attach', module: m, memory })));
    },
    async run(chunks: readonly (readonly KernelCall[])[]) {
      const mine = ports.map((_, t) => chunks.filter((_, i) => i % threads === t));
      const replies = await Promise.all(ports.map((p, t) => (mine[t]!.length ? p.request<{ results: number[] }>({ type: 'run', chunks: mine[t] }) : { results: [] })));
      return chunks.map((_, i) => replies[i % threads]!.results[Math.floor(i / threads)]!);
    },
    async close() {
      await Promise.all(ports.map((p) => p.terminate()));
    },
  };
}
