// Kernel threads for Node: a persistent pool of worker_threads sharing one WebAssembly memory with the
// main thread (a RowPool, src/wasm/row-pool.ts). The fit sums the chunks' partial products in chunk
// order, so results do not depend on the number of threads.

import { Worker } from 'node:worker_threads';
import { PersonasError } from '../errors.js';
import { KERNEL_WORKER_HANDLER, rowPoolOver, type PoolPort, type RowPool } from '../wasm/row-pool.js';
import { compileSharedKernels } from '../wasm/shared-kernels.js';

// An eval'd worker: no file to locate, from sources or from a bundle.
const WORKER_SOURCE = `${KERNEL_WORKER_HANDLER}
const { parentPort } = require('node:worker_threads');
parentPort.on('message', async (m) => parentPort.postMessage(await handle(m)));
`;

/** A pool of `threads` kernel workers (they start now and stay until close()). */
export function createKernelPool(threads: number): RowPool {
  if (!Number.isInteger(threads) || threads < 1) throw new PersonasError('BAD_OPTION', `threads must be an integer ≥ 1; got ${threads}`);
  const ports = Array.from({ length: threads }, (): PoolPort => {
    const w = new Worker(WORKER_SOURCE, { eval: true });
    w.unref(); // an idle pool never keeps the process alive
    return {
      request: <T>(message: unknown) => new Promise<T>((resolve, reject) => {
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
      }),
      terminate: () => w.terminate(),
    };
  });
  return rowPoolOver(ports, compileSharedKernels);
}
