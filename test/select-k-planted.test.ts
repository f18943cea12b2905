// On gen_personas data with a planted number of personas, select-k (default options) recommends
// the planted k in at least 4 of 5 configurations (k = 3, 4, 5, 7, 10; 3 000–10 000 users).
import { expect, test } from 'vitest';
import { readdirSync } from 'node:fs';
import { ingestEvents, fitTransform } from '../src/index.js';
import { nodeSource } from '../src/node/file-source.js';
import { selectK } from '../src/select-k/select-k.js';
import { surveyPool } from '../src/node/survey-pool.js';

const dir = new URL('./fixtures/planted-k/', import.meta.url).pathname;
// the compiled worker (npm test builds dist/ first): two threads halve the time
const worker = new URL('../dist/node/survey-worker.js', import.meta.url);

test('select-k recommends the planted k in at least 4 of 5 configurations', async () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.csv.gz')).sort();
  expect(files).toHaveLength(5);
  const outcomes: string[] = [];
  let right = 0;
  for (const file of files) {
    const planted = Number(/^k(\d+)-/.exec(file)![1]);
    const input = await ingestEvents(await nodeSource(dir + file));
    const survey = await selectK(fitTransform('share', input.counts).matrix, { kMin: 2, kMax: 12, executor: surveyPool(2, undefined, worker) });
    if (survey.recommended === planted) right++;
    outcomes.push(`${file}: planted ${planted}, recommended ${survey.recommended}`);
  }
  console.log(outcomes.join('\n'));
  expect(right, outcomes.join('; ')).toBeGreaterThanOrEqual(4);
}, 300_000);
