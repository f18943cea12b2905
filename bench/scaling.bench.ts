// How fits scale: users 10k → 10M at 40 events (dense), and events 40 → 4,000 at 100k users (sparse,
// 20 events per user), HALS, k = 7: median ms per iteration on 1 and 2 threads, and the WebAssembly
// memory the problem takes. (Whole 10M-user runs from a CSV, in memory and streamed: bench/README.md.)
//   npm run bench -- scaling [--iterations 20] [--max-users 10000000]
import { fitNmf } from '../src/index.js';
import { createKernelPool } from '../src/node/kernel-pool.js';
import { NmfProblem } from '../src/nmf/problem.js';
import { checkMatrix } from '../src/nmf/check.js';
import { Random } from '../src/random.js';
import { fromRoot, machine, otherLoad, writeJson } from './harness.js';
import { log1pCounts } from './inputs.js';

export async function main(args: string[]) {
  const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
  const iterations = option('--iterations', 20), maxUsers = option('--max-users', 10_000_000);
  const pool = createKernelPool(2);
  const rows: Record<string, unknown>[] = [];
  const perIteration = async (V: Parameters<typeof fitNmf>[0], withPool: boolean) => {
    const times: number[] = [];
    let last: number | undefined;
    await fitNmf(V, { k: 7, seed: 1, maxIter: iterations, tol: 0, refineW: false, traceEvery: 0, pool: withPool ? pool : undefined,
      onIteration: () => { const t = performance.now(); if (last !== undefined) times.push(t - last); last = t; } });
    times.sort((a, b) => a - b);
    return times[times.length >> 1]!;
  };
  const { otherLoad: load } = await otherLoad(async () => {
    for (const n of [10_000, 100_000, 1_000_000, 10_000_000].filter((n) => n <= maxUsers)) {
      const rng = new Random(5);
      const V = { rows: n, cols: 40, data: log1pCounts(rng, n * 40) };
      const bytes = NmfProblem.bytesNeeded(checkMatrix(V, 'V'), 7, 2);
      rows.push({ shape: `${n.toLocaleString('en-US')} × 40 dense`, one: await perIteration(V, false), two: await perIteration(V, true), wasmMiB: bytes / 2 ** 20 });
    }
    for (const m of [40, 400, 4000]) {
      const n = 100_000, rng = new Random(6);
      const indptr = new Int32Array(n + 1), indices: number[] = [], data: number[] = [];
      for (let r = 0; r < n; r++) {
        const picked = new Set<number>();
        while (picked.size < Math.min(20, m)) picked.add(rng.nextInt(m));
        for (const j of [...picked].sort((a, b) => a - b)) { indices.push(j); data.push(1 + rng.nextInt(9)); }
        indptr[r + 1] = indices.length;
      }
      const V = { format: 'csr' as const, rows: n, cols: m, indptr, indices: Int32Array.from(indices), data: Float32Array.from(data) };
      const bytes = NmfProblem.bytesNeeded(checkMatrix(V, 'V'), 7, 2);
      rows.push({ shape: `100,000 × ${m} sparse (20 per user)`, one: await perIteration(V, false), two: await perIteration(V, true), wasmMiB: bytes / 2 ** 20 });
    }
  });
  await pool.close();
  const info = machine();
  console.log(`\n${info.cpu}, ${info.cores} cores, Node ${info.node}; HALS, k = 7, median ms per iteration of ${iterations}; other load ${load === undefined ? 'unknown' : `${Math.round(100 * load)} %`}\n`);
  console.log('| users × events | 1 thread | 2 threads | WebAssembly memory |\n|---|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.shape} | ${(r.one as number).toFixed(2)} ms | ${(r.two as number).toFixed(2)} ms | ${(r.wasmMiB as number).toFixed(0)} MiB |`);
  writeJson(fromRoot('bench', 'results', `scaling-${Date.now()}.json`), { machine: info, otherLoad: load, iterations, rows });
}
