// The persona worker: runs reading, k surveys, fits and assignments off the page's main thread, so
// the page never freezes; reports progress and stops when cancelled. Load it as a module worker.
// The same script serves as a helper that runs k-survey tasks for the main one (survey-helpers.ts).

import type { FromWorker, ToWorker, WorkerProgress } from './protocol.js';
import { runAssign, runFit, runSelectK } from './tasks.js';
import { helperExecutor, serveSurveyTasks } from './survey-helpers.js';
import { browserKernelPool } from './kernel-pool.js';
import type { RowPool } from '../wasm/row-pool.js';

const scope = globalThis as unknown as { postMessage(m: FromWorker, transfer?: Transferable[]): void; onmessage: ((e: MessageEvent<ToWorker>) => void) | null };
const running = new Map<number, AbortController>();
let helpers: readonly MessagePort[] = [];
// Kernel threads over shared memory, made at the first fit (only in a cross-origin isolated page).
let kernelPool: RowPool | undefined | null = null;
const pool = () => (kernelPool === null ? (kernelPool = browserKernelPool()) : kernelPool);

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.method === 'cancel') {
    running.get(message.id)?.abort();
    return;
  }
  if (message.method === 'use-helpers') {
    helpers = message.ports;
    return;
  }
  if (message.method === 'serve-survey') {
    serveSurveyTasks(message.port);
    return;
  }
  const controller = new AbortController();
  running.set(message.id, controller);
  const progress = (p: WorkerProgress) => scope.postMessage({ id: message.id, type: 'progress', progress: p });
  const work: Promise<unknown> =
    message.method === 'fit' ? runFit(message.params, progress, controller.signal, helperExecutor(helpers), pool())
    : message.method === 'selectK' ? runSelectK(message.params, progress, controller.signal, helperExecutor(helpers))
    : runAssign(message.params, progress, controller.signal);
  work.then(
    (result) => scope.postMessage({ id: message.id, type: 'result', result }),
    (error: Error & { code?: string }) => scope.postMessage({ id: message.id, type: 'error', error: { name: error.name, code: error.code, message: error.message } }),
  ).finally(() => running.delete(message.id));
};
