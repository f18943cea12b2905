// The page's side of the persona worker: promises for fit and assign, progress callbacks, and
// cancellation, so long work never blocks the page.

import { PersonasError, AbortedError } from '../errors.js';
import type { AssignRequest, AssignResponse, FitRequest, FitResponse, FromWorker, SelectKRequest, SelectKResponse, ToWorker, WorkerProgress } from './protocol.js';

export interface PersonaWorker {
  /** Reads the input, surveys k when asked ('auto' or a range), fits, assigns and describes. */
  fit(request: FitRequest, options?: CallOptions): Promise<FitResponse>;
  /** The k survey alone: evidence per k and the recommended k. */
  selectK(request: SelectKRequest, options?: CallOptions): Promise<SelectKResponse>;
  /** Assigns the users of an input with a fitted model (H fixed). */
  assign(request: AssignRequest, options?: CallOptions): Promise<AssignResponse>;
  /** Workers in all: the persona worker and its survey helpers. */
  readonly threads: number;
  /** Ends the workers; pending calls reject. */
  terminate(): void;
}

export interface CallOptions {
  onProgress?: (p: WorkerProgress) => void;
  /** Aborting cancels the work in the worker (it stops at its next progress point). */
  signal?: AbortSignal;
}

export interface PersonaWorkerOptions {
  /**
   * Workers in all (default: the device's cores, at most 4): the persona worker plus helpers that share
   * its k surveys. Fits themselves run on the persona worker.
   */
  threads?: number;
}

/**
 * Starts the persona worker. With no argument the worker is `./persona-worker.js` next to this
 * module, written as `new Worker(new URL(…, import.meta.url))`, which Vite and webpack 5 recognize
 * and bundle. With esbuild, bundle `personas/worker` as its own entry named persona-worker.js beside
 * yours, or pass its URL. Pass a function making a Worker to control how workers are created; a
 * Worker instance runs alone (no helpers).
 */
export function createPersonaWorker(worker?: Worker | URL | string | (() => Worker), options: PersonaWorkerOptions = {}): PersonaWorker {
  // The literal `new Worker(new URL(…, import.meta.url))` form is what bundlers look for.
  const make = typeof worker === 'function' ? worker
    : worker instanceof Worker ? undefined
    : worker !== undefined ? () => new Worker(worker, { type: 'module' })
    : () => new Worker(new URL('./persona-worker.js', import.meta.url), { type: 'module' });
  const w = worker instanceof Worker ? worker : make!();
  const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency ? navigator.hardwareConcurrency : 1;
  const threads = make ? Math.max(1, Math.floor(options.threads ?? Math.min(4, cores))) : 1;
  const helpers = Array.from({ length: threads - 1 }, () => make!());
  if (helpers.length) {
    const channels = helpers.map(() => new MessageChannel());
    helpers.forEach((h, i) => h.postMessage({ id: 0, method: 'serve-survey', port: channels[i]!.port2 } satisfies ToWorker, [channels[i]!.port2]));
    const ports = channels.map((c) => c.port1);
    w.postMessage({ id: 0, method: 'use-helpers', ports } satisfies ToWorker, ports);
  }
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
  const failed = (event: ErrorEvent) => {
    for (const call of pending.values()) call.reject(new PersonasError('WORKER', `the persona worker failed: ${event.message}`));
    pending.clear();
  };
  w.onerror = failed;
  for (const h of helpers) h.onerror = failed;
  const call = <T>(method: 'fit' | 'selectK' | 'assign', params: FitRequest | SelectKRequest | AssignRequest, o: CallOptions = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress: o.onProgress });
      o.signal?.addEventListener('abort', () => w.postMessage({ id, method: 'cancel' } satisfies ToWorker), { once: true });
      w.postMessage({ id, method, params } as ToWorker);
    });
  return {
    fit: (request, options) => call<FitResponse>('fit', request, options),
    selectK: (request, options) => call<SelectKResponse>('selectK', request, options),
    assign: (request, options) => call<AssignResponse>('assign', request, options),
    threads,
    terminate() {
      w.terminate();
      for (const h of helpers) h.terminate();
      for (const c of pending.values()) c.reject(new AbortedError('the persona worker was terminated'));
      pending.clear();
    },
  };
}
