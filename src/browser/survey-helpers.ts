// A k survey spread over several Web Workers: the persona worker runs tasks itself and hands others
// to helper workers over MessagePorts (the page connects them). Each helper gets its own copy of the
// (sampled) survey data, so no shared memory is needed and it works without cross-origin isolation.
// Results are kept in task order, so the survey's numbers do not depend on the number of workers.

import { PersonasError } from '../errors.js';
import { inlineExecutor, runSurveyTask, type SurveyExecutor, type SurveyMatrix, type SurveyTask, type SurveyTaskResult } from '../select-k/tasks.js';
import { yieldToEventLoop } from '../yield.js';

type ToHelper =
  | { readonly type: 'data'; readonly data: SurveyMatrix; readonly nullData?: SurveyMatrix; readonly simd?: boolean }
  | { readonly type: 'task'; readonly id: number; readonly task: SurveyTask }
  | { readonly type: 'release' };
type FromHelper = { readonly id: number; readonly result?: SurveyTaskResult; readonly error?: { readonly message: string; readonly code?: string } };

/** The helper's side: runs the tasks that arrive on `port` on the data last sent. */
export function serveSurveyTasks(port: MessagePort): void {
  let data: SurveyMatrix | undefined, nullData: SurveyMatrix | undefined, simd: boolean | undefined;
  port.onmessage = async (event: MessageEvent<ToHelper>) => {
    const m = event.data;
    if (m.type === 'data') ({ data, nullData, simd } = m);
    else if (m.type === 'release') data = nullData = undefined;
    else {
      try {
        if (!data) throw new PersonasError('WORKER', 'a survey task arrived before its data');
        port.postMessage({ id: m.id, result: await runSurveyTask(m.task, data, nullData, simd) } satisfies FromHelper);
      } catch (error) {
        const e = error as Error & { code?: string };
        port.postMessage({ id: m.id, error: { message: e.message, code: e.code } } satisfies FromHelper);
      }
    }
  };
}

/** An executor for selectK on this worker plus the helpers behind `ports` (in-thread when none). */
export function helperExecutor(ports: readonly MessagePort[], simd?: boolean) {
  return (data: SurveyMatrix, nullData: SurveyMatrix | undefined): SurveyExecutor => {
    if (ports.length === 0) return inlineExecutor(data, nullData, simd);
    for (const port of ports) port.postMessage({ type: 'data', data, nullData, simd } satisfies ToHelper);
    let nextId = 0;
    const waiting = new Map<number, { resolve(r: SurveyTaskResult): void; reject(e: Error): void }>();
    for (const port of ports) {
      port.onmessage = (event: MessageEvent<FromHelper>) => {
        const call = waiting.get(event.data.id);
        waiting.delete(event.data.id);
        if (event.data.error) call?.reject(new PersonasError(event.data.error.code ?? 'SURVEY', event.data.error.message));
        else call?.resolve(event.data.result!);
      };
    }
    const remote = (port: MessagePort) => (task: SurveyTask) => new Promise<SurveyTaskResult>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      port.postMessage({ type: 'task', id, task } satisfies ToHelper);
    });
    const local = async (task: SurveyTask) => {
      await yieldToEventLoop(); // let a cancel through between tasks
      return runSurveyTask(task, data, nullData, simd);
    };
    const runners = [local, ...ports.map(remote)];
    return {
      threads: runners.length,
      async run(tasks, onDone, stop) {
        const results = new Array<SurveyTaskResult | undefined>(tasks.length);
        let next = 0, failed = false;
        // Each runner takes the next task when it is free; tasks the budget rules out get no result.
        await Promise.all(runners.map(async (run) => {
          try {
            for (;;) {
              while (next < tasks.length && !failed && stop?.()) next++;
              if (failed || next >= tasks.length) return;
              const id = next++;
              results[id] = await run(tasks[id]!);
              if (!failed) onDone(tasks[id]!);
            }
          } catch (error) {
            failed = true; // the others stop taking tasks
            throw error;
          }
        }));
        return results;
      },
      async close() {
        for (const port of ports) port.postMessage({ type: 'release' } satisfies ToHelper);
      },
    };
  };
}
