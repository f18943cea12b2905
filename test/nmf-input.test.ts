// Bad input is refused with a typed error naming the problem and the offending value, before any
// WebAssembly is instantiated.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fitNmf, transformNmf, NmfInputError, type MatrixInput, type NmfOptions } from '../src/index.js';

let instantiate: ReturnType<typeof vi.spyOn>;
beforeEach(() => { instantiate = vi.spyOn(WebAssembly, 'instantiate'); });
afterEach(() => { instantiate.mockRestore(); });

const good = { rows: 3, cols: 2, data: [1, 2, 3, 4, 5, 6] };

async function refused(call: Promise<unknown>, code: string, value: unknown, message: RegExp) {
  const error = await call.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(NmfInputError);
  expect((error as NmfInputError).code).toBe(code);
  if (Number.isNaN(value)) expect(Number.isNaN((error as NmfInputError).value)).toBe(true);
  else expect((error as NmfInputError).value).toEqual(value);
  expect((error as Error).message).toMatch(message);
  expect(instantiate).not.toHaveBeenCalled();
}

describe('bad matrices', () => {
  const cases: [string, MatrixInput, string, unknown, RegExp][] = [
    ['negative', { rows: 2, cols: 2, data: [1, -3, 0, 1] }, 'NEGATIVE_VALUE', -3, /\[0\]\[1\] is -3.*≥ 0/],
    ['NaN', { rows: 2, cols: 2, data: [1, 0, NaN, 1] }, 'NOT_FINITE', NaN, /\[1\]\[0\] is NaN/],
    ['Infinity', [[1, Infinity], [0, 1]], 'NOT_FINITE', Infinity, /\[0\]\[1\] is Infinity/],
    ['-Infinity in a Float32Array', { rows: 1, cols: 2, data: Float32Array.of(0, -Infinity) }, 'NOT_FINITE', -Infinity, /\[0\]\[1\] is -Infinity/],
    ['a string value', [[1, '2' as unknown as number]], 'NOT_FINITE', '2', /\[0\]\[1\] is "2"/],
    ['empty rows', [], 'EMPTY', 0, /no rows/],
    ['no columns', { rows: 3, cols: 0, data: [] }, 'EMPTY', '3×0', /empty \(3×0\)/],
    ['ragged rows', [[1, 2], [3]], 'SHAPE_MISMATCH', 1, /row 1 has 1 values; row 0 has 2/],
    ['short data', { rows: 2, cols: 3, data: [1, 2, 3] }, 'SHAPE_MISMATCH', 3, /has 3 values; a 2×3 matrix needs 6/],
    ['fractional rows', { rows: 1.5, cols: 2, data: [1, 2] }, 'SHAPE_MISMATCH', 1.5, /rows must be a non-negative integer; got 1.5/],
    ['CSR column out of range', { format: 'csr', rows: 1, cols: 2, indptr: [0, 1], indices: [5], data: [1] }, 'BAD_CSR', 5, /indices\[0\] = 5.*0\.\.1/],
    ['CSR duplicate column', { format: 'csr', rows: 1, cols: 3, indptr: [0, 2], indices: [1, 1], data: [1, 2] }, 'BAD_CSR', 1, /column 1 twice/],
    ['CSR short indptr', { format: 'csr', rows: 2, cols: 3, indptr: [0, 1], indices: [1], data: [1] }, 'BAD_CSR', 2, /rows \+ 1 = 3/],
    ['CSR negative value', { format: 'csr', rows: 1, cols: 3, indptr: [0, 1], indices: [2], data: [-1] }, 'NEGATIVE_VALUE', -1, /\[0\]\[2\] is -1/],
  ];
  for (const [name, matrix, code, value, message] of cases) {
    test(name, () => refused(fitNmf(matrix, { k: 1 }), code, value, message));
  }
});

describe('bad options', () => {
  const cases: [string, Partial<NmfOptions>, string, unknown, RegExp][] = [
    ['k < 1', { k: 0 }, 'BAD_K', 0, /integer ≥ 1; got 0/],
    ['k not an integer', { k: 2.5 }, 'BAD_K', 2.5, /got 2.5/],
    ['k > min(users, events)', { k: 3 }, 'BAD_K', 3, /k = 3 is more than min\(users, events\) = min\(3, 2\) = 2/],
    ['unknown solver', { k: 1, solver: 'cd' as never }, 'BAD_OPTION', 'cd', /solver must be one of 'mu', 'hals'; got "cd"/],
    ['hals with KL', { k: 1, solver: 'hals', loss: 'kl' }, 'BAD_OPTION', 'hals', /'hals' handles only the Frobenius loss/],
    ['unknown init', { k: 1, init: 'svd' as never }, 'BAD_OPTION', 'svd', /init must be one of/],
    ['negative tol', { k: 1, tol: -1 }, 'BAD_OPTION', -1, /tol must be a finite number ≥ 0; got -1/],
    ['maxIter 0', { k: 1, maxIter: 0 }, 'BAD_OPTION', 0, /maxIter must be an integer ≥ 1/],
    ['NaN alphaW', { k: 1, alphaW: NaN }, 'BAD_OPTION', NaN, /alphaW must be a finite number ≥ 0; got NaN/],
    ['l1Ratio > 1', { k: 1, l1Ratio: 2 }, 'BAD_OPTION', 2, /l1Ratio must be in \[0, 1\]; got 2/],
    ['custom W of the wrong shape', { k: 1, init: { W: [[1], [1]], H: [[1, 1]] } }, 'SHAPE_MISMATCH', '2×1', /init.W is 2×1; expected users × k = 3×1/],
    ['custom H with a negative', { k: 1, init: { W: [[1], [1], [1]], H: [[1, -2]] } }, 'NEGATIVE_VALUE', -2, /init.H\[0\]\[1\] is -2/],
  ];
  for (const [name, options, code, value, message] of cases) {
    test(name, () => refused(fitNmf(good, options as NmfOptions), code, value, message));
  }
});

describe('transformNmf', () => {
  test('H with the wrong number of events', () =>
    refused(transformNmf(good, [[1, 2, 3]]), 'SHAPE_MISMATCH', 3, /H has 3 columns \(events\) but the matrix has 2/));
  test('negative H', () => refused(transformNmf(good, [[1, -1]]), 'NEGATIVE_VALUE', -1, /H\[0\]\[1\] is -1/));
  test('bad loss', () => refused(transformNmf(good, [[1, 1]], { loss: 'l2' as never }), 'BAD_OPTION', 'l2', /loss must be one of/));
});
