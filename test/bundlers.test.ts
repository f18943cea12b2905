// The package as a web developer meets it: an app importing `personas/browser` (through package.json
// exports, from node_modules) bundled by Vite, webpack and esbuild with no configuration, then run
// in Chromium, where createPersonaWorker() starts the bundled workers; fit, selectK and assign give
// what Node gives for the same seed.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';
import webpack from 'webpack';
import { serve } from '../scripts/serve.mjs';
import { CHROMIUM_ARGS } from '../scripts/screenshot.mjs';
import { runFit, runSelectK } from '../src/browser/tasks.js';

const root = new URL('..', import.meta.url).pathname;
const APP = `import { createPersonaWorker, MODEL_FORMAT } from 'personas/browser';
const worker = createPersonaWorker();
const demo = { kind: 'demo', users: 2000, seed: 0 };
(async () => {
  const fit = await worker.fit({ input: demo, k: 4, seed: 0 }, { onProgress: () => { window.progressEvents = (window.progressEvents ?? 0) + 1; } });
  const survey = await worker.selectK({ input: demo, k: { from: 2, to: 4 }, seed: 0 });
  const again = await worker.assign({ model: fit.model, input: demo });
  let same = 0;
  for (let u = 0; u < fit.users.length; u++) same += again.users[u] === fit.users[u] && again.persona[u] === fit.persona[u] ? 1 : 0;
  return {
    format: fit.model.format === MODEL_FORMAT, k: fit.model.k, users: fit.users.length, H: fit.model.H, crossOriginIsolated,
    survey: survey.survey.candidates.map((c) => [c.k, c.cvError, c.stability]), recommended: survey.survey.recommended, threads: worker.threads, cores: navigator.hardwareConcurrency,
    agreement: same / fit.users.length,
  };
})().then((r) => { window.result = r; }, (e) => { window.result = { error: String(e) }; });
`;
const HTML = (script: string) => `<!doctype html><html><head><link rel="icon" href="data:,"></head><body><script type="module" src="${script}"></script></body></html>\n`;

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
afterAll(async () => browser?.close());

/** A throwaway app folder with the package installed as a dependency (a link, as `npm link` makes). */
function app(): string {
  const dir = mkdtempSync(join(tmpdir(), 'personas-app-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules/personas'), 'dir');
  writeFileSync(join(dir, 'main.js'), APP);
  return dir;
}

async function runInChromium(folder: string): Promise<unknown> {
  const server = await serve(folder);
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => (window as unknown as { result?: unknown }).result, undefined, { timeout: 60_000 });
    expect(errors).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { progressEvents?: number }).progressEvents)).toBeGreaterThan(0);
    return await page.evaluate(() => (window as unknown as { result: unknown }).result);
  } finally {
    await page.close();
    await server.close();
  }
}

/** No Node built-in reached the browser code. */
function expectNoNodeImports(folder: string): void {
  for (const f of readdirSync(folder, { recursive: true }) as string[]) {
    if (f.endsWith('.js')) expect(readFileSync(join(folder, f), 'utf8'), f).not.toMatch(/["'`]node:[a-z_/]+["'`]/);
  }
}

const demo = { kind: 'demo', users: 2000, seed: 0 } as const;
const signal = new AbortController().signal;
/** What Node computes for the same requests (one thread). */
async function expected() {
  const fit = await runFit({ input: demo, k: 4, seed: 0 }, () => {}, signal);
  const survey = await runSelectK({ input: demo, k: { from: 2, to: 4 }, seed: 0 }, () => {}, signal);
  return {
    format: true, k: 4, users: fit.users.length, H: fit.model.H, crossOriginIsolated: true,
    survey: survey.survey.candidates.map((c) => [c.k, c.cvError, c.stability]), recommended: survey.survey.recommended,
    agreement: 1, // fit then assign on the same users: the same personas
  };
}

/** Runs the built app; its workers (one per core, at most 4) give Node's numbers. */
async function check(folder: string): Promise<void> {
  const { threads, cores, ...got } = await runInChromium(folder) as { threads: number; cores: number };
  expect(threads).toBe(Math.min(4, cores));
  expect(got).toEqual(await expected());
}

describe('bundling personas/browser with no configuration', () => {
  test('Vite', async () => {
    const dir = app();
    writeFileSync(join(dir, 'index.html'), HTML('./main.js'));
    await vite({ root: dir, logLevel: 'silent', configFile: false, build: { outDir: join(dir, 'dist') } });
    expectNoNodeImports(join(dir, 'dist'));
    await check(join(dir, 'dist'));
  });

  test('webpack', async () => {
    const dir = app();
    const stats = await new Promise<webpack.Stats>((resolve, reject) =>
      webpack({ mode: 'production', context: dir, entry: './main.js', output: { path: join(dir, 'dist') } }, (e, s) => (e ? reject(e) : resolve(s!))));
    expect(stats.toJson({ all: false, errors: true }).errors).toEqual([]);
    writeFileSync(join(dir, 'dist/index.html'), HTML('./main.js'));
    expectNoNodeImports(join(dir, 'dist'));
    await check(join(dir, 'dist'));
  });

  test('esbuild (the worker as a second entry, personas/worker)', async () => {
    const dir = app();
    await esbuild({
      absWorkingDir: dir, entryPoints: { main: './main.js', 'persona-worker': 'personas/worker' },
      bundle: true, format: 'esm', platform: 'browser', outdir: join(dir, 'dist'), logLevel: 'silent',
    });
    writeFileSync(join(dir, 'dist/index.html'), HTML('./main.js'));
    expectNoNodeImports(join(dir, 'dist'));
    await check(join(dir, 'dist'));
  });
});
