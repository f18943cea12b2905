#!/usr/bin/env node
// Scale data: the demo CRM's users as one wide counts table (user_id + 40 event columns), generated
// 100,000 users at a time so that 10M users never sit in memory; also writes each user's planted
// persona (-1 for inactive users and outliers) to check what a fit recovers. Needs `npm run build`.
//   node bench/make-wide.mjs --users 10000000 --out bench/data/wide10m
//   # -> bench/data/wide10m.csv (905 MB at 10M users), bench/data/wide10m.planted.csv
import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { generateCrmDemo } from '../dist/index.js';

const { values } = parseArgs({ options: { users: { type: 'string', default: '10000000' }, out: { type: 'string' }, seed: { type: 'string', default: '1' } } });
if (!values.out) throw new Error('--out <path prefix> is required');
const users = Number(values.users), seed = Number(values.seed), block = 100_000;
const width = String(users - 1).length;

async function writeAll(path, rows) {
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp);
  for (const text of rows()) if (!out.write(text)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  await rename(tmp, path);
}

// Each block has its own seed (so its own slight variation of the persona profiles, as real cohorts do).
function* blocks() {
  for (let first = 0, b = 0; first < users; first += block, b++) {
    const data = generateCrmDemo({ users: Math.min(block, users - first), seed: seed * 100_003 + b });
    yield { first, data };
  }
}

let events;
const planted = [];
await writeAll(`${values.out}.csv`, function* () {
  for (const { first, data } of blocks()) {
    const m = data.events.length;
    if (!events) { events = data.events; yield `user_id,${events.join(',')}\n`; }
    const lines = [];
    for (let u = 0; u < data.users.length; u++) {
      const id = `u${String(first + u).padStart(width, '0')}`;
      lines.push(`${id},${Array.from(data.counts.subarray(u * m, (u + 1) * m)).join(',')}`);
      planted.push(data.planted[u]);
    }
    yield lines.join('\n') + '\n';
  }
});
await writeAll(`${values.out}.planted.csv`, function* () {
  yield 'user_id,planted\n';
  for (let first = 0; first < users; first += block) {
    const lines = [];
    for (let u = first; u < Math.min(first + block, users); u++) lines.push(`u${String(u).padStart(width, '0')},${planted[u]}`);
    yield lines.join('\n') + '\n';
  }
});
console.log(`wrote ${users.toLocaleString('en-US')} users to ${values.out}.csv and ${values.out}.planted.csv`);
