// The units of a k survey: one fit from a random start, or one cross-validation replicate. Each is
// independent, so an executor may run them on several threads (src/node/survey-pool.ts) or in turn.

import { fitNmf } from '../nmf/fit.js';
import { assignPersonas } from '../personas/assign.js';
import { crossValidate } from './cross-validation.js';
import { yieldToEventLoop } from '../yield.js';

export type SurveyMatrix = { rows: number; cols: number; data: Float32Array };

export type SurveyTask =
  | { readonly kind: 'run'; readonly k: number; readonly seed: number }
  | { readonly kind: 'cv'; readonly k: number; readonly seed: number; readonly holdout: number; readonly onNull: boolean }
  | { readonly kind: 'null-fit'; readonly k: number; readonly seed: number };

export type SurveyTaskResult =
  | { readonly kind: 'run'; readonly persona: Int32Array; readonly reconstructionError: number; readonly relativeError: number }
  | { readonly kind: 'cv'; readonly heldOutMse: number }
  | { readonly kind: 'null-fit'; readonly relativeError: number };

/** Runs one task on the survey's data (and its shuffled null copy). */
export async function runSurveyTask(task: SurveyTask, data: SurveyMatrix, nullData: SurveyMatrix | undefined, simd?: boolean): Promise<SurveyTaskResult> {
  switch (task.kind) {
    case 'run': {
      const fit = await fitNmf(data, { k: task.k, init: 'random', seed: task.seed, simd, refineW: false, traceEvery: 0 });
      const { persona } = await assignPersonas(fit.W, fit.H, { simd });
      return { kind: 'run', persona, reconstructionError: fit.reconstructionError, relativeError: fit.relativeError };
    }
    case 'cv': {
      const r = await crossValidate(task.onNull ? nullData! : data, task.k, { holdout: task.holdout, seed: task.seed, simd });
      return { kind: 'cv', heldOutMse: r.heldOutMse };
    }
    case 'null-fit': {
      const fit = await fitNmf(nullData!, { k: task.k, seed: task.seed, simd, refineW: false, traceEvery: 0 });
      return { kind: 'null-fit', relativeError: fit.relativeError };
    }
  }
}

/**
 * Runs tasks and resolves to their results in order; a task not started because `stop()` said so
 * (a time budget) has no result.
 */
export interface SurveyExecutor {
  /** Threads it runs on (reported). */
  readonly threads: number;
  run(tasks: readonly SurveyTask[], onDone: (task: SurveyTask) => void, stop?: () => boolean): Promise<(SurveyTaskResult | undefined)[]>;
  close(): Promise<void>;
}

/** Everything in this thread, one task after another. */
export function inlineExecutor(data: SurveyMatrix, nullData: SurveyMatrix | undefined, simd?: boolean): SurveyExecutor {
  return {
    threads: 1,
    async run(tasks, onDone, stop) {
      const out: (SurveyTaskResult | undefined)[] = [];
      for (const t of tasks) {
        await yieldToEventLoop(); // between tasks, let a worker's messages (a cancel) through
        if (stop?.()) { out.push(undefined); continue; }
        out.push(await runSurveyTask(t, data, nullData, simd));
        onDone(t);
      }
      return out;
    },
    async close() {},
  };
}
