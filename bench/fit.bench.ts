// Whole fits on gen_personas data (log1p counts, k = 7), ours against scikit-learn in the same run:
// time per iteration (the iteration loop alone, the difference of a long and a short run so fixed
// costs cancel, median of three), time to converge (whole fit, tol 1e-4, same stopping rules), and
// peak memory. Every fit runs in a fresh process.
//   /usr/bin/python3 bench/make_data.py --users 100000 --out bench/data/u100k
//   npm run bench -- fit --data bench/data/u100k [--no-sklearn] [--cases hals,mu,kl] [--short 5 --long 25]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fitNmf, type NmfOptions } from '../src/index.js';
import { fmt, fromRoot, machine, otherLoad, writeJson } from './harness.js';

const CASES = {
  hals: { solver: 'hals', loss: 'frobenius', sklearn: ['cd', 'frobenius'] },
  mu: { solver: 'mu', loss: 'frobenius', sklearn: ['mu', 'frobenius'] },
  kl: { solver: 'mu', loss: 'kl', sklearn: ['mu', 'kullback-leibler'] },
} as const;

interface RunResult {
  tool: string;
  seconds: number;
  /** the iteration loop alone */
  loopSeconds: number;
  iterations: number;
  reconstructionError: number;
  peakRssMiB: number;
  rssAfterLoadMiB: number;
  dataMiB: number;
}

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
}

export async function main(args: string[]) {
  if (args.includes('--child')) return child(args);
  const data = option(args, 'data', 'bench/data/u100k');
  const dataPath = fromRoot(data);
  if (!existsSync(`${dataPath}.f32`)) {
    throw new Error(`${data}.f32 is missing; make it with: /usr/bin/python3 bench/make_data.py --users 100000 --out ${data}`);
  }
  const meta = JSON.parse(readFileSync(`${dataPath}.json`, 'utf8'));
  const cases = option(args, 'cases', 'hals,mu,kl').split(',') as (keyof typeof CASES)[];
  const short = Number(option(args, 'short', '5')), long = Number(option(args, 'long', '45'));
  const maxIter = Number(option(args, 'max-iter', '1000'));
  const threads = option(args, 'threads', '1');
  const withSklearn = !args.includes('--no-sklearn') && spawnSync('/usr/bin/python3', ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0;

  const ours = (c: keyof typeof CASES, iters: number, tol: number, _loopOnly = false) =>
    runJson(process.execPath, [fromRoot('bench', 'run.mjs'), 'fit', '--child', '--data', dataPath, '--solver', CASES[c].solver, '--loss', CASES[c].loss, '--max-iter', String(iters), '--tol', String(tol)]);
  const theirs = (c: keyof typeof CASES, iters: number, tol: number, loopOnly = false) =>
    runJson('/usr/bin/python3', [fromRoot('bench', 'sklearn_fit.py'), '--data', dataPath, '--solver', CASES[c].sklearn[0], '--loss', CASES[c].sklearn[1], '--max-iter', String(iters), '--tol', String(tol), '--threads', threads, ...(loopOnly ? ['--loop-only'] : [])]);

  const rows: Record<string, unknown>[] = [];
  const { otherLoad: load } = await otherLoad(() => {
    for (const c of cases) {
      const tools = [['ours', ours] as const, ...(withSklearn ? [['sklearn', theirs] as const] : [])];
      const row: Record<string, unknown> = { case: `${CASES[c].solver}/${CASES[c].loss}` };
      for (const [name, run] of tools) {
        const perIteration = [0, 1, 2].map(() => {
          const a = run(c, short, 0, true), b = run(c, long, 0, true);
          return ((b.loopSeconds - a.loopSeconds) / (long - short)) * 1000;
        }).sort((x, y) => x - y)[1]!;
        const converge = run(c, maxIter, 1e-4);
        row[name] = {
          msPerIteration: perIteration,
          convergeSeconds: converge.seconds,
          convergeIterations: converge.iterations,
          reconstructionError: converge.reconstructionError,
          peakRssMiB: converge.peakRssMiB,
          extraMiB: converge.peakRssMiB - converge.rssAfterLoadMiB,
          tool: converge.tool,
        };
        console.error(`${row.case} ${name}: ${JSON.stringify(row[name])}`);
      }
      rows.push(row);
    }
  });

  const info = machine();
  console.log(`\n${meta.rows} users × ${meta.cols} events (gen_personas, log1p), k = ${meta.k ?? 7}, init nndsvda, float32; ${info.cpu}, Node ${info.node}; scikit-learn with ${threads} BLAS thread(s)`);
  console.log(`load from other processes during the run: ${load === undefined ? 'unknown' : `${(load * 100).toFixed(0)} %`}\n`);
  console.log('| solver/loss | ms/iteration ours | sklearn | ratio | converge s (iterations) ours | sklearn | ratio | peak RSS MiB (extra beyond the loaded data) ours | sklearn |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const o = r.ours as Record<string, number>, s = r.sklearn as Record<string, number> | undefined;
    console.log(`| ${r.case} | ${fmt(o.msPerIteration!, 1)} | ${s ? fmt(s.msPerIteration!, 1) : '–'} | ${s ? fmt(o.msPerIteration! / s.msPerIteration!) : '–'} | ${fmt(o.convergeSeconds!)} (${o.convergeIterations}) | ${s ? `${fmt(s.convergeSeconds!)} (${s.convergeIterations})` : '–'} | ${s ? fmt(o.convergeSeconds! / s.convergeSeconds!) : '–'} | ${fmt(o.peakRssMiB!, 0)} (${fmt(o.extraMiB!, 0)}) | ${s ? `${fmt(s.peakRssMiB!, 0)} (${fmt(s.extraMiB!, 0)})` : '–'} |`);
  }
  writeJson(fromRoot('bench', 'results', `fit-${meta.rows}-${Date.now()}.json`), { machine: info, data: meta, otherLoad: load, rows });
}

function runJson(cmd: string, argv: string[]): RunResult {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

/** One fit in this (fresh) process, printed as JSON. */
async function child(args: string[]) {
  const data = option(args, 'data', '');
  const meta = JSON.parse(readFileSync(`${data}.json`, 'utf8'));
  const bytes = readFileSync(`${data}.f32`);
  const x = new Float32Array(bytes.buffer, bytes.byteOffset, meta.rows * meta.cols);
  const rssAfterLoad = process.memoryUsage().rss;
  const options: NmfOptions = {
    k: meta.k ?? 7, solver: option(args, 'solver', 'hals') as NmfOptions['solver'], loss: option(args, 'loss', 'frobenius') as NmfOptions['loss'],
    maxIter: Number(option(args, 'max-iter', '200')), tol: Number(option(args, 'tol', '1e-4')),
    init: 'nndsvda', traceEvery: 0, refineW: false, // scikit-learn's semantics: no trace, the loop's W
  };
  const t0 = performance.now();
  const r = await fitNmf({ rows: meta.rows, cols: meta.cols, data: x }, options);
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({
    tool: `personas (${r.simd ? 'SIMD' : 'scalar'})`, seconds, loopSeconds: r.timings.iterateSeconds, iterations: r.iterations, reconstructionError: r.reconstructionError,
    peakRssMiB: process.resourceUsage().maxRSS / 1024, rssAfterLoadMiB: rssAfterLoad / 2 ** 20, dataMiB: x.byteLength / 2 ** 20,
  }));
}
