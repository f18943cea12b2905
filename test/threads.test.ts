// Kernel threads: the row passes of a fit spread over worker threads that share the WebAssembly
// memory. Chunks are fixed and their partial sums are added in chunk order, so 1 and 2 threads give
// bit-identical factors — dense and sparse, every solver and loss, fits and transforms — and the CLI
// writes identical assignments with --threads 1 and 2.
import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitNmf, transformNmf, type NmfLoss, type NmfSolver } from '../src/index.js';
import { createKernelPool } from '../src/node/kernel-pool.js';
import { CHUNK_ROWS } from '../src/nmf/problem.js';
import { Random } from '../src/random.js';
import { main } from '../src/cli/main.js';
import { capture } from './cli-helpers.js';
import { randomCsr } from './helpers.js';

const pool = createKernelPool(2);
afterAll(() => pool.close());

const rows = 2 * CHUNK_ROWS + 777; // three chunks, the last one short
const rng = new Random(11);
const dense = { rows, cols: 40, data: Float32Array.from({ length: rows * 40 }, () => (rng.nextFloat() < 0.4 ? 0 : Math.log1p(rng.nextInt(30)))) };
const csr = randomCsr(new Random(12), rows, 300, 0.03);

describe('1 and 2 threads give bit-identical results', () => {
  const cases: [string, NmfSolver, NmfLoss, 'dense' | 'csr'][] = [
    ['HALS, dense', 'hals', 'frobenius', 'dense'],
    ['MU Frobenius, dense', 'mu', 'frobenius', 'dense'],
    ['MU KL, dense', 'mu', 'kl', 'dense'],
    ['HALS, sparse', 'hals', 'frobenius', 'csr'],
    ['MU KL, sparse', 'mu', 'kl', 'csr'],
  ];
  for (const [name, solver, loss, format] of cases) {
    test(name, async () => {
      const V = format === 'dense' ? dense : { format: 'csr' as const, ...csr };
      const options = { k: 7, seed: 3, solver, loss, maxIter: 40 };
      const one = await fitNmf(V, options);
      const two = await fitNmf(V, { ...options, pool });
      expect(one.threads).toBe(1);
      expect(two.threads).toBe(2);
      expect(two.iterations).toBe(one.iterations);
      expect(two.reconstructionError).toBe(one.reconstructionError);
      expect(Buffer.from(two.W.data.buffer).equals(Buffer.from(one.W.data.buffer))).toBe(true);
      expect(Buffer.from(two.H.data.buffer).equals(Buffer.from(one.H.data.buffer))).toBe(true);
      expect(two.lossTrace).toEqual(one.lossTrace);
    });
  }

  test('transformNmf', async () => {
    const fit = await fitNmf(dense, { k: 5, seed: 1, maxIter: 30 });
    const one = await transformNmf(dense, fit.H);
    const two = await transformNmf(dense, fit.H, { pool });
    expect(Buffer.from(two.W.data.buffer).equals(Buffer.from(one.W.data.buffer))).toBe(true);
    expect(two.reconstructionError).toBe(one.reconstructionError);
  });

  test('a matrix of one chunk runs in this thread (nothing to share)', async () => {
    const small = { rows: 500, cols: 40, data: dense.data.subarray(0, 500 * 40) };
    expect((await fitNmf(small, { k: 4, pool })).threads).toBe(1);
  });
});

test('personas fit --threads 1 and --threads 2 write the same assignments and model', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'personas-threads-'));
  const data = new URL('./fixtures/gen_personas/users20k-k7-seed11.events.csv.gz', import.meta.url).pathname;
  for (const t of ['1', '2']) {
    expect(await main(['fit', data, '-k', '7', '--threads', t, '--quiet', '--assignments', join(dir, `a${t}.csv`), '--model', join(dir, `m${t}.json`), '--json'], capture())).toBe(0);
  }
  expect(readFileSync(join(dir, 'a2.csv'), 'utf8')).toBe(readFileSync(join(dir, 'a1.csv'), 'utf8'));
  expect(JSON.parse(readFileSync(join(dir, 'm2.json'), 'utf8')).H).toEqual(JSON.parse(readFileSync(join(dir, 'm1.json'), 'utf8')).H);
}, 120_000);
