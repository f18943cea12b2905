// The browser entry: the whole library, plus a worker that runs fits and assignments off the page's
// main thread.

export * from '../index.js';
export { createPersonaWorker, type PersonaWorker, type PersonaWorkerOptions, type CallOptions } from './worker-client.js';
export type { FitRequest, FitResponse, SelectKRequest, SelectKResponse, AssignRequest, AssignResponse, WorkerInput, WorkerProgress } from './protocol.js';
export { runFit, runSelectK, runAssign } from './tasks.js';
