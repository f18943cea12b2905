#!/usr/bin/env node
// bench:check — fails (exit 1) when a kernel got slower: compares each kernel's speed relative to its
// plain-TypeScript reference, measured in one run, with the committed baseline (bench/baseline.json).
// Ratios, not times, so the baseline holds from machine to machine.
//   npm run bench:check                        measure now, then compare
//   npm run bench:check -- --results FILE      compare a result written by `npm run bench`
//   options: --max-slowdown 1.5 (a ratio this many times below the baseline fails), --kernels a,b
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const maxSlowdown = Number(opt('--max-slowdown', '1.5'));
const baseline = JSON.parse(readFileSync(opt('--baseline', join(root, 'bench', 'baseline.json')), 'utf8'));
let resultsFile = opt('--results');
if (!resultsFile) {
  resultsFile = join(mkdtempSync(join(tmpdir(), 'personas-bench-')), 'regression.json');
  const kernels = opt('--kernels');
  execFileSync(process.execPath, [join(root, 'bench', 'run.mjs'), 'regression', '--out', resultsFile, ...(kernels ? ['--kernels', kernels] : [])], { stdio: ['ignore', 'ignore', 'inherit'] });
}
const now = JSON.parse(readFileSync(resultsFile, 'utf8'));

const failures = [];
console.log(`kernel speed ÷ plain TypeScript, now vs baseline (${baseline.machine.cpu}, ${baseline.machine.date.slice(0, 10)}); fails below baseline ÷ ${maxSlowdown}`);
console.log('| kernel | baseline | now | change | |\n|---|---:|---:|---:|---|');
for (const [name, r] of Object.entries(now.kernels)) {
  const b = baseline.kernels[name];
  if (!b) { console.log(`| ${name} | – | ${r.ratio.toFixed(1)}× | | not in the baseline |`); continue; }
  const change = r.ratio / b.ratio;
  const bad = change < 1 / maxSlowdown;
  if (bad) failures.push(`${name}: ${r.ratio.toFixed(1)}× now vs ${b.ratio.toFixed(1)}× in the baseline (${(1 / change).toFixed(2)}× slower)`);
  console.log(`| ${name} | ${b.ratio.toFixed(1)}× | ${r.ratio.toFixed(1)}× | ${(100 * (change - 1)).toFixed(0)} % | ${bad ? '**slower**' : 'ok'} |`);
}
if (now.otherLoad > 0.25) console.log(`note: other processes used ${Math.round(100 * now.otherLoad)} % of the machine during the run; timings are noisy`);
if (failures.length) {
  console.error(`bench:check failed: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('bench:check passed');
