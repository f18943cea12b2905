// Kernel threads in the browser: Web Workers sharing one WebAssembly memory (a RowPool). Shared
// memory needs a cross-origin isolated page (COOP: same-origin, COEP: require-corp); without it,
// `browserKernelPool` returns undefined and fits run in one thread. Results do not depend on it.

import { KERNEL_WORKER_HANDLER, rowPoolOver, type PoolPort, type RowPool } from '../wasm/row-pool.js';
import { compileSharedKernels } from '../wasm/shared-kernels.js';
import { PersonasError } from '../errors.js';

const WORKER_SOURCE = `${KERNEL_WORKER_HANDLER}
self.onmessage = async (e) => self.postMessage(await handle(e.data));
`;

/** Whether this context may share WebAssembly memory with workers. */
export function canShareMemory(): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}

/** A pool of kernel workers (default: the device's cores, at most 4), or undefined when memory cannot be shared. */
export function browserKernelPool(threads?: number): RowPool | undefined {
  const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency ? navigator.hardwareConcurrency : 1;
  const n = Math.floor(threads ?? Math.min(4, cores));
  if (n < 2 || !canShareMemory()) return undefined;
  // One script for all workers: a blob URL, so no file has to be served or bundled for them.
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const ports = Array.from({ length: n }, (): PoolPort => {
    const w = new Worker(url);
    return {
      request: <T>(message: unknown) => new Promise<T>((resolve, reject) => {
        w.onmessage = (e: MessageEvent<{ type: string; message?: string }>) => {
          if (e.data.type === 'error') reject(new PersonasError('THREAD', `a kernel thread failed: ${e.data.message}`));
          else resolve(e.data as T);
        };
        w.onerror = (e) => reject(new PersonasError('THREAD', `a kernel thread failed: ${e.message}`));
        w.postMessage(message);
      }),
      terminate: () => w.terminate(),
    };
  });
  return rowPoolOver(ports, compileSharedKernels);
}
