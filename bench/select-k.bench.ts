// The cost of choosing k: select-k over k = 2..12 on 100k users × 40 events against one fit at the
// k it recommends (target: ≤ 10× that fit), with the machine's threads for the survey.
//   /usr/bin/python3 bench/make_data.py --users 100000 --out bench/data/u100k
//   npm run bench -- select-k [--threads 2]
//   npm run bench -- select-k --planted     (planted vs recommended k on bench/data's gen_personas sets)
import { readFileSync, existsSync } from 'node:fs';
import { discoverPersonas, fitTransform } from '../src/index.js';
import { selectK } from '../src/select-k/select-k.js';
import { surveyPool, defaultThreads } from '../src/node/survey-pool.js';
import { fmt, fromRoot, machine, otherLoad, writeJson } from './harness.js';

export async function main(args: string[]) {
  const threadsAt = args.indexOf('--threads');
  const threads = threadsAt >= 0 ? Number(args[threadsAt + 1]) : defaultThreads();
  if (args.includes('--planted')) return planted(threads);
  const path = fromRoot('bench', 'data', 'u100k');
  if (!existsSync(`${path}.counts.f32`)) throw new Error('make the data first: /usr/bin/python3 bench/make_data.py --users 100000 --out bench/data/u100k');
  const meta = JSON.parse(readFileSync(`${path}.json`, 'utf8'));
  const bytes = readFileSync(`${path}.counts.f32`);
  const counts = { format: 'dense' as const, rows: meta.rows, cols: meta.cols, data: new Float32Array(bytes.buffer, bytes.byteOffset, meta.rows * meta.cols).slice() };
  const { matrix } = fitTransform('share', counts);
  const { result, otherLoad: load } = await otherLoad(async () => {
    // bench/run.mjs bundles this file, so the pool's worker script is resolved from dist/ explicitly
    const t0 = performance.now();
    const worker = new URL(`file://${fromRoot('dist', 'node', 'survey-worker.js')}`);
    const survey = await selectK(matrix, { kMin: 2, kMax: 12, executor: surveyPool(threads, undefined, worker), seed: 0 });
    const surveySeconds = (performance.now() - t0) / 1000;
    const fits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t1 = performance.now();
      await discoverPersonas(counts, meta.events, { k: survey.recommended });
      fits.push((performance.now() - t1) / 1000);
    }
    fits.sort((a, b) => a - b);
    return { survey, surveySeconds, fitSeconds: fits[1]! };
  });
  const info = machine();
  console.log(`${meta.rows} users × ${meta.cols} events (gen_personas, planted k = ${meta.k}), share transform; ${info.cpu}, ${info.cores} cores, Node ${info.node}; other load ${load === undefined ? '?' : `${Math.round(load * 100)} %`}`);
  console.log(`select-k 2..12 (defaults: ${result.survey.users} users sampled, 5 runs and 3 cross-validation replicates per k) on ${result.survey.threads} thread(s): ${fmt(result.surveySeconds, 1)} s; recommended k = ${result.survey.recommended}`);
  console.log(`one fit at k = ${result.survey.recommended} on all ${meta.rows} users (median of 3): ${fmt(result.fitSeconds, 2)} s`);
  console.log(`ratio: ${fmt(result.surveySeconds / result.fitSeconds, 1)}× (target ≤ 10×)`);
  writeJson(fromRoot('bench', 'results', `select-k-${Date.now()}.json`), { machine: info, otherLoad: load, threads, ...result });
}

/**
 * `npm run bench -- select-k --planted`: planted against recommended k on every gen_personas set in
 * bench/data made by make_data.py (name prefixes sk*, cfg*, t30k*, t100k*), with the default options.
 */
export async function planted(threads: number) {
  const { readdirSync } = await import('node:fs');
  const dir = fromRoot('bench', 'data');
  const names = readdirSync(dir).filter((f) => /^(sk|cfg|t30k|t100k)[^.]*\.counts\.f32$/.test(f)).map((f) => f.replace('.counts.f32', '')).sort();
  const worker = new URL(`file://${fromRoot('dist', 'node', 'survey-worker.js')}`);
  console.log('| data | users | planted k | recommended | seconds |');
  console.log('|---|---:|---:|---:|---:|');
  let right = 0;
  for (const name of names) {
    const meta = JSON.parse(readFileSync(`${dir}/${name}.json`, 'utf8'));
    const bytes = readFileSync(`${dir}/${name}.counts.f32`);
    const counts = { format: 'dense' as const, rows: meta.rows, cols: meta.cols, data: new Float32Array(bytes.buffer, bytes.byteOffset, meta.rows * meta.cols).slice() };
    const t0 = performance.now();
    const survey = await selectK(fitTransform('share', counts).matrix, { kMin: 2, kMax: 12, executor: surveyPool(threads, undefined, worker) });
    if (survey.recommended === meta.k) right++;
    console.log(`| ${name} (seed ${meta.seed}) | ${meta.rows} | ${meta.k} | ${survey.recommended}${survey.recommended === meta.k ? '' : ' ✗'} | ${fmt((performance.now() - t0) / 1000, 1)} |`);
  }
  console.log(`\n${right} of ${names.length} recommended the planted k.`);
}
