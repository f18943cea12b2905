// A worker thread of the k-survey pool: receives the survey's data once, then runs tasks on request.

import { parentPort, workerData } from 'node:worker_threads';
import { runSurveyTask, type SurveyMatrix, type SurveyTask } from '../select-k/tasks.js';

const { data, nullData, simd } = workerData as { data: SurveyMatrix; nullData?: SurveyMatrix; simd?: boolean };

parentPort!.on('message', async ({ id, task }: { id: number; task: SurveyTask }) => {
  try {
    const result = await runSurveyTask(task, data, nullData, simd);
    parentPort!.postMessage({ id, result });
  } catch (error) {
    const e = error as Error & { code?: string };
    parentPort!.postMessage({ id, error: { name: e.name, message: e.message, code: e.code } });
  }
});
