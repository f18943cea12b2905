// Kernel threads: time per iteration of a fit with 1 and with N threads on the same data, interleaved
// (1, N, 1, N) so a change in the machine's load hits both, plus a check that the factors are
// bit-identical. Trust it only when the other-load figure is near 0 (a shared 2-vCPU VM).
//   npm run bench -- threads [--users 1000000] [--threads 2] [--iterations 30]
import { fitNmf, type NmfSolver, type NmfLoss } from '../src/index.js';
import { createKernelPool } from '../src/node/kernel-pool.js';
import { Random } from '../src/random.js';
import { fromRoot, machine, otherLoad, writeJson } from './harness.js';
import { log1pCounts } from './inputs.js';

export async function main(args: string[]) {
  const arg = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
  const n = arg('--users', 1_000_000), threads = arg('--threads', 2), iterations = arg('--iterations', 30), m = 40, k = 7;
  const rng = new Random(3);
  const V = { rows: n, cols: m, data: log1pCounts(rng, n * m) };
  const pool = createKernelPool(threads);
  const rows: { solver: string; loss: string; one: number[]; many: number[]; identical: boolean }[] = [];
  const { otherLoad: load } = await otherLoad(async () => {
    for (const [solver, loss] of [['hals', 'frobenius'], ['mu', 'frobenius'], ['mu', 'kl']] as [NmfSolver, NmfLoss][]) {
      const row = { solver, loss, one: [] as number[], many: [] as number[], identical: true };
      let first: Float32Array | undefined;
      for (const withPool of [false, true, false, true]) {
        const times: number[] = [];
        let last: number | undefined;
        const fit = await fitNmf(V, {
          k, seed: 1, solver, loss, maxIter: iterations, tol: 0, refineW: false, traceEvery: 0, pool: withPool ? pool : undefined,
          onIteration: () => { const t = performance.now(); if (last !== undefined) times.push(t - last); last = t; },
        });
        times.sort((a, b) => a - b);
        (withPool ? row.many : row.one).push(times[times.length >> 1]!);
        if (!first) first = fit.H.data;
        else row.identical &&= fit.H.data.every((x, i) => x === first![i]);
      }
      rows.push(row);
    }
  });
  await pool.close();
  const info = machine();
  console.log(`\n${info.cpu}, ${info.cores} cores, Node ${info.node}; ${n.toLocaleString('en-US')} users × ${m} events, k = ${k}; median ms per iteration of ${iterations}`);
  console.log(`load from other processes during the run: ${load === undefined ? 'unknown' : `${Math.round(100 * load)} % of all cores`}\n`);
  console.log(`| solver / loss | 1 thread | ${threads} threads | speed-up | H identical |\n|---|---:|---:|---:|---|`);
  for (const r of rows) {
    const one = Math.min(...r.one), many = Math.min(...r.many);
    console.log(`| ${r.solver} / ${r.loss} | ${one.toFixed(1)} ms (${r.one.map((x) => x.toFixed(1)).join(', ')}) | ${many.toFixed(1)} ms (${r.many.map((x) => x.toFixed(1)).join(', ')}) | ${(one / many).toFixed(2)}× | ${r.identical ? 'yes' : 'NO'} |`);
  }
  writeJson(fromRoot('bench', 'results', `threads-${Date.now()}.json`), { machine: info, otherLoad: load, users: n, threads, iterations, rows });
}
