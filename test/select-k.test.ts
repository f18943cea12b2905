import { describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copheneticCorrelation, consensus } from '../src/select-k/consensus.js';
import { crossValidate } from '../src/select-k/cross-validation.js';
import { recommendK, recommendByConsensus } from '../src/select-k/recommend.js';
import { selectK, type KCandidate } from '../src/select-k/select-k.js';
import { Random } from '../src/random.js';
import { main } from '../src/cli/main.js';
import { capture } from './cli-helpers.js';
import { plantedProduct } from './helpers.js';

/** Naive O(n³) UPGMA and the cophenetic correlation it gives: the oracle for the NN-chain version. */
function naiveCophenetic(d: number[][]): number {
  const n = d.length;
  let clusters = d.map((_, i) => [i]);
  const coph = d.map((r) => r.map(() => 0));
  const dist = (a: number[], b: number[]) => a.reduce((s, i) => s + b.reduce((t, j) => t + d[i]![j]!, 0), 0) / (a.length * b.length);
  while (clusters.length > 1) {
    let best = [0, 1], bestD = Infinity;
    for (let a = 0; a < clusters.length; a++) for (let b = a + 1; b < clusters.length; b++) {
      const v = dist(clusters[a]!, clusters[b]!);
      if (v < bestD) { bestD = v; best = [a, b]; }
    }
    const [a, b] = best as [number, number];
    for (const i of clusters[a]!) for (const j of clusters[b]!) { coph[i]![j] = bestD; coph[j]![i] = bestD; }
    clusters = clusters.filter((_, i) => i !== a && i !== b).concat([clusters[a]!.concat(clusters[b]!)]);
  }
  const xs: number[] = [], ys: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) { xs.push(d[i]![j]!); ys.push(coph[i]![j]!); }
  const mx = xs.reduce((a, b) => a + b) / xs.length, my = ys.reduce((a, b) => a + b) / ys.length;
  let sxy = 0, sxx = 0, syy = 0;
  xs.forEach((x, i) => { sxy += (x - mx) * (ys[i]! - my); sxx += (x - mx) ** 2; syy += (ys[i]! - my) ** 2; });
  return sxy / Math.sqrt(sxx * syy);
}

describe('consensus', () => {
  test('cophenetic correlation equals a naive UPGMA\'s', () => {
    const rng = new Random(3);
    for (const n of [3, 7, 25]) {
      const pts = Array.from({ length: n }, () => [rng.nextFloat(), rng.nextFloat()]);
      const d = pts.map((p) => pts.map((q) => Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!)));
      const condensed: number[] = [];
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) condensed.push(d[i]![j]!);
      expect(copheneticCorrelation(Float64Array.from(condensed), n)).toBeCloseTo(naiveCophenetic(d), 10);
    }
  });
  test('identical runs give cophenetic 1 and dispersion 1; random runs less', () => {
    const a = Int32Array.from({ length: 60 }, (_, i) => i % 3);
    expect(consensus([a, a, a])).toEqual({ cophenetic: 1, dispersion: 1 });
    const rng = new Random(4);
    const noisy = Array.from({ length: 5 }, () => Int32Array.from({ length: 60 }, () => rng.nextInt(3)));
    const r = consensus(noisy);
    expect(r.dispersion).toBeLessThan(0.6);
  });
});

describe('cross-validation', () => {
  test('on a planted rank-4 product, the held-out error is lowest near rank 4', async () => {
    const { V } = plantedProduct(new Random(5), 400, 20, 4, 1);
    const data = { rows: 400, cols: 20, data: Float32Array.from(V.data) };
    const err = async (k: number) => (await crossValidate(data, k, { seed: 1 })).heldOutMse;
    const [e2, e4, e8] = [await err(2), await err(4), await err(8)];
    expect(e4).toBeLessThan(e2);
    expect(e4).toBeLessThan(e8);
    expect(Number.isFinite(e8)).toBe(true);
  });
  test('the same seed, the same mask and result', async () => {
    const { V } = plantedProduct(new Random(6), 100, 10, 2, 0.1);
    const data = { rows: 100, cols: 10, data: Float32Array.from(V.data) };
    expect(await crossValidate(data, 2, { seed: 3 })).toEqual(await crossValidate(data, 2, { seed: 3 }));
  });
});

