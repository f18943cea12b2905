// The performance regression suite: each hot kernel (SIMD build) timed against its plain-TypeScript
// reference (the test oracles) on the same data, in the same process, one right after the other.
// The ratio (reference time ÷ kernel time) cancels the machine's speed, so a baseline committed from
// one machine holds on another; `bench:check` fails when a ratio falls well below the baseline.
//   npm run bench                      measure, write bench/results/regression-latest.json
//   npm run bench -- regression --write-baseline   measure, write bench/baseline.json
// PERSONAS_BENCH_SLOW=<kernel>[:factor] runs that kernel `factor` times per call (default 2): a real
// slowdown of the measured code, used by the test that checks that bench:check catches one.
import { createWorkspace } from '../src/wasm/loader.js';
import { Random } from '../src/random.js';
import * as ref from '../test/oracles.js';
import { fromRoot, machine, otherLoad, time, writeJson } from './harness.js';
import { kernelInputs, plainCsrTimes } from './inputs.js';

const M = 40, K = 7, KP = 8, N = 20_000;

export interface RegressionResult {
  readonly machine: ReturnType<typeof machine>;
  readonly otherLoad: number | undefined;
  readonly users: number;
  /** Per kernel: reference seconds ÷ kernel seconds (higher is faster), and both medians. */
  readonly kernels: Record<string, { ratio: number; kernelSeconds: number; referenceSeconds: number }>;
}

/** The kernels the suite tracks, by name. */
export const TRACKED = ['gemmTN', 'gemmNN', 'muFrobeniusPass', 'halsPass', 'muKlPass', 'lossFrobenius', 'csrGemmNN', 'argmaxRows', 'topKRows'] as const;

export async function main(args: string[]) {
  const only = args.includes('--kernels') ? args[args.indexOf('--kernels') + 1]!.split(',') : [...TRACKED];
  const maxTime = args.includes('--quick') ? 0.1 : 0.4;
  const result = await measure(only, maxTime);
  const out = args.includes('--write-baseline') ? fromRoot('bench', 'baseline.json')
    : args.includes('--out') ? args[args.indexOf('--out') + 1]! : fromRoot('bench', 'results', 'regression-latest.json');
  writeJson(out, result);
  console.log(`kernel speed relative to plain TypeScript (${N} users × ${M} events, k = ${K}; other load ${result.otherLoad === undefined ? 'unknown' : `${Math.round(100 * result.otherLoad)} %`}):`);
  for (const [name, r] of Object.entries(result.kernels)) console.log(`  ${name.padEnd(16)} ${r.ratio.toFixed(1).padStart(7)}×   (${(r.kernelSeconds * 1e3).toFixed(3)} ms vs ${(r.referenceSeconds * 1e3).toFixed(3)} ms)`);
  console.log(`wrote ${out}`);
}

