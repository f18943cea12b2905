// bench:check catches a real slowdown: with one kernel made to do its work twice per call
// (PERSONAS_BENCH_SLOW), the check against the committed baseline fails and names that kernel, while
// the untouched kernel measured in the same run passes.
import { expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';

const check = (env: Record<string, string> = {}) => spawnSync(process.execPath, [new URL('../bench/check.mjs', import.meta.url).pathname, '--kernels', 'gemmTN,halsPass'], {
  encoding: 'utf8', env: { ...process.env, ...env },
});

test('a kernel made 2× slower fails bench:check; the others pass', () => {
  const slowed = check({ PERSONAS_BENCH_SLOW: 'gemmTN:2' });
  expect(slowed.status, slowed.stdout + slowed.stderr).toBe(1);
  expect(slowed.stderr).toMatch(/bench:check failed: gemmTN: .* slower\)$/m);
  expect(slowed.stderr).not.toMatch(/halsPass/);
  expect(slowed.stdout).toMatch(/\| halsPass \| .* \| ok \|/);
}, 120_000);

test('the same kernels unchanged pass', () => {
  const normal = check();
  expect(normal.status, normal.stdout + normal.stderr).toBe(0);
  expect(normal.stdout).toMatch(/bench:check passed/);
}, 120_000);
