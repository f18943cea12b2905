// Kernel throughput: each kernel in the SIMD build, the scalar build and plain TypeScript (the test
// oracles), in GFLOP/s of useful work (k = 7 components, though kernels compute the padded 8).
// Also the design choices: register-blocked products vs naive ones, fused NMF passes vs the same
// steps composed from separate kernels (and, for KL, a whole W·H buffer).
//   npm run bench -- kernels [--quick] [--users 100000]
import { readFileSync } from 'node:fs';
import { createWorkspace } from '../src/wasm/loader.js';
import type { Workspace } from '../src/wasm/workspace.js';
import { Random } from '../src/random.js';
import * as ref from '../test/oracles.js';
import { fmt, fromRoot, machine, otherLoad, time, writeJson } from './harness.js';
import { kernelInputs, plainCsrTimes } from './inputs.js';

const M = 40, K = 7, KP = 8;
const SPARSE_COLS = 1000, SPARSE_DENSITY = 0.01;

interface Row {
  kernel: string;
  shape: string;
  gflop: number;
  ts?: number;
  scalar?: number;
  simd?: number;
  note?: string;
}

export async function main(args: string[]) {
  const quick = args.includes('--quick');
  const usersAt = args.indexOf('--users');
  const N = usersAt >= 0 ? Number(args[usersAt + 1]) : 100_000;
  const maxTime = quick ? 0.3 : 1.5;
  const rng = new Random(1);
  const { x, w0, h, ht, hht, hsum, perm } = kernelInputs(rng, N, M, K, KP);
  // sparse: 100k users × 1000 events, 1 % dense
  const indptr = new Int32Array(N + 1), idx: number[] = [], val: number[] = [];
  for (let r = 0; r < N; r++) {
    for (let z = 0; z < SPARSE_COLS * SPARSE_DENSITY; z++) { idx.push(Math.floor((z + rng.nextFloat()) / SPARSE_DENSITY)); val.push(1 + rng.nextInt(5)); }
    indptr[r + 1] = idx.length;
  }
  const csr = { rows: N, cols: SPARSE_COLS, indptr, indices: Int32Array.from(idx), data: Float32Array.from(val) };
  const hts = Float32Array.from({ length: SPARSE_COLS * KP }, (_, i) => (i % KP < K ? 0.1 + rng.nextFloat() : 0));
  const nnz = csr.data.length;

  const rows: Row[] = [];
  const row = (kernel: string, shape: string, gflop: number, note?: string) => {
    let r = rows.find((x) => x.kernel === kernel);
    if (!r) rows.push((r = { kernel, shape, gflop, note }));
    return r;
  };
  const rate = (gflop: number, t: { median: number }) => gflop / t.median;

  const { otherLoad: load } = await otherLoad(async () => {
    for (const simd of [true, false]) {
      const ws = await createWorkspace({ simd, bytes: N * (2 * M + 4 * KP) * 4 + 64 * 2 ** 20 });
      const variants = await benchVariants(ws, simd);
      const key = simd ? 'simd' : 'scalar';
      const X = ws.f32From(x), W = ws.f32From(w0), H = ws.f32From(h), Ht = ws.f32From(ht), HHt = ws.f32From(hht);
      const Hsum = ws.f32From(hsum), P = ws.allocI32(K);
      P.view().set(perm);
      const acc = ws.allocF32(KP * SPARSE_COLS), wtw = ws.allocF32(KP * KP), wsum = ws.allocF32(KP);
      const scratch = ws.allocF32(ws.blockRows * (M + 2 * KP));
      const xhtFull = ws.allocF32(N * KP), denFull = ws.allocF32(N * KP), whFull = ws.allocF32(N * M);
      const rowOut = ws.allocF32(N);
      const ip = ws.allocI32(N + 1), ix = ws.allocI32(nnz);
      ip.view().set(csr.indptr); ix.view().set(csr.indices);
      const xd = ws.f32From(csr.data), Hts = ws.f32From(hts), xs = ws.allocF32(N * KP);
      const K_ = ws.kernels;
      const resetW = () => W.view().set(w0);
      const t = (name: string, fn: () => void) => time(`${name} ${key}`, fn, maxTime);

      const gTN = 2 * N * K * M / 1e9;
      row('gemmTN  WᵀV', `${N}×${M}ᵀ·${N}×${K}`, gTN)[key] = rate(gTN, t('gemmTN', () => K_.gemmTN(W.ptr, X.ptr, acc.ptr, N, KP, M)));
      row('gemmTN  WᵀV, naive (rank-1 per row)', `same`, gTN)[key] = rate(gTN, t('gemmTN naive', () => variants.gemmTNNaive(W.ptr, X.ptr, acc.ptr, N, KP, M)));
      if (simd) {
        const splat = ws.allocF32(ws.blockRows * KP * 4);
        row('gemmTN  WᵀV, A pre-broadcast per block', 'same', gTN, 'SIMD only')[key] = rate(gTN, t('gemmTN presplat', () => variants.gemmTNPresplat(W.ptr, X.ptr, acc.ptr, N, KP, M, splat.ptr)));
      }
      row('gemmNN  V·Hᵀ', `${N}×${M}·${M}×${K}`, gTN)[key] = rate(gTN, t('gemmNN', () => K_.gemmNN(X.ptr, Ht.ptr, xhtFull.ptr, N, M, KP)));
      row('gemmNN  V·Hᵀ, naive (row at a time)', 'same', gTN)[key] = rate(gTN, t('gemmNN naive', () => variants.gemmNNNaive(X.ptr, Ht.ptr, xhtFull.ptr, N, M, KP)));

      const gMuF = (4 * N * K * M + 4 * N * K * K + 3 * N * K) / 1e9;
      resetW();
      row('MU Frobenius W pass, fused', `${N}×${M}, k=${K}`, gMuF)[key] = rate(gMuF, t('muFro fused', () => K_.muFrobeniusPass(X.ptr, W.ptr, Ht.ptr, HHt.ptr, acc.ptr, wtw.ptr, scratch.ptr, N, M, KP, 0, 0)));
      resetW();
      row('MU Frobenius W pass, composed', 'same', gMuF, 'gemmNN ×2, muApply, gemmTN ×2 over the whole matrix')[key] = rate(gMuF, t('muFro composed', () => {
        K_.gemmNN(X.ptr, Ht.ptr, xhtFull.ptr, N, M, KP);
        K_.gemmNN(W.ptr, HHt.ptr, denFull.ptr, N, KP, KP);
        K_.muApply(W.ptr, xhtFull.ptr, denFull.ptr, N * KP, 0, 0, 0);
        K_.gemmTN(W.ptr, X.ptr, acc.ptr, N, KP, M);
        K_.gemmTN(W.ptr, W.ptr, wtw.ptr, N, KP, KP);
      }));
      const gHals = (4 * N * K * M + 2 * N * K * K + 2 * N * K * K) / 1e9;
      resetW();
      row('HALS W pass, fused', `${N}×${M}, k=${K}`, gHals)[key] = rate(gHals, t('hals fused', () => { K_.halsPass(X.ptr, W.ptr, Ht.ptr, HHt.ptr, P.ptr, K, acc.ptr, wtw.ptr, scratch.ptr, N, M, KP, 0, 0); }));
      resetW();
      row('HALS W pass, composed', 'same', gHals, 'gemmNN, cdUpdate, gemmTN ×2')[key] = rate(gHals, t('hals composed', () => {
        K_.gemmNN(X.ptr, Ht.ptr, xhtFull.ptr, N, M, KP);
        K_.cdUpdate(W.ptr, HHt.ptr, xhtFull.ptr, P.ptr, N, K, KP, 0, 0, scratch.ptr);
        K_.gemmTN(W.ptr, X.ptr, acc.ptr, N, KP, M);
        K_.gemmTN(W.ptr, W.ptr, wtw.ptr, N, KP, KP);
      }));
      const gKl = (8 * N * K * M + 2 * N * M + 3 * N * K) / 1e9;
      resetW();
      row('MU KL W pass, fused (W·H a block at a time)', `${N}×${M}, k=${K}`, gKl)[key] = rate(gKl, t('kl fused', () => K_.muKlPass(X.ptr, W.ptr, H.ptr, Ht.ptr, Hsum.ptr, acc.ptr, wsum.ptr, scratch.ptr, N, M, KP, 0, 0)));
      resetW();
      row('MU KL W pass, composed (whole W·H built)', 'same', gKl, `needs a ${N}×${M} buffer`)[key] = rate(gKl, t('kl composed', () => {
        K_.gemmNN(W.ptr, H.ptr, whFull.ptr, N, KP, M);
        K_.klRatio(X.ptr, whFull.ptr, whFull.ptr, N * M);
        K_.gemmNN(whFull.ptr, Ht.ptr, xhtFull.ptr, N, M, KP);
        const den = denFull.view();
        for (let r = 0; r < N; r++) den.set(hsum, r * KP);
        K_.muApply(W.ptr, xhtFull.ptr, denFull.ptr, N * KP, 0, 0, 0);
        K_.gemmNN(W.ptr, H.ptr, whFull.ptr, N, KP, M);
        K_.klRatio(X.ptr, whFull.ptr, whFull.ptr, N * M);
        K_.gemmTN(W.ptr, whFull.ptr, acc.ptr, N, KP, M);
      }));
      const gLoss = (2 * N * K * M + 3 * N * M) / 1e9;
      row('loss Frobenius', `${N}×${M}, k=${K}`, gLoss)[key] = rate(gLoss, t('loss fro', () => { K_.lossFrobenius(X.ptr, W.ptr, H.ptr, scratch.ptr, rowOut.ptr, N, M, KP); }));
      row('loss KL', `${N}×${M}, k=${K}`, gLoss)[key] = rate(gLoss, t('loss kl', () => { K_.lossKl(X.ptr, W.ptr, H.ptr, Hsum.ptr, scratch.ptr, rowOut.ptr, N, M, KP); }));

      const gCsr = 2 * nnz * K / 1e9;
      row('csrGemmNN  V·Hᵀ (sparse)', `${N}×${SPARSE_COLS}, ${nnz} nnz`, gCsr)[key] = rate(gCsr, t('csrNN', () => K_.csrGemmNN(ip.ptr, ix.ptr, xd.ptr, Hts.ptr, xs.ptr, N, KP)));
      row('csrGemmTN  VᵀW (sparse)', 'same', gCsr)[key] = rate(gCsr, t('csrTN', () => K_.csrGemmTN(ip.ptr, ix.ptr, xd.ptr, W.ptr, acc.ptr, N, KP)));
      const gCsrMu = (4 * nnz * K + 2 * N * K * K) / 1e9;
      resetW();
      row('MU Frobenius W pass (sparse)', 'same', gCsrMu)[key] = rate(gCsrMu, t('csr mu', () => K_.muFrobeniusPassCsr(ip.ptr, ix.ptr, xd.ptr, W.ptr, Hts.ptr, HHt.ptr, acc.ptr, scratch.ptr, N, KP, 0, 0)));
      resetW();
      row('HALS W pass (sparse)', 'same', gCsrMu)[key] = rate(gCsrMu, t('csr hals', () => { K_.halsPassCsr(ip.ptr, ix.ptr, xd.ptr, W.ptr, Hts.ptr, HHt.ptr, P.ptr, K, acc.ptr, scratch.ptr, N, KP, 0, 0); }));
      resetW();
      const gCsrKl = (8 * nnz * K) / 1e9;
      row('MU KL W pass (sparse)', 'same', gCsrKl)[key] = rate(gCsrKl, t('csr kl', () => K_.muKlPassCsr(ip.ptr, ix.ptr, xd.ptr, W.ptr, Hts.ptr, Hsum.ptr, acc.ptr, wsum.ptr, scratch.ptr, N, KP, 0, 0)));

      const gArg = 2 * N * K / 1e9;
      const idxOut = ws.allocI32(N);
      row('argmaxRows (persona per user)', `${N}×${K}`, gArg, 'GFLOP/s counts 2 operations per entry')[key] = rate(gArg, t('argmax', () => K_.argmaxRows(W.ptr, Hsum.ptr, idxOut.ptr, rowOut.ptr, N, K, KP)));
      const gTop = N * M / 1e9;
      const topOut = ws.allocI32(N * 5);
      row('topKRows (top 5 of 40 per row)', `${N}×${M}`, gTop, 'G elements/s')[key] = rate(gTop, t('topk', () => K_.topKRows(X.ptr, topOut.ptr, N, M, 5)));
    }

    // Plain TypeScript: the test oracles (float64 loops, no blocking)
    const t = (name: string, fn: () => void) => time(`${name} ts`, fn, maxTime);
    const find = (k: string) => rows.find((r) => r.kernel === k)!;
    find('gemmTN  WᵀV').ts = rate(find('gemmTN  WᵀV').gflop, t('gemmTN', () => ref.gemmTN(w0, x, new Float64Array(KP * M), N, KP, M)));
    find('gemmNN  V·Hᵀ').ts = rate(find('gemmNN  V·Hᵀ').gflop, t('gemmNN', () => ref.gemmNN(x, ht, N, M, KP)));
    find('MU Frobenius W pass, fused').ts = rate(find('MU Frobenius W pass, fused').gflop, t('muFro', () => ref.muFrobeniusPass(x, w0, ht, hht, N, M, KP, 0, 0)));
    find('HALS W pass, fused').ts = rate(find('HALS W pass, fused').gflop, t('hals', () => ref.halsPass(x, w0, ht, hht, perm, K, N, M, KP, 0, 0)));
    find('MU KL W pass, fused (W·H a block at a time)').ts = rate(find('MU KL W pass, fused (W·H a block at a time)').gflop, t('kl', () => ref.muKlPass(x, w0, h, ht, hsum, N, M, KP, 0, 0)));
    find('loss Frobenius').ts = rate(find('loss Frobenius').gflop, t('lossFro', () => ref.lossFrobeniusRows(x, w0, h, N, M, KP)));
    find('loss KL').ts = rate(find('loss KL').gflop, t('lossKl', () => ref.lossKlRows(x, w0, h, N, M, KP)));
    find('csrGemmNN  V·Hᵀ (sparse)').ts = rate(find('csrGemmNN  V·Hᵀ (sparse)').gflop, t('csrNN', () => plainCsrTimes(csr, hts, KP)));
    find('argmaxRows (persona per user)').ts = rate(find('argmaxRows (persona per user)').gflop, t('argmax', () => ref.argmaxRows(w0, hsum, N, K, KP)));
    find('topKRows (top 5 of 40 per row)').ts = rate(find('topKRows (top 5 of 40 per row)').gflop, t('topk', () => plainTopK(x, N, M, 5)));
  });

  const info = machine();
  console.log(`\n${info.cpu}, ${info.cores} cores, Node ${info.node} (V8 ${info.v8}); single thread; median of benchmark.js samples`);
  console.log(`load from other processes during the run: ${load === undefined ? 'unknown' : `${(load * 100).toFixed(0)} % of all cores`}\n`);
  console.log('| kernel | shape | plain TS | WASM scalar | WASM SIMD | SIMD ÷ scalar | SIMD ÷ TS |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.kernel}${r.note ? ` (${r.note})` : ''} | ${r.shape} | ${r.ts ? fmt(r.ts) : '–'} | ${fmt(r.scalar ?? NaN)} | ${fmt(r.simd ?? NaN)} | ${fmt((r.simd ?? NaN) / (r.scalar ?? NaN), 1)}× | ${r.ts ? `${fmt((r.simd ?? NaN) / r.ts, 1)}×` : '–'} |`);
  }
  writeJson(fromRoot('bench', 'results', `kernels-${Date.now()}.json`), { machine: info, otherLoad: load, unit: 'GFLOP/s', rows });
}

async function benchVariants(ws: Workspace, simd: boolean) {
  const bytes = readFileSync(fromRoot('build', `bench-variants.${simd ? 'simd' : 'scalar'}.wasm`));
  const { instance } = await WebAssembly.instantiate(bytes, { env: { memory: ws.memory } });
  return instance.exports as unknown as {
    gemmTNNaive(a: number, b: number, c: number, rows: number, p: number, q: number): void;
    gemmNNNaive(a: number, b: number, c: number, rows: number, inner: number, cols: number): void;
    gemmTNPresplat(a: number, b: number, c: number, rows: number, p: number, q: number, splat: number): void;
  };
}

function plainTopK(a: Float32Array, rows: number, cols: number, k: number): Int32Array {
  const out = new Int32Array(rows * k);
  const order = new Int32Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) order[c] = c;
    const row = a.subarray(r * cols, (r + 1) * cols);
    order.sort((x, y) => row[y]! - row[x]! || x - y);
    out.set(order.subarray(0, k), r * k);
  }
  return out;
}