export async function measure(only: readonly string[], maxTime: number): Promise<RegressionResult> {
  const slow = parseSlow(process.env.PERSONAS_BENCH_SLOW);
  const rng = new Random(7);
  const { x, w0, h, ht, hht, hsum, perm } = kernelInputs(rng, N, M, K, KP);
  const SC = 1000;
  const indptr = new Int32Array(N + 1), idx: number[] = [], val: number[] = [];
  for (let r = 0; r < N; r++) {
    for (let z = 0; z < 10; z++) { idx.push(z * 100 + rng.nextInt(100)); val.push(1 + rng.nextInt(5)); }
    indptr[r + 1] = idx.length;
  }
  const csr = { rows: N, cols: SC, indptr, indices: Int32Array.from(idx), data: Float32Array.from(val) };
  const hts = Float32Array.from({ length: SC * KP }, (_, i) => (i % KP < K ? 0.1 + rng.nextFloat() : 0));

  const ws = await createWorkspace({ simd: true, bytes: N * (2 * M + 4 * KP) * 4 + 32 * 2 ** 20 });
  const k = ws.kernels;
  const X = ws.f32From(x), W = ws.f32From(w0), H = ws.f32From(h), Ht = ws.f32From(ht), HHt = ws.f32From(hht), Hsum = ws.f32From(hsum);
  const P = ws.allocI32(K);
  P.view().set(perm);
  const acc = ws.allocF32(KP * SC), wtw = ws.allocF32(KP * KP), wsum = ws.allocF32(KP), out = ws.allocF32(N * KP);
  const scratch = ws.allocF32(ws.blockRows * (M + 2 * KP)), rowOut = ws.allocF32(N), idxOut = ws.allocI32(N), topOut = ws.allocI32(N * 5);
  const ip = ws.allocI32(N + 1), ix = ws.allocI32(csr.indices.length), xd = ws.f32From(csr.data), Hts = ws.f32From(hts);
  ip.view().set(csr.indptr);
  ix.view().set(csr.indices);
  const resetW = () => W.view().set(w0);

  // Each kernel beside the plain-TypeScript code that computes the same thing.
  const pairs: Record<(typeof TRACKED)[number], [() => void, () => void]> = {
    gemmTN: [() => k.gemmTN(W.ptr, X.ptr, acc.ptr, N, KP, M), () => ref.gemmTN(w0, x, new Float64Array(KP * M), N, KP, M)],
    gemmNN: [() => k.gemmNN(X.ptr, Ht.ptr, out.ptr, N, M, KP), () => ref.gemmNN(x, ht, N, M, KP)],
    muFrobeniusPass: [() => { resetW(); k.muFrobeniusPass(X.ptr, W.ptr, Ht.ptr, HHt.ptr, acc.ptr, wtw.ptr, scratch.ptr, N, M, KP, 0, 0); }, () => ref.muFrobeniusPass(x, w0, ht, hht, N, M, KP, 0, 0)],
    halsPass: [() => { resetW(); k.halsPass(X.ptr, W.ptr, Ht.ptr, HHt.ptr, P.ptr, K, acc.ptr, wtw.ptr, scratch.ptr, N, M, KP, 0, 0); }, () => ref.halsPass(x, w0, ht, hht, perm, K, N, M, KP, 0, 0)],
    muKlPass: [() => { resetW(); k.muKlPass(X.ptr, W.ptr, H.ptr, Ht.ptr, Hsum.ptr, acc.ptr, wsum.ptr, scratch.ptr, N, M, KP, 0, 0); }, () => ref.muKlPass(x, w0, h, ht, hsum, N, M, KP, 0, 0)],
    lossFrobenius: [() => { k.lossFrobenius(X.ptr, W.ptr, H.ptr, scratch.ptr, rowOut.ptr, N, M, KP); }, () => ref.lossFrobeniusRows(x, w0, h, N, M, KP)],
    csrGemmNN: [() => k.csrGemmNN(ip.ptr, ix.ptr, xd.ptr, Hts.ptr, out.ptr, N, KP), () => plainCsrTimes(csr, hts, KP)],
    argmaxRows: [() => k.argmaxRows(W.ptr, Hsum.ptr, idxOut.ptr, rowOut.ptr, N, K, KP), () => ref.argmaxRows(w0, hsum, N, K, KP)],
    topKRows: [() => k.topKRows(X.ptr, topOut.ptr, N, M, 5), () => ref.topKRows(x, N, M, 5)],
  };
  const kernels: RegressionResult['kernels'] = {};
  const { otherLoad: load } = await otherLoad(() => {
    for (const name of only) {
      const pair = pairs[name as (typeof TRACKED)[number]];
      if (!pair) throw new Error(`unknown kernel ${name}; tracked: ${TRACKED.join(', ')}`);
      const [kernel, reference] = pair;
      const times = slow?.kernel === name ? slow.factor : 1;
      const run = times === 1 ? kernel : () => { for (let i = 0; i < times; i++) kernel(); };
      const a = time(`${name} wasm`, run, maxTime), b = time(`${name} ts`, reference, maxTime);
      kernels[name] = { ratio: b.median / a.median, kernelSeconds: a.median, referenceSeconds: b.median };
    }
  });
  return { machine: machine(), otherLoad: load, users: N, kernels };
}

function parseSlow(value: string | undefined): { kernel: string; factor: number } | undefined {
  if (!value) return undefined;
  const [kernel, factor = '2'] = value.split(':');
  return { kernel: kernel!, factor: Math.max(1, Math.round(Number(factor))) };
}
