// Mini-batch NMF (scikit-learn's MiniBatchNMF semantics), fit --mini-batch and fit --sample, which
// stream a counts table in memory bounded by a sample and a batch: the same personas as the in-memory
// fit, a sample that does not depend on the file's order, and clear refusals.
import { describe, expect, test } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adjustedRandIndex, assignPersonas, fitNmf, fitTransform, generateCrmDemo, transformNmf } from '../src/index.js';
import { MiniBatchNmf } from '../src/nmf/minibatch.js';
import { parseModel } from '../src/model/model.js';
import { main } from '../src/cli/main.js';
import { capture } from './cli-helpers.js';
import { refuseRepeatedUsers } from '../src/cli/streamed-fit.js';
import { fingerprint } from '../src/ingest/id-fingerprints.js';
import { nodeSource } from '../src/node/file-source.js';

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
    expect(model.miniBatch).toMatchObject({ batchSize: 1024, sampleUsers: 20_480 });
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
      [['fit', events, '-k', '2', '--sample', '100', '--assignments', out], /--sample streams a counts table[^]*personas sql/],
      [['fit', wide, '-k', '7', '--mini-batch', '--sample', '100', '--assignments', out], /--mini-batch and --sample [^]*choose one/],
      [['fit', wide, '-k', '7', '--sample', '1', '--assignments', out], /--sample/],
      [['fit', wide, '-k', '7', '--sample', '5', '--assignments', out], /k = 7 is more than the 5 sampled users/],
      [['fit', wide, '-k', 'auto', '--sample', '500', '--names', events, '--assignments', out], /--names needs a fixed -k/],
      [['fit', '-', '-k', '7', '--sample', '500', '--assignments', out], /--sample reads its input several times/],
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

