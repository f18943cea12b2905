// Assignment speed: users per second per thread at 40 events and k = 7, (a) in memory — transform,
// W solve with H fixed, argmax — and (b) end to end from a counts CSV through `personas assign`.
//   /usr/bin/python3 bench/make_data.py --users 100000 --out bench/data/u100k
//   npm run bench -- assign
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { assignWithModel, discoverPersonas } from '../src/index.js';
import { buildModel } from '../src/model/build.js';
import { fmt, fromRoot, machine, otherLoad, writeJson } from './harness.js';

export async function main() {
  const path = fromRoot('bench', 'data', 'u100k');
  if (!existsSync(`${path}.counts.f32`)) throw new Error('make the data first: /usr/bin/python3 bench/make_data.py --users 100000 --out bench/data/u100k');
  const meta = JSON.parse(readFileSync(`${path}.json`, 'utf8'));
  const bytes = readFileSync(`${path}.counts.f32`);
  const counts = { format: 'dense' as const, rows: meta.rows, cols: meta.cols, data: new Float32Array(bytes.buffer, bytes.byteOffset, meta.rows * meta.cols).slice() };
  const events: string[] = meta.events;
  const found = await discoverPersonas(counts, events, { k: 7 });
  const model = buildModel({ found, events, input: { source: 'u100k', users: meta.rows, usersSetAside: 0, rows: meta.rows }, regularization: { alphaW: 0, alphaH: 0, l1Ratio: 0 } });
  const modelFile = fromRoot('bench', 'data', 'u100k-model.json');
  writeFileSync(modelFile, JSON.stringify(model));
  const csv = fromRoot('bench', 'data', 'u100k-counts.csv');
  if (!existsSync(csv)) {
    let text = `user_id,${events.join(',')}\n`;
    for (let u = 0; u < meta.rows; u++) text += `u${u},${Array.from(counts.data.subarray(u * meta.cols, (u + 1) * meta.cols)).join(',')}\n`;
    writeFileSync(csv, text);
  }
  const { result, otherLoad: load } = await otherLoad(async () => {
    // (a) in memory, in chunks of 65 536 users as the command does
    let done = 0;
    const runs: number[] = [];
    for (let rep = 0; rep < 5; rep++) {
      const t0 = performance.now();
      for (let start = 0; start < meta.rows; start += 65_536) {
        const rows = Math.min(65_536, meta.rows - start);
        const a = await assignWithModel(model, { format: 'dense', rows, cols: meta.cols, data: counts.data.subarray(start * meta.cols, (start + rows) * meta.cols) }, events);
        done += a.persona.length;
      }
      runs.push((performance.now() - t0) / 1000);
    }
    runs.sort((a, b) => a - b);
    const memorySeconds = runs[2]!;
    // (b) end to end through the command, in a fresh process
    const cli: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [fromRoot('bin', 'personas.js'), 'assign', '--model', modelFile, csv, '--out', fromRoot('bench', 'data', 'u100k-assign.csv'), '--quiet']);
      if (r.status !== 0) throw new Error(String(r.stderr));
      cli.push((performance.now() - t0) / 1000);
    }
    cli.sort((a, b) => a - b);
    return { memorySeconds, cliSeconds: cli[1]!, done };
  });
  const info = machine();
  const users = meta.rows;
  console.log(`${users} users × ${meta.cols} events, k = 7 (gen_personas, share transform); ${info.cpu}, Node ${info.node}, one thread; other load ${load === undefined ? '?' : `${Math.round(load * 100)} %`}`);
  console.log('| path | seconds | users/s |');
  console.log('|---|---:|---:|');
  console.log(`| in memory: transform, W solve with H fixed, argmax (median of 5) | ${fmt(result.memorySeconds, 3)} | ${fmt(users / result.memorySeconds / 1e3, 0)} k |`);
  console.log(`| \`personas assign\` on a counts CSV, process start to file written (median of 3) | ${fmt(result.cliSeconds, 2)} | ${fmt(users / result.cliSeconds / 1e3, 0)} k |`);
  writeJson(fromRoot('bench', 'results', `assign-${Date.now()}.json`), { machine: info, otherLoad: load, users, ...result });
}
