// Runs a k survey's fits and replicates on worker threads: each worker has its own WebAssembly
// instance and a copy of the (sampled) data; tasks go to whichever worker is free, results come back
// in task order, so the survey's numbers do not depend on the number of threads.

import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { PersonasError } from '../errors.js';
import { inlineExecutor, type SurveyExecutor, type SurveyMatrix, type SurveyTask, type SurveyTaskResult } from '../select-k/tasks.js';

/** The machine's cores, as the default thread count. */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

/**
 * An executor factory for selectK: `threads` workers (in-thread when 1, or when run from sources).
 * `script`: the worker's compiled file, when this module is bundled away from dist/node/.
 */
export function surveyPool(threads: number, simd?: boolean, script = new URL('./survey-worker.js', import.meta.url)) {
  return (data: SurveyMatrix, nullData: SurveyMatrix | undefined): SurveyExecutor => {
    // Workers need the compiled JavaScript (dist/); from TypeScript sources (tests) stay in-thread.
    if (threads <= 1 || script.protocol !== 'file:' || !existsSync(fileURLToPath(script))) return inlineExecutor(data, nullData, simd);
    const workers = Array.from({ length: threads }, () => new Worker(script, { workerData: { data, nullData, simd } }));
    return {
      threads,
      run(tasks, onDone, stop) {
        return new Promise<(SurveyTaskResult | undefined)[]>((resolve, reject) => {
          const results = new Array<SurveyTaskResult | undefined>(tasks.length);
          let next = 0, finished = 0, failed = false;
          const feed = (worker: Worker) => {
            // Tasks the budget rules out are finished without a result.
            while (!failed && next < tasks.length && stop?.()) {
              next++;
              if (++finished === tasks.length) resolve(results);
            }
            if (failed || next >= tasks.length) return;
            const id = next++;
            worker.postMessage({ id, task: tasks[id] as SurveyTask });
          };
          for (const worker of workers) {
            worker.removeAllListeners('message').removeAllListeners('error');
            worker.on('message', (m: { id: number; result?: SurveyTaskResult; error?: { message: string; code?: string } }) => {
              if (m.error) {
                failed = true;
                reject(new PersonasError(m.error.code ?? 'SURVEY', m.error.message));
                return;
              }
              results[m.id] = m.result!;
              onDone(tasks[m.id]!);
              if (++finished === tasks.length) resolve(results);
              else feed(worker);
            });
            worker.on('error', (e) => { failed = true; reject(e); });
            feed(worker);
          }
          if (tasks.length === 0) resolve(results);
        });
      },
      async close() {
        await Promise.all(workers.map((w) => w.terminate()));
      },
    };
  };
}