describe('personas fit --sample', () => {
  const dir = mkdtempSync(join(tmpdir(), 'personas-sample-'));
  const table = (order: number[]) => 'user_id,' + demo.events.join(',') + '\n' + order.map((i) => `${demo.users[i]},${Array.from(demo.counts.subarray(i * m, (i + 1) * m)).join(',')}`).join('\n') + '\n';
  const wide = join(dir, 'counts.csv');
  writeFileSync(wide, table(demo.users.map((_, i) => i)));
  const read = (f: string) => new Map(readFileSync(join(dir, f), 'utf8').trim().split('\n').slice(1).map((l) => [l.split(',')[0]!, Number(l.split(',')[1]!)] as const));

  test('H from a seeded sample of 6,000 users: the in-memory personas (ARI > 0.98), deterministic, and a model assign reproduces', async () => {
    const fit = (out: string, seed: string) => main(['fit', wide, '-k', '7', '--sample', '6000', '--seed', seed, '--quiet', '--assignments', join(dir, `${out}.csv`), '--model', join(dir, `${out}.json`)], capture());
    expect(await fit('s0', '0')).toBe(0);
    expect(await fit('s0-again', '0')).toBe(0);
    expect(await fit('s1', '1')).toBe(0);
    expect(await main(['fit', wide, '-k', '7', '--quiet', '--assignments', join(dir, 'full.csv')], capture())).toBe(0);
    expect(readFileSync(join(dir, 's0-again.csv'), 'utf8')).toBe(readFileSync(join(dir, 's0.csv'), 'utf8'));
    const s0 = read('s0.csv'), s1 = read('s1.csv'), full = read('full.csv');
    const ids = [...full.keys()];
    const persona = (s: Map<string, number>) => Int32Array.from(ids, (u) => s.get(u)!);
    // Another sample may number the same personas differently: compare partitions.
    expect(adjustedRandIndex(persona(s0), persona(full))).toBeGreaterThan(0.98);
    const model0 = parseModel(readFileSync(join(dir, 's0.json'), 'utf8')), model1 = parseModel(readFileSync(join(dir, 's1.json'), 'utf8'));
    expect(model0.sample).toEqual({ users: 6000, seed: 0 });
    expect(model0.miniBatch).toBeUndefined();
    expect(model1.H).not.toEqual(model0.H); // another seed, another sample
    expect(adjustedRandIndex(persona(s1), persona(s0))).toBeGreaterThan(0.95);
    expect(await main(['assign', '--model', join(dir, 's0.json'), wide, '--out', join(dir, 'again.csv'), '--quiet'], capture())).toBe(0);
    const again = read('again.csv');
    expect(ids.every((u) => again.get(u) === s0.get(u))).toBe(true);
  }, 60_000);

  test('a sample of at least every user is the in-memory fit: the same H bit for bit, the same assignments', async () => {
    expect(await main(['fit', wide, '-k', '7', '--sample', '1000000', '--quiet', '--assignments', join(dir, 'all.csv'), '--model', join(dir, 'all.json')], capture())).toBe(0);
    expect(await main(['fit', wide, '-k', '7', '--quiet', '--assignments', join(dir, 'memory.csv'), '--model', join(dir, 'memory.json')], capture())).toBe(0);
    const all = parseModel(readFileSync(join(dir, 'all.json'), 'utf8')), memory = parseModel(readFileSync(join(dir, 'memory.json'), 'utf8'));
    expect(all.H).toEqual(memory.H);
    expect(all.sample!.users).toBe(memory.input.users); // users with no event are set aside by both
    // The streamed file keeps the input's order; the in-memory one lists set-aside users last.
    const rows = (f: string) => readFileSync(join(dir, f), 'utf8').trim().split('\n').sort();
    expect(rows('all.csv')).toEqual(rows('memory.csv'));
  }, 60_000);

  test.each([
    ['tfidf', ['--transform', 'tfidf']],
    ['top events and tfidf', ['--top-events', '10', '--transform', 'tfidf']],
    ['excluded events and log1p', ['--exclude-events', 'deal_added,deal_updated,lead_added', '--transform', 'log1p']],
    ['listed events, one missing', ['--events', 'person_added,organization_added,mobile_deal_viewed,goal_set,no_such_event']],
  ])('with %s, a sample of every user is still the in-memory fit, and the input summary is the same', async (_, options) => {
    const fit = async (extra: string[]) => {
      const io = capture();
      expect(await main(['fit', wide, '-k', '4', ...options, '--json', '--quiet', ...extra], io)).toBe(0);
      return JSON.parse(io.out) as { input: Record<string, unknown>; transform: unknown; personas: { users: number }[] };
    };
    const streamed = await fit(['--sample', '1000000']), memory = await fit([]);
    expect(streamed.transform).toEqual(memory.transform);
    expect(streamed.personas).toEqual(memory.personas);
    for (const field of ['users', 'usersWithoutSelectedEvents', 'events', 'eventsDropped', 'nonzeros', 'density', 'warnings']) {
      expect(streamed.input[field], field).toEqual(memory.input[field]);
    }
  }, 60_000);

  test('a user on two rows is refused, naming both lines; nothing is written', async () => {
    const twice = join(dir, 'twice.csv');
    const lines = readFileSync(wide, 'utf8').trim().split('\n');
    writeFileSync(twice, [...lines, lines[3]!.replace(/,\d+/, ',7')].join('\n') + '\n');
    const io = capture();
    expect(await main(['fit', twice, '-k', '7', '--sample', '2000', '--assignments', join(dir, 'twice-out.csv'), '--model', join(dir, 'twice.json')], io)).toBe(2);
    expect(io.err).toContain(`twice.csv:${lines.length + 1}: user "${demo.users[2]}" has a second row (the first is line 4); --sample needs one row per user`);
    expect(existsSync(join(dir, 'twice-out.csv')) || existsSync(join(dir, 'twice.json'))).toBe(false);
  }, 60_000);

  test('candidate fingerprints of different ids (a collision) are let through; only equal ids are refused', async () => {
    const source = await nodeSource(wide);
    const [a, b] = [demo.users[10]!, demo.users[20]!];
    // As if the two ids had shared one fingerprint: both are candidates, and each has one row.
    await expect(refuseRepeatedUsers(source, {}, new Set([fingerprint(a), fingerprint(b)]), wide, '--sample')).resolves.toBeUndefined();
  });

  test('KL: the streamed pass reports scikit-learn\'s reconstruction error (√(2·divergence)), as the in-memory fit does', async () => {
    const fit = async (extra: string[]) => {
      const io = capture();
      expect(await main(['fit', wide, '-k', '4', '--loss', 'kl', '--max-iter', '50', '--json', '--quiet', ...extra], io)).toBe(0);
      return JSON.parse(io.out).fit as { reconstructionError: number; relativeError: number };
    };
    const streamed = await fit(['--sample', '1000000']), memory = await fit([]);
    expect(streamed.reconstructionError / memory.reconstructionError).toBeCloseTo(1, 4);
    expect(streamed.relativeError / memory.relativeError).toBeCloseTo(1, 4);
  }, 60_000);

  test('a file sorted by persona: the sample still draws from every part of it', async () => {
    // The first 3,000 rows are all one planted persona; a sample of the first rows would find one persona.
    const order = demo.users.map((_, i) => i).sort((a, b) => demo.planted[a]! - demo.planted[b]! || a - b);
    const sorted = join(dir, 'sorted.csv');
    writeFileSync(sorted, table(order));
    expect(await main(['fit', sorted, '-k', '7', '--sample', '3000', '--quiet', '--assignments', join(dir, 'sorted-out.csv')], capture())).toBe(0);
    const found = read('sorted-out.csv');
    const active = demo.users.map((_, i) => i).filter((i) => demo.planted[i]! >= 0);
    const ari = adjustedRandIndex(Int32Array.from(active, (i) => demo.planted[i]!), Int32Array.from(active, (i) => found.get(demo.users[i]!)!));
    expect(ari).toBeGreaterThan(0.9);
  }, 60_000);

  test('the reports say how H was learned: JSON fields, the fit line, the HTML footer', async () => {
    const json = capture(), text = capture(), batch = capture();
    expect(await main(['fit', wide, '-k', '7', '--sample', '3000', '--json', '--quiet'], json)).toBe(0);
    expect(await main(['fit', wide, '-k', '7', '--sample', '3000', '--quiet', '--report', join(dir, 'r.html')], text)).toBe(0);
    expect(await main(['fit', wide, '-k', '7', '--mini-batch', '--quiet'], batch)).toBe(0);
    const j = JSON.parse(json.out);
    expect(j.sample).toEqual({ users: 3000, seed: 0 });
    expect(j.fit.timings.iterateSeconds).toBeGreaterThan(0);
    expect(text.out).toMatch(/^Fit: k = 7, hals\/frobenius, init nndsvda on a sample of 3,000 users, transform share; \d+ iterations/);
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toMatch(/H learned on a uniform sample of 3000 users/);
    expect(batch.out).toMatch(/^Fit: k = 7, hals\/frobenius, mini-batch from a fit on a sample of 20,480 users, transform share; 1 epoch, \d+ steps of 1,024 users/);
  }, 60_000);

  test('-k A..B surveys k on the sample and fits the recommended k', async () => {
    const io = capture();
    expect(await main(['fit', wide, '-k', '5..8', '--sample', '4000', '--runs', '3', '--replicates', '2', '--threads', '1', '--json', '--quiet', '--model', join(dir, 'auto.json')], io)).toBe(0);
    const model = parseModel(readFileSync(join(dir, 'auto.json'), 'utf8'));
    expect(model.survey!.recommended).toBe(model.k);
    expect(model.survey!.candidates.map((c) => c.k)).toEqual([5, 6, 7, 8]);
    expect(JSON.parse(io.out).personas).toHaveLength(model.k);
  }, 120_000);
});
