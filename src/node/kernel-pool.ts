// Kernel threads for Node: a persistent pool of worker_threads sharing one WebAssembly memory with the
// main thread (the RowPool of src/wasm/row-pool.ts). Each worker instantiates the shared-memory build
// of the kernels over the memory it is given and runs the chunks of rows it is handed; the fit sums
// their partial products in chunk order, so results do not depend on the number of threads.

import { Worker } from 'node:worker_threads';
import simdShared from '../wasm/binaries/simd-shared.js';
import scalarShared from '../wasm/binaries/scalar-shared.js';
import { PersonasError } from '../errors.js';
import type { KernelCall, RowPool } from '../wasm/row-pool.js';

// Small and dependency-free, so it runs as an eval'd worker: no file to locate from sources or bundles.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
let kernels;
parentPort.on('message', async (m) => {
  try {
    if (m.type === 'attach') {
      kernels = (await WebAssembly.instantiate(m.module, { env: { memory: m.memory } })).exports;
      parentPort.postMessage({ type: 'attached' });
      return;
    }
    const results = m.chunks.map((calls) => {
      let r = 0;
      for (const c of calls) r = Number(kernels[c.fn](...c.args) ?? 0);
      return r;
    });
    parentPort.postMessage({ type: 'done', results });
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: String((error && error.message) || error) });
  }
});
`;

const modules = new Map<boolean, Promise<WebAssembly.Module>>();

/** A pool of `threads` kernel workers (they start now and stay until close()). */
export function createKernelPool(threads: number): RowPool {
  if (!Number.isInteger(threads) || threads < 1) throw new PersonasError('BAD_OPTION', `threads must be an integer ≥ 1; got ${threads}`);
  const workers = Array.from({ length: threads }, () => {
    const w = new Worker(WORKER_SOURCE, { eval: true });
    w.unref(); // an idle pool never keeps the process alive
    return w;
  });
  const request = <T>(w: Worker, message: unknown): Promise<T> => new Promise<T>((resolve, reject) => {
    const onMessage = (m: { type: string; message?: string }) => {
      w.off('error', onError);
      if (m.type === 'error') reject(new PersonasError('THREAD', `a kernel thread failed: ${m.message}`));
      else resolve(m as T);
    };
    const onError = (e: Error) => {
      w.off('message', onMessage);
      reject(new PersonasError('THREAD', `a kernel thread failed: ${e.message}`));
    };
    w.once('message', onMessage);
    w.once('error', onError);
    w.postMessage(message);
  });
  return {
    threads,
    module(simd: boolean) {
      let m = modules.get(simd);
      if (!m) {
        m = WebAssembly.compile(decode(simd ? simdShared : scalarShared));
        modules.set(simd, m);
      }
      return m;
    },
    async attach(module: WebAssembly.Module, memory: WebAssembly.Memory) {
      await Promise.all(workers.map((w) => request(w, { type: 'attach', module, memory })));
    },
    async run(chunks: readonly (readonly KernelCall[])[]) {
      // Chunk i runs on worker i mod threads (the scratch buffers were chosen for that thread).
      const mine = workers.map((_, t) => chunks.filter((_, i) => i % threads === t));
      const replies = await Promise.all(workers.map((w, t) => (mine[t]!.length ? request<{ results: number[] }>(w, { type: 'run', chunks: mine[t] }) : { results: [] })));
      return chunks.map((_, i) => replies[i % threads]!.results[Math.floor(i / threads)]!);
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const bytes = Buffer.from(base64, 'base64');
  return new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
