// Every kernel, in both binaries, against the plain-TypeScript oracles at awkward sizes
// (1, 3, 5, 17, 257 rows and columns) that exercise the SIMD tails and the row blocks.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { createWorkspace } from '../src/wasm/loader.js';
import { KERNEL_NAMES } from '../src/wasm/kernels.js';
import type { Workspace } from '../src/wasm/workspace.js';
import { Random } from '../src/random.js';
import { simdBinary, scalarBinary } from './binaries.js';
import * as ref from './oracles.js';
import { expectClose, paddedFactor, randomCsr, randomMatrix } from './helpers.js';

const SIZES = [1, 3, 5, 17, 257];
const KS = [1, 3, 5, 7]; // padded to 4, 4, 8, 8
const kpOf = (k: number) => Math.ceil(k / 4) * 4;

test('both binaries export exactly the typed kernel list', async () => {
  for (const bytes of [simdBinary(), scalarBinary()]) {
    const module = await WebAssembly.compile(bytes);
    const exports = WebAssembly.Module.exports(module).map((e) => e.name).sort();
    expect(exports).toEqual([...KERNEL_NAMES].sort());
    const imports = WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}:${i.kind}`);
    expect(imports).toEqual(['env.memory:memory']); // host-owned memory, nothing else
  }
});

test('the scalar build has no SIMD instruction, the SIMD build has them (from the .wat text asc wrote)', () => {
  const wat = (name: string) => readFileSync(new URL(`../build/kernels.${name}.wat`, import.meta.url), 'utf8');
  expect(wat('scalar')).not.toMatch(/v128|f32x4|f64x2/);
  expect(wat('simd')).toMatch(/f32x4\.mul/);
});

for (const simd of [true, false]) {
  describe(`${simd ? 'SIMD' : 'scalar'} binary`, () => {
    const rng = new Random(simd ? 1 : 2);
    const ws = () => createWorkspace({ simd });
    const put = (w: Workspace, a: ArrayLike<number>) => w.f32From(a);

    test('gemmTN: C += AᵀB', async () => {
      const w = await ws();
      for (const rows of SIZES) for (const p of SIZES) for (const q of SIZES) {
        if (rows * (p + q) > 40000) continue;
        const a = randomMatrix(rng, rows, p), b = randomMatrix(rng, rows, q), c0 = randomMatrix(rng, p, q);
        const c = put(w, c0);
        w.kernels.gemmTN(put(w, a).ptr, put(w, b).ptr, c.ptr, rows, p, q);
        expectClose(c.view(), ref.gemmTN(a, b, c0, rows, p, q));
      }
    });

    test('gemmNN: C = AB', async () => {
      const w = await ws();
      for (const rows of SIZES) for (const inner of SIZES) for (const cols of SIZES) {
        const a = randomMatrix(rng, rows, inner), b = randomMatrix(rng, inner, cols);
        const c = w.allocF32(rows * cols);
        w.kernels.gemmNN(put(w, a).ptr, put(w, b).ptr, c.ptr, rows, inner, cols);
        expectClose(c.view(), ref.gemmNN(a, b, rows, inner, cols));
      }
    });

    test('csrGemmNN and csrGemmTN', async () => {
      const w = await ws();
      for (const rows of SIZES) for (const inner of SIZES) for (const cols of [1, 3, 4, 5, 8, 17]) {
        const x = randomCsr(rng, rows, inner, 0.3);
        const ip = w.allocI32(rows + 1), ix = w.allocI32(x.indices.length);
        ip.view().set(x.indptr); ix.view().set(x.indices);
        const xd = put(w, x.data);
        const b = randomMatrix(rng, inner, cols);
        const c = w.allocF32(rows * cols);
        w.kernels.csrGemmNN(ip.ptr, ix.ptr, xd.ptr, put(w, b).ptr, c.ptr, rows, cols);
        expectClose(c.view(), ref.csrGemmNN(x, b, cols));
        const a = randomMatrix(rng, rows, cols), c0 = randomMatrix(rng, inner, cols);
        const ct = put(w, c0);
        w.kernels.csrGemmTN(ip.ptr, ix.ptr, xd.ptr, put(w, a).ptr, ct.ptr, rows, cols);
        expectClose(ct.view(), ref.csrGemmTN(x, a, c0, cols));
      }
    });

    test('muApply, klRatio, transpose, sum, sumSquares', async () => {
      const w = await ws();
      for (const n of [...SIZES, 1000]) {
        const a = randomMatrix(rng, 1, n), num = randomMatrix(rng, 1, n), den = randomMatrix(rng, 1, n, 0.3);
        for (const [l1, l2, floor] of [[0, 0, 0], [0.1, 0.2, 0], [0, 0, 0.5]] as const) {
          const ab = put(w, a);
          w.kernels.muApply(ab.ptr, put(w, num).ptr, put(w, den).ptr, n, l1, l2, floor);
          expectClose(ab.view(), ref.muApply(a, num, den, l1, l2, floor), 1e-6);
        }
        const r = w.allocF32(n);
        w.kernels.klRatio(put(w, num).ptr, put(w, den).ptr, r.ptr, n);
        expectClose(r.view(), ref.klRatio(num, den), 1e-6);
        expect(w.kernels.sum(put(w, a).ptr, n)).toBeCloseTo(a.reduce((s, v) => s + v, 0), 9);
        expect(w.kernels.sumSquares(put(w, a).ptr, n)).toBeCloseTo(a.reduce((s, v) => s + v * v, 0), 9);
      }
      for (const rows of SIZES) for (const cols of SIZES) {
        const a = randomMatrix(rng, rows, cols);
        const b = w.allocF32(rows * cols);
        w.kernels.transpose(put(w, a).ptr, b.ptr, rows, cols);
        expect(Array.from(b.view())).toEqual(Array.from(ref.transpose(a, rows, cols)));
      }
    });

    test('cdUpdate: coordinate descent sweep', async () => {
      const w = await ws();
      for (const rows of SIZES) for (const k of KS) {
        const kp = kpOf(k);
        const w0 = paddedFactor(rng, rows, k, kp), g = paddedFactor(rng, kp, k, kp), xht = paddedFactor(rng, rows, k, kp);
        for (let t = 0; t < k; t++) g[t * kp + t]! += 1; // a Gram matrix has a heavy diagonal
        const perm = rng.permutation(k);
        for (const [l1, l2] of [[0, 0], [0.05, 0.1]] as const) {
          const wb = put(w, w0), pb = w.allocI32(k);
          pb.view().set(perm);
          const violation = w.kernels.cdUpdate(wb.ptr, put(w, g).ptr, put(w, xht).ptr, pb.ptr, rows, k, kp, l1, l2, w.allocF32(8 * kp).ptr);
          const want = Float64Array.from(w0);
          const wantViolation = ref.cdUpdate(want, g, xht, perm, rows, k, kp, l1, l2);
          expectClose(wb.view(), want, 1e-5);
          expect(violation).toBeCloseTo(wantViolation, 3);
        }
      }
    });

    test('fused dense passes: MU Frobenius, HALS, MU KL', async () => {
      const w = await ws();
      const blockRows = w.blockRows;
      for (const rows of SIZES) for (const m of SIZES) for (const k of KS) {
        if (k > m) continue;
        const kp = kpOf(k);
        const x = randomMatrix(rng, rows, m), w0 = paddedFactor(rng, rows, k, kp), h = paddedFactor(rng, kp, k, m).slice(0, kp * m);
        // H (kp×m): zero the padding rows
        h.fill(0, k * m);
        for (let t = 0; t < k; t++) for (let j = 0; j < m; j++) h[t * m + j] = rng.nextFloat() + 0.01;
        const ht = Float32Array.from(ref.transpose(h, kp, m));
        const hht = Float32Array.from(ref.gemmNN(h, ht, kp, m, kp));
        const hsum = Float32Array.from({ length: kp }, (_, t) => h.slice(t * m, (t + 1) * m).reduce((s, v) => s + v, 0));
        const perm = Int32Array.from({ length: k }, (_, i) => i);
        const scratch = w.allocF32(blockRows * (m + 2 * kp) + 8 * kp);
        const [l1, l2] = [0.01, 0.02];
        {
          const wb = put(w, w0), wtx = w.allocF32(kp * m), wtw = w.allocF32(kp * kp);
          w.kernels.muFrobeniusPass(put(w, x).ptr, wb.ptr, put(w, ht).ptr, put(w, hht).ptr, wtx.ptr, wtw.ptr, scratch.ptr, rows, m, kp, l1, l2);
          const want = ref.muFrobeniusPass(x, w0, ht, hht, rows, m, kp, l1, l2);
          expectClose(wb.view(), want.w, 1e-5);
          expectClose(wtx.view(), want.wtx, 1e-5);
          expectClose(wtw.view(), want.wtw, 1e-5);
        }
        {
          const wb = put(w, w0), wtx = w.allocF32(kp * m), wtw = w.allocF32(kp * kp), pb = w.allocI32(k);
          pb.view().set(perm);
          const violation = w.kernels.halsPass(put(w, x).ptr, wb.ptr, put(w, ht).ptr, put(w, hht).ptr, pb.ptr, k, wtx.ptr, wtw.ptr, scratch.ptr, rows, m, kp, l1, l2);
          const want = ref.halsPass(x, w0, ht, hht, perm, k, rows, m, kp, l1, l2);
          expectClose(wb.view(), want.w, 1e-4);
          expectClose(wtx.view(), want.wtx, 1e-4);
          expectClose(wtw.view(), want.wtw, 1e-4);
          expect(Math.abs(violation - want.violation)).toBeLessThanOrEqual(1e-4 * Math.max(1, want.violation));
        }
        {
          const wb = put(w, w0), wtr = w.allocF32(kp * m), wsum = w.allocF32(kp);
          w.kernels.muKlPass(put(w, x).ptr, wb.ptr, put(w, h).ptr, put(w, ht).ptr, put(w, hsum).ptr, wtr.ptr, wsum.ptr, scratch.ptr, rows, m, kp, l1, l2);
          const want = ref.muKlPass(x, w0, h, ht, hsum, rows, m, kp, l1, l2);
          expectClose(wb.view(), want.w, 1e-5);
          expectClose(wtr.view(), want.wtr, 1e-5);
          expectClose(wsum.view(), want.wsum, 1e-5);
        }
        {
          const rowOut = w.allocF32(rows);
          const s = put(w, new Float32Array(blockRows * m));
          const fro = w.kernels.lossFrobenius(put(w, x).ptr, put(w, w0).ptr, put(w, h).ptr, s.ptr, rowOut.ptr, rows, m, kp);
          const wantRows = ref.lossFrobeniusRows(x, w0, h, rows, m, kp);
          expectClose(rowOut.view(), wantRows, 1e-5);
          expect(fro).toBeCloseTo(wantRows.reduce((a, b) => a + b, 0), 2);
          const kl = w.kernels.lossKl(put(w, x).ptr, put(w, w0).ptr, put(w, h).ptr, put(w, hsum).ptr, s.ptr, rowOut.ptr, rows, m, kp);
          const wantKl = ref.lossKlRows(x, w0, h, rows, m, kp);
          expectClose(rowOut.view(), wantKl, 1e-5);
          expect(Math.abs(kl - wantKl.reduce((a, b) => a + b, 0))).toBeLessThan(1e-4 * Math.max(1, Math.abs(kl)));
        }
      }
    });

    test('fused CSR passes and losses agree with the dense oracles', async () => {
      const w = await ws();
      const blockRows = w.blockRows;
      for (const rows of SIZES) for (const m of SIZES) for (const k of KS) {
        if (k > m) continue;
        const kp = kpOf(k);
        const x = randomCsr(rng, rows, m, 0.3);
        const dense = ref.csrToDense(x);
        const ip = w.allocI32(rows + 1), ix = w.allocI32(x.indices.length);
        ip.view().set(x.indptr); ix.view().set(x.indices);
        const xd = put(w, x.data);
        const w0 = paddedFactor(rng, rows, k, kp);
        const h = new Float32Array(kp * m);
        for (let t = 0; t < k; t++) for (let j = 0; j < m; j++) h[t * m + j] = rng.nextFloat() + 0.01;
        const ht = Float32Array.from(ref.transpose(h, kp, m));
        const hht = Float32Array.from(ref.gemmNN(h, ht, kp, m, kp));
        const hsum = Float32Array.from({ length: kp }, (_, t) => h.slice(t * m, (t + 1) * m).reduce((s, v) => s + v, 0));
        const perm = Int32Array.from({ length: k }, (_, i) => i);
        const scratch = w.allocF32(blockRows * 2 * kp + 8 * kp);
        const [l1, l2] = [0.01, 0.02];
        {
          const wb = put(w, w0), xtw = w.allocF32(m * kp);
          w.kernels.muFrobeniusPassCsr(ip.ptr, ix.ptr, xd.ptr, wb.ptr, put(w, ht).ptr, put(w, hht).ptr, xtw.ptr, scratch.ptr, rows, kp, l1, l2);
          const want = ref.muFrobeniusPass(dense, w0, ht, hht, rows, m, kp, l1, l2);
          expectClose(wb.view(), want.w, 1e-5);
          expectClose(xtw.view(), ref.transpose(want.wtx, kp, m), 1e-5);
        }
        {
          const wb = put(w, w0), xtw = w.allocF32(m * kp), pb = w.allocI32(k);
          pb.view().set(perm);
          const violation = w.kernels.halsPassCsr(ip.ptr, ix.ptr, xd.ptr, wb.ptr, put(w, ht).ptr, put(w, hht).ptr, pb.ptr, k, xtw.ptr, scratch.ptr, rows, kp, l1, l2);
          const want = ref.halsPass(dense, w0, ht, hht, perm, k, rows, m, kp, l1, l2);
          expectClose(wb.view(), want.w, 1e-4);
          expectClose(xtw.view(), ref.transpose(want.wtx, kp, m), 1e-4);
          expect(Math.abs(violation - want.violation)).toBeLessThanOrEqual(1e-4 * Math.max(1, want.violation));
        }
        {
          const wb = put(w, w0), rtw = w.allocF32(m * kp), wsum = w.allocF32(kp);
          w.kernels.muKlPassCsr(ip.ptr, ix.ptr, xd.ptr, wb.ptr, put(w, ht).ptr, put(w, hsum).ptr, rtw.ptr, wsum.ptr, scratch.ptr, rows, kp, l1, l2);
          const want = ref.muKlPassCsr(x, w0, ht, hsum, kp, l1, l2);
          expectClose(wb.view(), want.w, 1e-5);
          expectClose(rtw.view(), want.rtw, 1e-5);
          expectClose(wsum.view(), want.wsum, 1e-5);
        }
        {
          const rowOut = w.allocF32(rows);
          w.kernels.lossFrobeniusCsr(ip.ptr, ix.ptr, xd.ptr, put(w, w0).ptr, put(w, ht).ptr, put(w, hht).ptr, rowOut.ptr, rows, kp);
          expectClose(rowOut.view(), ref.lossFrobeniusRows(dense, w0, h, rows, m, kp), 1e-5);
          w.kernels.lossKlCsr(ip.ptr, ix.ptr, xd.ptr, put(w, w0).ptr, put(w, ht).ptr, put(w, hsum).ptr, rowOut.ptr, rows, kp);
          expectClose(rowOut.view(), ref.lossKlRows(dense, w0, h, rows, m, kp), 1e-5);
        }
      }
    });

    test('argmaxRows and topKRows', async () => {
      const w = await ws();
      for (const rows of SIZES) for (const cols of SIZES) {
        const stride = cols + (cols % 4 === 0 ? 0 : 4 - (cols % 4));
        const a = randomMatrix(rng, rows, stride, 0.4);
        for (let r = 0; r < rows; r++) if (r % 4 === 0) a.fill(0, r * stride, r * stride + cols); // inactive users
        const scale = randomMatrix(rng, 1, cols, 0);
        const idx = w.allocI32(rows), share = w.allocF32(rows);
        w.kernels.argmaxRows(put(w, a).ptr, put(w, scale).ptr, idx.ptr, share.ptr, rows, cols, stride);
        const want = ref.argmaxRows(a, scale, rows, cols, stride);
        expect(Array.from(idx.view())).toEqual(Array.from(want.idx));
        expect(Array.from(share.view())).toEqual(Array.from(want.share));
        // ties: rounded values make equal entries common
        const b = Float32Array.from(randomMatrix(rng, rows, cols, 0.3), (v) => Math.round(v * 4));
        for (const k of new Set([1, Math.min(3, cols), cols])) {
          const out = w.allocI32(rows * k);
          w.kernels.topKRows(put(w, b).ptr, out.ptr, rows, cols, k);
          expect(Array.from(out.view())).toEqual(Array.from(ref.topKRows(b, rows, cols, k)));
        }
      }
    });
  });
}

test('chunked passes equal one whole pass (chunks are multiples of the block size)', async () => {
  const rng = new Random(5);
  const w = await createWorkspace({ simd: true });
  const rows = 3 * w.blockRows + 17, m = 9, kp = 8;
  const x = randomMatrix(rng, rows, m), w0 = paddedFactor(rng, rows, 7, kp), ht = paddedFactor(rng, m, 7, kp);
  const hht = Float32Array.from(ref.gemmTN(ht, ht, new Float64Array(kp * kp), m, kp, kp));
  const run = (chunk: number) => {
    const wb = w.f32From(w0), wtx = w.allocF32(kp * m), wtw = w.allocF32(kp * kp);
    const xb = w.f32From(x), htb = w.f32From(ht), hb = w.f32From(hht), s = w.allocF32(2 * w.blockRows * kp);
    for (let start = 0; start < rows; start += chunk) {
      const count = Math.min(chunk, rows - start);
      w.kernels.muFrobeniusPass(xb.at(start * m), wb.at(start * kp), htb.ptr, hb.ptr, wtx.ptr, wtw.ptr, s.ptr, count, m, kp, 0, 0);
    }
    return [...wb.view(), ...wtx.view(), ...wtw.view()];
  };
  expect(run(w.blockRows)).toEqual(run(rows));
});

describe('cdSolve: each row solved on its own', () => {
  const rng = new Random(21);
  const rows = 23, k = 7, kp = 8, m = 12;
  const h = new Float32Array(kp * m);
  for (let t = 0; t < k; t++) for (let j = 0; j < m; j++) h[t * m + j] = rng.nextFloat() * (j % k === t ? 3 : 0.3);
  const ht = Float32Array.from(ref.transpose(h, kp, m));
  const hht = Float32Array.from(ref.gemmNN(h, ht, kp, m, kp));
  const x = randomMatrix(rng, rows, m, 0.3);
  const xht = Float32Array.from(ref.gemmNN(x, ht, rows, m, kp));
  const perm = Int32Array.from({ length: k }, (_, i) => i);
  const solve = async (simd: boolean, pieces: number[]) => {
    const w = await createWorkspace({ simd });
    const W = w.allocF32(rows * kp), X = w.f32From(xht), G = w.f32From(hht), P = w.allocI32(k), tmp = w.allocF32(8 * kp);
    P.view().set(perm);
    let start = 0;
    for (const n of pieces) {
      w.kernels.cdSolve(W.at(start * kp), G.ptr, X.at(start * kp), P.ptr, n, k, kp, 0, 0, 500, 1e-6, tmp.ptr);
      start += n;
    }
    return Array.from(W.view());
  };

  test('the result of a row does not depend on the rows solved with it, nor on the binary', async () => {
    const whole = await solve(true, [rows]);
    expect(await solve(true, [1, 6, 3, 13])).toEqual(whole);
    expect(await solve(false, [rows])).toEqual(whole);
  });

  test('it reaches the non-negative least-squares optimum (KKT conditions)', async () => {
    const w = await solve(true, [rows]);
    for (let r = 0; r < rows; r++) {
      for (let t = 0; t < k; t++) {
        let grad = -xht[r * kp + t]!;
        for (let c = 0; c < k; c++) grad += hht[t * kp + c]! * w[r * kp + c]!;
        const scale = Math.abs(xht[r * kp + t]!) + 1;
        if (w[r * kp + t]! > 0) expect(Math.abs(grad)).toBeLessThan(1e-3 * scale); // interior: zero gradient
        else expect(grad).toBeGreaterThan(-1e-3 * scale); // at the bound: gradient pushes outward
      }
    }
  });
});
