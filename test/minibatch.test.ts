// Mini-batch NMF (scikit-learn's MiniBatchNMF semantics) and fit --mini-batch, which streams a counts
// table in memory bounded by a batch: the same personas as the in-memory fit, and clear refusals.
import { describe, expect, test } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adjustedRandIndex, assignPersonas, fitNmf, fitTransform, generateCrmDemo, transformNmf } from '../src/index.js';
import { MiniBatchNmf } from '../src/nmf/minibatch.js';
import { parseModel } from '../src/model/model.js';
import { main } from '../src/cli/main.js';
import { capture } from './cli-helpers.js';

const demo = generateCrmDemo({ users: 30_000, seed: 4 });
const m = demo.events.length;
const { matrix } = fitTransform('share', { format: 'dense', rows: demo.users.length, cols: m, data: demo.counts });

async function run(loss: 'frobenius' | 'kl', batchSize = 1024) {
  const start = await fitNmf({ rows: 5000, cols: m, data: matrix.data.subarray(0, 5000 * m) }, { k: 7, seed: 0, loss, solver: loss === 'kl' ? 'mu' : 'hals' });
  const online = new MiniBatchNmf(start.H.data, m, { k: 7, loss, users: matrix.rows, batchSize });
  const costs: number[] = [];
  for (let epoch = 0; epoch < 10 && !online.converged; epoch++) {
    for (let s = 0; s < matrix.rows && !online.converged; s += batchSize) {
      const rows = Math.min(batchSize, matrix.rows - s);
      costs.push(await online.step({ rows, cols: m, data: matrix.data.subarray(s * m, (s + rows) * m) }));
    }
  }
  return { online, costs };
}

describe('MiniBatchNmf', () => {
  test('Frobenius: the personas of the in-memory fit, every cost and H finite, deterministic', async () => {
    const full = await fitNmf(matrix, { k: 7, seed: 0 });
    const fullPersona = (await assignPersonas(full.W, full.H)).persona;
    const { online, costs } = await run('frobenius');
    expect(online.converged).toBe(true);
    expect(costs.every(Number.isFinite)).toBe(true);
    expect(online.H.every((h) => Number.isFinite(h) && h >= 0)).toBe(true);
    const H = { rows: 7, cols: m, data: online.H };
    const persona = (await assignPersonas((await transformNmf(matrix, H)).W, H)).persona;
    expect(adjustedRandIndex(persona, fullPersona)).toBeGreaterThan(0.98);
    const again = await run('frobenius');
    expect(Buffer.from(again.online.H.buffer).equals(Buffer.from(online.H.buffer))).toBe(true);
  });

  test('KL: runs to a stop with finite, non-negative H', async () => {
    const { online, costs } = await run('kl', 2048);
    expect(online.steps).toBeGreaterThan(1);
    expect(costs.every(Number.isFinite)).toBe(true);
    expect(online.H.every((h) => Number.isFinite(h) && h >= 0)).toBe(true);
  });

  test('a starting H of the wrong shape is refused', () => {
    expect(() => new MiniBatchNmf(new Float32Array(5), m, { k: 7, users: 10 })).toThrow(/starting H has 5 values; expected 7 × 40/);
  });
});

describe('personas fit --mini-batch', () => {
  const dir = mkdtempSync(join(tmpdir(), 'personas-minibatch-'));
  const wide = join(dir, 'counts.csv');
  writeFileSync(wide, 'user_id,' + demo.events.join(',') + '\n' + demo.users.map((u, i) => `${u},${Array.from(demo.counts.subarray(i * m, (i + 1) * m)).join(',')}`).join('\n') + '\n');

  test('streams a counts table: the same persona as the in-memory fit for ≥ 99 % of users; a model assign can use', async () => {
    const io = capture();
    expect(await main(['fit', wide, '-k', '7', '--mini-batch', '--json', '--quiet', '--assignments', join(dir, 'mb.csv'), '--model', join(dir, 'mb.json')], io)).toBe(0);
    expect(await main(['fit', wide, '-k', '7', '--quiet', '--assignments', join(dir, 'full.csv')], capture())).toBe(0);
    const read = (f: string) => new Map(readFileSync(join(dir, f), 'utf8').trim().split('\n').slice(1).map((l) => [l.split(',')[0]!, l.split(',')[1]!] as const));
    const mb = read('mb.csv'), full = read('full.csv');
    expect(mb.size).toBe(full.size);
    const ids = [...full.keys()];
    const same = ids.filter((u) => mb.get(u) === full.get(u)).length;
    expect(same / ids.length).toBeGreaterThanOrEqual(0.99);
    const model = parseModel(readFileSync(join(dir, 'mb.json'), 'utf8'));
    expect(model.miniBatch).toMatchObject({ batchSize: 1024 });
    expect(model.calibration!.residualThreshold).toBeGreaterThan(0);
    expect(JSON.parse(io.out).personas.reduce((s: number, p: { users: number }) => s + p.users, 0) + model.input.usersSetAside).toBe(demo.users.length);
    expect(await main(['assign', '--model', join(dir, 'mb.json'), wide, '--out', join(dir, 'again.csv'), '--quiet'], capture())).toBe(0);
    const again = read('again.csv');
    expect(ids.filter((u) => again.get(u) === mb.get(u)).length).toBe(ids.length);
  }, 60_000);

  test('refusals exit 2 and write nothing', async () => {
    const events = join(dir, 'events.csv');
    writeFileSync(events, 'user_id,event,count\nu1,a,2\nu2,b,1\n');
    const out = join(dir, 'never.csv');
    const cases: [string[], RegExp][] = [
      [['fit', events, '-k', '2', '--mini-batch', '--assignments', out], /--mini-batch streams a counts table[^]*personas sql/],
      [['fit', wide, '-k', 'auto', '--mini-batch', '--assignments', out], /--mini-batch needs a fixed -k/],
      [['fit', wide, '-k', '7', '--mini-batch', '--cohorts', join(dir, 'c'), '--assignments', out], /--cohorts is not available with --mini-batch/],
    ];
    for (const [args, message] of cases) {
      const io = capture();
      expect(await main(args, io), args.join(' ')).toBe(2);
      expect(io.err).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
  });
});
