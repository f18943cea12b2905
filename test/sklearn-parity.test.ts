// Parity with scikit-learn 1.2's NMF: from the same starting W₀, H₀ (drawn by scikit-learn and kept in
// the fixture), our fit must end within 1 % of scikit-learn's reconstruction error.
// Fixtures: test/fixtures/make_sklearn_fixtures.py (run with Debian's python3-sklearn).
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { fitNmf, type MatrixInput } from '../src/index.js';
import { allFiniteNonNegative } from './helpers.js';

interface Run {
  matrix: string; k: number; solver: 'mu' | 'hals'; loss: 'frobenius' | 'kl'; init: string;
  alphaW: number; l1Ratio: number; maxIter: number; tol: number;
  W0: number[]; H0: number[]; W: number[]; H: number[]; reconstructionError: number; iterations: number;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/sklearn-nmf.json', import.meta.url), 'utf8')) as {
  sklearn: string; matrices: Record<string, MatrixInput & { rows: number; cols: number }>; runs: Run[];
};

describe(`scikit-learn ${fixture.sklearn} parity from the same W₀, H₀`, () => {
  for (const simd of [true, false]) {
    for (const run of fixture.runs) {
      const name = `${simd ? 'simd' : 'scalar'} ${run.matrix} ${run.solver}/${run.loss} init=${run.init}${run.alphaW ? ` alphaW=${run.alphaW} l1Ratio=${run.l1Ratio}` : ''}`;
      test(name, async () => {
        const v = fixture.matrices[run.matrix]!;
        const result = await fitNmf(v, {
          k: run.k, solver: run.solver, loss: run.loss, maxIter: run.maxIter, tol: run.tol,
          alphaW: run.alphaW, l1Ratio: run.l1Ratio, simd,
          init: { W: { rows: v.rows, cols: run.k, data: run.W0 }, H: { rows: run.k, cols: v.cols, data: run.H0 } },
          refineW: false, // scikit-learn returns the loop's W as is
        });
        expect(Math.abs(result.reconstructionError / run.reconstructionError - 1)).toBeLessThan(0.01);
        // Same stopping rule, same path: the iteration counts agree within one check interval.
        expect(Math.abs(result.iterations - run.iterations)).toBeLessThanOrEqual(10);
        expect(allFiniteNonNegative(result.W.data) && allFiniteNonNegative(result.H.data)).toBe(true);
        // And the factors themselves: ‖H − H_sklearn‖ / ‖H_sklearn‖ small.
        let diff = 0, norm = 0;
        run.H.forEach((h, i) => { diff += (result.H.data[i]! - h) ** 2; norm += h * h; });
        expect(Math.sqrt(diff / norm)).toBeLessThan(1e-2);
      });
    }
  }
});

describe('our own NNDSVD starts where scikit-learn\'s does', () => {
  for (const run of fixture.runs.filter((r) => (r.init === 'nndsvd' || r.init === 'nndsvda') && r.solver === 'mu' && r.loss === 'frobenius' && r.alphaW === 0)) {
    test(`${run.matrix} ${run.init}`, async () => {
      const v = fixture.matrices[run.matrix]!;
      // maxIter 1 with tol 0: compare the error after one identical update from each start.
      const ours = await fitNmf(v, { k: run.k, solver: 'mu', init: run.init as 'nndsvd', maxIter: 1, tol: 0, refineW: false, traceEvery: 1 });
      const theirs = await fitNmf(v, {
        k: run.k, solver: 'mu', maxIter: 1, tol: 0, refineW: false, traceEvery: 1,
        init: { W: { rows: v.rows, cols: run.k, data: run.W0 }, H: { rows: run.k, cols: v.cols, data: run.H0 } },
      });
      // Our SVD is exact, scikit-learn's randomized: the starting errors agree closely.
      expect(Math.abs(ours.lossTrace[0]!.error / theirs.lossTrace[0]!.error - 1)).toBeLessThan(1e-3);
      expect(Math.abs(ours.lossTrace[1]!.error / theirs.lossTrace[1]!.error - 1)).toBeLessThan(1e-3);
    });
  }
});
