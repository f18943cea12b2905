import { expect, test } from 'vitest';
import { createWorkspace } from '../src/wasm/loader.js';
import { simdSupported } from '../src/wasm/features.js';

test('buffers are 16-byte aligned and above the module\'s static data', async () => {
  const ws = await createWorkspace();
  const a = ws.allocF32(3), b = ws.allocF32(5), c = ws.allocI32(1);
  for (const buf of [a, b, c]) expect(buf.ptr % 16).toBe(0);
  expect(a.ptr).toBeGreaterThanOrEqual(ws.kernels.heapBase());
  expect(b.ptr).toBeGreaterThanOrEqual(a.ptr + 12);
});

test('handles survive memory growth; views are made fresh', async () => {
  const ws = await createWorkspace({ bytes: 0 });
  const a = ws.allocF32(4);
  a.view().set([1, 2, 3, 4]);
  const stale = a.view();
  const before = ws.memory.buffer.byteLength;
  const big = ws.allocF32(4 * 1024 * 1024); // 16 MiB: forces memory.grow
  expect(ws.memory.buffer.byteLength).toBeGreaterThan(before);
  expect(stale.length).toBe(0); // the old view was detached by the growth: why we never keep one
  expect(Array.from(a.view())).toEqual([1, 2, 3, 4]);
  big.view()[big.length - 1] = 5;
  expect(big.view()[big.length - 1]).toBe(5);
});

test('SIMD is detected on this engine and can be forced off', async () => {
  expect(simdSupported()).toBe(true);
  expect((await createWorkspace()).simd).toBe(true);
  expect((await createWorkspace({ simd: false })).simd).toBe(false);
});

test('asking for more than 4 GiB fails with a clear error', async () => {
  const ws = await createWorkspace();
  expect(() => ws.allocF32(1.1 * 2 ** 30)).toThrow(/4 GiB/);
});
