// Reading speed and memory: a generated 10M-row event log (user_id,event,count), read by our ingest
// (parse, validate, aggregate, build the matrix) beside csv-parse alone on the same file, each in a
// fresh process so peak memory is its own.
//   npm run bench -- ingest [--rows 10000000] [--users 500000] [--shuffled]
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { parse } from 'csv-parse';
import { ingestEvents } from '../src/index.js';
import { nodeSource } from '../src/node/file-source.js';
import { CRM_EVENTS } from '../src/demo/crm.js';
import { Random } from '../src/random.js';
import { fmt, fromRoot, machine, otherLoad, writeJson } from './harness.js';

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
}

export async function main(args: string[]) {
  const shuffled = args.includes('--shuffled');
  const file = option(args, 'file', fromRoot('bench', 'data', shuffled ? 'events10m-shuffled.csv' : 'events10m.csv'));
  if (args.includes('--child')) return child(option(args, 'child', 'ours'), file);
  const rows = Number(option(args, 'rows', '10000000')), users = Number(option(args, 'users', '500000'));
  if (!existsSync(file)) await generate(file, rows, users, shuffled);
  const run = (which: string) => {
    const r = spawnSync(process.execPath, [fromRoot('bench', 'run.mjs'), 'ingest', '--child', which, '--file', file], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  };
  const { result, otherLoad: load } = await otherLoad(() => {
    const out = { bare: [] as Record<string, number>[], ours: [] as Record<string, number>[] };
    for (let i = 0; i < 3; i++) { out.bare.push(run('bare')); out.ours.push(run('ours')); } // interleaved
    return out;
  });
  const median = (xs: Record<string, number>[], key: string) => xs.map((x) => x[key]!).sort((a, b) => a - b)[1]!;
  const bareRate = median(result.bare, 'rowsPerSecond'), ourRate = median(result.ours, 'rowsPerSecond');
  const ours = result.ours[0]!;
  const info = machine();
  console.log(`${(statSync(file).size / 2 ** 20).toFixed(0)} MiB, ${ours.rows} rows, ${ours.users} users × ${ours.events} events; ${info.cpu}, Node ${info.node}; median of 3 interleaved runs; other load ${load === undefined ? '?' : `${Math.round(load * 100)} %`}`);
  console.log('| reader | rows/s | peak RSS MiB |');
  console.log('|---|---:|---:|');
  console.log(`| csv-parse alone (stream, default options, records counted) | ${fmt(bareRate / 1e6, 2)} M | ${fmt(median(result.bare, 'peakRssMiB'), 0)} |`);
  console.log(`| personas ingest (parse, validate, aggregate, build the matrix) | ${fmt(ourRate / 1e6, 2)} M | ${fmt(median(result.ours, 'peakRssMiB'), 0)} |`);
  console.log(`\nours ÷ csv-parse: ${fmt(ourRate / bareRate)} (target ≥ 0.70); matrix ${fmt(ours.matrixMiB!, 0)} MiB; peak ${fmt(median(result.ours, 'peakRssMiB'), 0)} MiB against the bound 2 × matrix + 200 = ${fmt(2 * ours.matrixMiB! + 200, 0)} MiB`);
  writeJson(fromRoot('bench', 'results', `ingest-${Date.now()}.json`), { machine: info, file, otherLoad: load, ...result });
}

async function child(which: string, file: string) {
  const t0 = performance.now();
  let out: Record<string, number>;
  if (which === 'bare') {
    let n = 0;
    for await (const _ of createReadStream(file).pipe(parse())) n++;
    out = { rows: n - 1 };
  } else {
    const r = await ingestEvents(await nodeSource(file));
    out = { rows: r.summary.rowsRead, users: r.summary.users, events: r.summary.events, matrixMiB: r.counts.data.byteLength / 2 ** 20 };
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ ...out, seconds, rowsPerSecond: out.rows! / seconds, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
}

/**
 * A seeded raw event log as analytics tools export it: one row per event (user_id,event,timestamp),
 * in time order, users acting in sessions that interleave (300 at a time, ~12 events each), users
 * drawn with heavy-tailed activity, each favouring a few of the 40 demo events. With `shuffled`,
 * rows in random user order instead: no locality at all, the worst case for the user lookup.
 */
async function generate(file: string, rows: number, users: number, shuffled = false) {
  console.error(`generating ${file} (${rows} rows${shuffled ? ', random order' : ''})…`);
  const rng = new Random(10);
  const out = createWriteStream(file);
  out.write('user_id,event,timestamp\n');
  const sessions = Array.from({ length: 300 }, () => pickUser(rng, users));
  let time = Date.UTC(2024, 0, 1);
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const s = rng.nextInt(sessions.length);
    const u = shuffled ? rng.nextInt(users) : sessions[s]!;
    if (rng.nextFloat() < 1 / 12) sessions[s] = pickUser(rng, users);
    const e = (u * 7 + (rng.nextFloat() < 0.8 ? rng.nextInt(5) : rng.nextInt(CRM_EVENTS.length))) % CRM_EVENTS.length;
    time += rng.nextInt(400);
    chunk += `u${u},${CRM_EVENTS[e]},${new Date(time).toISOString()}\n`;
    if (chunk.length > 1 << 20) { if (!out.write(chunk)) await once(out, 'drain'); chunk = ''; }
  }
  out.end(chunk);
  await once(out, 'finish');
}

/** A user with heavy-tailed activity: low ids are drawn far more often. */
function pickUser(rng: Random, users: number): number {
  return Math.min(users - 1, Math.floor(users * rng.nextFloat() ** 2));
}
