import { expect, test } from 'vitest';
import { Random } from '../src/random.js';

test('a seed gives the same stream; another seed another stream', () => {
  const a = new Random(7), b = new Random(7), c = new Random(8);
  const sa = Array.from({ length: 100 }, () => a.nextUint32());
  expect(Array.from({ length: 100 }, () => b.nextUint32())).toEqual(sa);
  expect(Array.from({ length: 100 }, () => c.nextUint32())).not.toEqual(sa);
});

test('golden values: the stream never changes across versions or engines', () => {
  const r = new Random(0);
  expect(Array.from({ length: 4 }, () => r.nextUint32())).toMatchSnapshot();
});

test('uniform floats in [0, 1) with the right mean; normals with mean 0 and variance 1', () => {
  const r = new Random(1);
  const n = 200_000;
  let s = 0, lo = 1, hi = 0;
  for (let i = 0; i < n; i++) { const u = r.nextFloat(); s += u; lo = Math.min(lo, u); hi = Math.max(hi, u); }
  expect(lo).toBeGreaterThanOrEqual(0);
  expect(hi).toBeLessThan(1);
  expect(Math.abs(s / n - 0.5)).toBeLessThan(0.005);
  let m = 0, v = 0;
  for (let i = 0; i < n; i++) { const z = r.nextNormal(); m += z; v += z * z; }
  expect(Math.abs(m / n)).toBeLessThan(0.01);
  expect(Math.abs(v / n - 1)).toBeLessThan(0.02);
});

test('permutations are permutations', () => {
  const p = new Random(3).permutation(50);
  expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
});
