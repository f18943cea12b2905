// The page's side of the persona worker: promises for fit and assign, progress callbacks, and
// cancellation, so long work never blocks the page.

import { PersonasError, AbortedError } from '../errors.js';
import type { AssignRequest, AssignResponse, FitRequest, FitResponse, FromWorker, ToWorker, WorkerProgress } from './protocol.js';

export interface PersonaWorker {
  fit(request: FitRequest, options?: CallOptions): Promise<FitResponse>;
  assign(request: AssignRequest, options?: CallOptions): Promise<AssignResponse>;
  /** Ends the worker; pending calls reject. */
  terminate(): void;
}

export interface CallOptions {
  onProgress?: (p: WorkerProgress) => void;
  /** Aborting cancels the work in the worker (it stops at its next progress point). */
  signal?: AbortSignal;
}

/**
 * Starts the persona worker. Bundlers (Vite, webpack 5) recognize `new URL('./persona-worker.js',
 * import.meta.url)` and bundle the worker; with esbuild, build src/browser/persona-worker.ts as its
 * own entry and pass its URL (or a Worker) here.
 */
export function createPersonaWorker(worker?: Worker | URL | string): PersonaWorker {
  // The literal `new Worker(new URL(…, import.meta.url))` form is what bundlers look for.
  const w = worker instanceof Worker ? worker
    : worker !== undefined ? new Worker(worker, { type: 'module' })
    : new Worker(new URL('./persona-worker.js', import.meta.url), { type: 'module' });
  let next = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; onProgress?: (p: WorkerProgress) => void }>();
  w.onmessage = (event: MessageEvent<FromWorker>) => {
    const m = event.data;
    const call = pending.get(m.id);
    if (!call) return;
    if (m.type === 'progress') call.onProgress?.(m.progress);
    else {
      pending.delete(m.id);
      if (m.type === 'result') call.resolve(m.result);
      else call.reject(m.error.name === 'AbortError' ? new AbortedError(m.error.message) : new PersonasError(m.error.code ?? 'WORKER', m.error.message));
    }
  };
  w.onerror = (event) => {
    for (const call of pending.values()) call.reject(new PersonasError('WORKER', `the persona worker failed: ${event.message}`));
    pending.clear();
  };
  const call = <T>(method: 'fit' | 'assign', params: FitRequest | AssignRequest, o: CallOptions = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress: o.onProgress });
      o.signal?.addEventListener('abort', () => w.postMessage({ id, method: 'cancel' } satisfies ToWorker), { once: true });
      w.postMessage({ id, method, params } as ToWorker);
    });
  return {
    fit: (request, options) => call<FitResponse>('fit', request, options),
    assign: (request, options) => call<AssignResponse>('assign', request, options),
    terminate() {
      w.terminate();
      for (const c of pending.values()) c.reject(new AbortedError('the persona worker was terminated'));
      pending.clear();
    },
  };
}
