import { describe, expect, test } from 'vitest';
import { assignPersonas, componentTotals, fitNmf, topEvents, Random } from '../src/index.js';
import { plantedCounts } from './helpers.js';

describe('assignPersonas', () => {
  test('does not depend on how the scale is split between W and H', async () => {
    const rng = new Random(1);
    const rows = 500, k = 5, cols = 12;
    const W = Float32Array.from({ length: rows * k }, () => rng.nextFloat());
    const H = Float32Array.from({ length: k * cols }, () => rng.nextFloat());
    const base = await assignPersonas({ rows, cols: k, data: W }, { rows: k, cols, data: H });
    // W·D and D⁻¹·H: the same product, another split (powers of two keep float32 exact)
    const d = [0.25, 8, 1, 2, 0.5];
    const W2 = W.map((v, i) => v * d[i % k]!);
    const H2 = H.map((v, i) => v / d[Math.floor(i / cols)]!);
    const moved = await assignPersonas({ rows, cols: k, data: W2 }, { rows: k, cols, data: H2 });
    expect(moved.persona).toEqual(base.persona);
    // argmax of W alone does change with the split: the reason for the scaling
    let differ = 0;
    for (let r = 0; r < rows; r++) {
      const row = Array.from(W2.subarray(r * k, (r + 1) * k));
      if (row.indexOf(Math.max(...row)) !== base.persona[r]) differ++;
    }
    expect(differ).toBeGreaterThan(0);
  });

  test('recovers planted personas (up to relabelling) and gives inactive users −1', async () => {
    const { V, labels } = plantedCounts(new Random(2), 2000, 18, 6);
    V.data.fill(0, 0, 18); // user 0 inactive
    const fit = await fitNmf(V, { k: 6 });
    const { persona, confidence } = await assignPersonas(fit.W, fit.H);
    expect(persona[0]).toBe(-1);
    expect(confidence[0]).toBe(0);
    // map each found persona to its most common planted label; purity over active users
    const counts = new Map<string, number>();
    for (let r = 1; r < 2000; r++) counts.set(`${persona[r]}:${labels[r]}`, (counts.get(`${persona[r]}:${labels[r]}`) ?? 0) + 1);
    let pure = 0;
    for (let p = 0; p < 6; p++) pure += Math.max(...Array.from({ length: 6 }, (_, l) => counts.get(`${p}:${l}`) ?? 0));
    expect(pure / 1999).toBeGreaterThan(0.95);
    for (const c of confidence) expect(c >= 0 && c <= 1).toBe(true);
  });

  test('componentTotals are the row sums of H', () => {
    expect(Array.from(componentTotals({ rows: 2, cols: 3, data: [1, 2, 3, 0, 0.5, 0] }))).toEqual([6, 0.5]);
  });
});

describe('topEvents', () => {
  test('heaviest first, ties by lower index, any count up to all events', async () => {
    const h = { rows: 2, cols: 5, data: [0.1, 0.9, 0.5, 0.9, 0, 0, 0, 0, 0, 1] };
    expect(Array.from(await topEvents(h, 2))).toEqual([1, 3, 4, 0]);
    expect(Array.from(await topEvents(h, 5))).toEqual([1, 3, 2, 0, 4, 4, 0, 1, 2, 3]);
    await expect(topEvents(h, 6)).rejects.toMatchObject({ code: 'BAD_OPTION', value: 6 });
  });
});
