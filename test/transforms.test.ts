import { describe, expect, test } from 'vitest';
import { fitTransform, transformCounts, type CountMatrix } from '../src/index.js';

const dense: CountMatrix = { format: 'dense', rows: 3, cols: 3, data: Float32Array.of(3, 0, 1, 0, 0, 0, 1, 1, 0) };
const csr: CountMatrix = { format: 'csr', rows: 3, cols: 3, indptr: Int32Array.of(0, 2, 2, 4), indices: Int32Array.of(0, 2, 0, 1), data: Float32Array.of(3, 1, 1, 1) };
const close = (a: ArrayLike<number>, b: number[]) => b.forEach((v, i) => expect(a[i]).toBeCloseTo(v, 6));

describe.each([['dense', dense], ['csr', csr]] as const)('%s', (_, m) => {
  const values = (x: CountMatrix) => (x.format === 'csr' ? Array.from(x.data) : Array.from(x.data).filter((v, i) => m.data[i] !== 0 || v !== 0));
  test('none, log1p, binary', () => {
    expect(values(fitTransform('none', m).matrix)).toEqual(values(m));
    close(fitTransform('log1p', m).matrix.data.filter((v) => v > 0), [Math.log(4), Math.log(2), Math.log(2), Math.log(2)]);
    expect(Array.from(fitTransform('binary', m).matrix.data).filter((v) => v > 0)).toEqual([1, 1, 1, 1]);
  });
  test('share: each active row sums to 1, inactive rows stay 0', () => {
    const s = fitTransform('share', m).matrix.data.filter((v) => v > 0);
    close(s, [0.75, 0.25, 0.5, 0.5]);
  });
  test('tfidf: smoothed idf, log1p term frequency, rows of unit length; new rows use the fitted idf', () => {
    const { matrix, params } = fitTransform('tfidf', m);
    // df = [2, 1, 1] over 3 users: idf = ln(4/3)+1, ln(4/2)+1, ln(4/2)+1
    close(params.idf!, [Math.log(4 / 3) + 1, Math.log(2) + 1, Math.log(2) + 1]);
    const nz = matrix.data.filter((v) => v > 0);
    const r0 = [Math.log(4) * params.idf![0]!, Math.log(2) * params.idf![2]!];
    const n0 = Math.hypot(...r0);
    close(nz.slice(0, 2), r0.map((v) => v / n0));
    // the same parameters on another matrix: weights from the fit, not refitted
    const other: CountMatrix = { format: 'dense', rows: 1, cols: 3, data: Float32Array.of(0, 5, 0) };
    close(transformCounts(params, other).data, [0, 1, 0]);
  });
});