describe('the recommendation rule', () => {
  const c = (k: number, cvError: number, minShare = 0.1, stability = 0.95): KCandidate =>
    ({ k, cvError, cvErrorSd: 0.01, cophenetic: 0.99, dispersion: 0.9, stability, minShare, relativeError: 0.5, explainedVariance: 0.75, reason: '' });
  test('the lowest cross-validated error among actionable, stable k', () => {
    const cands = [c(2, 1.0), c(3, 0.8), c(4, 0.7), c(5, 0.705), c(6, 0.5, 0.004), c(7, 0.4, 0.2, 0.5)];
    const r = recommendK(cands, 3);
    expect(r.recommended).toBe(4);
    expect(cands[4]!.reason).toMatch(/0\.40 % of users, under the 1 %/);
    expect(cands[5]!.reason).toMatch(/runs disagree \(mean ARI 0\.50/);
    expect(cands[3]!.reason).toMatch(/within one standard error/);
    expect(cands[0]!.reason).toMatch(/above the best's/);
    expect(r.reason).toMatch(/^k = 4: the lowest cross-validated error/);
  });
  test('Brunet\'s rule: the k before the cophenetic correlation drops', () => {
    const cands = [2, 3, 4, 5].map((k) => ({ ...c(k, 1), cophenetic: [0.99, 0.995, 0.97, 0.99][k - 2]! }));
    expect(recommendByConsensus(cands).recommended).toBe(3);
  });
});

describe('selectK', () => {
  const { V } = plantedProduct(new Random(7), 600, 16, 3, 0.05);
  const data = { rows: 600, cols: 16, data: Float32Array.from(V.data) };
  test('every field for every k, the null survey when asked, the same result for the same seed', async () => {
    const a = await selectK(data, { kMin: 2, kMax: 5, runs: 3, replicates: 2, null: true, seed: 9 });
    expect(a.candidates.map((x) => x.k)).toEqual([2, 3, 4, 5]);
    for (const x of a.candidates) {
      for (const key of ['cvError', 'cvErrorSd', 'cophenetic', 'dispersion', 'stability', 'minShare', 'relativeError', 'nullCvError', 'nullRelativeError'] as const) {
        expect(Number.isFinite(x[key])).toBe(true);
      }
      expect(x.reason.length).toBeGreaterThan(10);
    }
    const b = await selectK(data, { kMin: 2, kMax: 5, runs: 3, replicates: 2, null: true, seed: 9 });
    expect(b.candidates).toEqual(a.candidates);
  });
  test('a time budget stops new work and says which k were not reached', async () => {
    const r = await selectK(data, { kMin: 2, kMax: 12, runs: 3, replicates: 2, timeBudgetSeconds: 0.05 });
    expect(r.candidates.length).toBeGreaterThanOrEqual(1);
    expect(r.skipped.length).toBeGreaterThan(0);
    expect(r.candidates.length + r.skipped.length).toBe(11);
  });
  test('a bad range is refused', async () => {
    await expect(selectK(data, { kMin: 4, kMax: 2 })).rejects.toMatchObject({ code: 'BAD_K' });
  });
});

describe('the select-k command and fit -k auto', () => {
  const file = new URL('../data/stackexchange-quantumcomputing/events.csv', import.meta.url).pathname;
  test('--json has the CLI.md fields; --report writes the survey', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'personas-sk-'));
    const io = capture();
    expect(await main(['select-k', file, '--k', '2..6', '--json', '--quiet', '--threads', '1', '--report', join(dir, 's.html')], io)).toBe(0);
    const doc = JSON.parse(io.out);
    expect(doc.recommended).toBeGreaterThanOrEqual(2);
    expect(doc.reason).toMatch(/^k = \d+: /);
    expect(doc.candidates).toHaveLength(5);
    for (const c of doc.candidates) for (const key of ['k', 'cvError', 'cvErrorSd', 'cophenetic', 'dispersion', 'stability', 'minShare', 'relativeError']) expect(typeof c[key]).toBe('number');
    expect(readFileSync(join(dir, 's.html'), 'utf8')).toMatch(/<svg class="chart"/);
  });
  test('fit -k auto fits the recommended k and keeps the survey in the JSON, the model and the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'personas-auto-'));
    const io = capture();
    expect(await main(['fit', file, '-k', '2..5', '--json', '--quiet', '--threads', '1', '--model', join(dir, 'm.json'), '--report', join(dir, 'r.html')], io)).toBe(0);
    const doc = JSON.parse(io.out);
    expect(doc.k).toBe(doc.selectK.recommended);
    expect(JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8')).survey.recommended).toBe(doc.k);
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toMatch(/<h2>Choosing k<\/h2>/);
  });
  test('bad k ranges exit 2', async () => {
    for (const [argv, message] of [
      [['select-k', file, '--k', '5..2'], /expected a range A\.\.B with 1 ≤ A ≤ B/],
      [['select-k', file, '--k', 'lots'], /expected a number of personas, "auto" or a range like 2\.\.12/],
      [['select-k', file, '--k', '20..30', '--quiet'], /starts above min\(users, events\) = 13/],
      [['fit', file, '-k', 'auto', '--names', file], /--names needs a fixed -k/],
    ] as const) {
      const io = capture();
      expect(await main(argv, io)).toBe(2);
      expect(io.err).toMatch(message);
    }
  });
});
