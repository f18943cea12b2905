// Shared benchmark plumbing: timing with benchmark.js (warm-up, many samples, median and spread),
// the machine's description, and a check that the machine was quiet while measuring.
import Benchmark from 'benchmark';
import { cpus, totalmem } from 'node:os';
import { readFileSync, mkdirSync, writeFileSync, renameSync } from 'node:fs';

export interface Timing {
  /** median seconds per call */
  median: number;
  /** relative margin of error (%), benchmark.js */
  rme: number;
  samples: number;
}

/** Times fn with benchmark.js: it calibrates, warms up (so WebAssembly is tiered up) and samples. */
export function time(name: string, fn: () => void, maxTime = 1.5): Timing {
  const bench = new Benchmark(name, fn, { minSamples: 5, maxTime, initCount: 2 });
  bench.run();
  if (bench.error) throw bench.error;
  const sample = [...bench.stats.sample].sort((a, b) => a - b);
  const median = sample[Math.floor(sample.length / 2)]!;
  return { median, rme: bench.stats.rme, samples: sample.length };
}

/** CPU ticks of the whole machine from /proc/stat (USER_HZ = 100 per second per core). */
function procStat(): { idle: number; total: number } | undefined {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return { idle: f[3]! + (f[4] ?? 0), total: f.reduce((a, b) => a + b, 0) };
  } catch {
    return undefined;
  }
}

/** CPU ticks used by this process and the children it has waited for (/proc/self/stat). */
function ownTicks(): number | undefined {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ').map(Number);
    return f[11]! + f[12]! + f[13]! + f[14]!; // utime stime cutime cstime (fields 14–17)
  } catch {
    return undefined;
  }
}

/**
 * Measures how busy *other* processes keep the machine while `fn` runs: (busy ticks − this process's
 * CPU time) / all ticks, 0..1. Benchmarks on a shared 2-core VM are only trusted when this is low.
 */
export async function otherLoad<T>(fn: () => Promise<T> | T): Promise<{ result: T; otherLoad: number | undefined }> {
  const a = procStat(), ua = ownTicks();
  const result = await fn();
  const b = procStat(), ub = ownTicks();
  if (!a || !b || ua === undefined || ub === undefined) return { result, otherLoad: undefined };
  const own = ub - ua;
  const busy = b.total - a.total - (b.idle - a.idle);
  return { result, otherLoad: Math.max(0, (busy - own) / Math.max(1, b.total - a.total)) };
}

export function machine() {
  const c = cpus();
  return {
    cpu: c[0]?.model ?? 'unknown',
    cores: c.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    date: new Date().toISOString(),
  };
}

/** Writes JSON atomically (temp file, then rename). */
export function writeJson(path: string, value: unknown): void {
  mkdirSync(path.replace(/\/[^/]*$/, ''), { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify(value, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
}

export function fmt(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '–';
}

/** The repository root (set by bench/run.mjs), for paths to build/ and bench/results/. */
export function fromRoot(...parts: string[]): string {
  const root = process.env.PERSONAS_ROOT;
  if (!root) throw new Error('run benchmarks through bench/run.mjs (npm run bench -- <suite>)');
  return [root, ...parts].join('/');
}
