// The persona explorer page end to end in Debian's Chromium (playwright-core; .ci/run installs it):
// the built page (web/dist, from `npm run build`) served over HTTP, driven like a user would, and its
// results checked against Node's for the same seed and input. Screenshots go to test-results/.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serve } from '../scripts/serve.mjs';
import { CHROMIUM_ARGS } from '../scripts/screenshot.mjs';
import { runFit } from '../src/browser/tasks.js';
import { main } from '../src/cli/main.js';
import { parseModel, type PersonaModel } from '../src/model/model.js';
import { assignmentRows } from '../src/report/assignments-csv.js';
import { capture } from './cli-helpers.js';

const out = new URL('../test-results/', import.meta.url).pathname;
const data = (p: string) => new URL(`../data/${p}`, import.meta.url).pathname;
let server: { origin: string; close(): Promise<void> };
let browser: Browser;

beforeAll(async () => {
  mkdirSync(out, { recursive: true });
  server = await serve(new URL('../web/dist', import.meta.url).pathname);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh page, failing the test on any console error or request that leaves the page's origin. */
async function open(query = ''): Promise<{ page: Page; errors: string[]; foreign: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const errors: string[] = [], foreign: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => { if (!r.url().startsWith(server.origin) && !/^(data|blob):/.test(r.url())) foreign.push(r.url()); });
  await page.goto(`${server.origin}/${query}`);
  return { page, errors, foreign };
}

async function download(page: Page, button: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  return readFileSync((await file.path())!, 'utf8');
}

const finished = (page: Page) => page.waitForSelector('body[data-state=done]', { timeout: 180_000 });

describe('the persona explorer page', () => {
  test('demo with a recommended k: the same survey, personas and assignments as Node for the same seed; renaming carries into the downloads', async () => {
    const { page, errors, foreign } = await open();
    await page.click('#demo');
    await finished(page);
    await page.screenshot({ path: `${out}explorer-demo.png`, fullPage: true });

    const node = await runFit({ input: { kind: 'demo', users: 20000, seed: 0 }, k: 'auto', transform: 'share', seed: 0 }, () => {}, new AbortController().signal);
    const model = parseModel(await download(page, '#dl-model'), 'browser model');
    // The page spreads the survey over its workers and the fit's row passes over kernel threads
    // sharing memory (the page is cross-origin isolated); Node ran both in one thread: same numbers.
    const cores = Math.min(4, await page.evaluate(() => navigator.hardwareConcurrency));
    expect(model.survey!.threads).toBe(cores);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(Number(await page.getAttribute('body', 'data-fit-threads'))).toBe(cores);
    expect(node.fitThreads).toBe(1);
    expect(node.survey!.threads).toBe(1);
    expect(model.survey!.recommended).toBe(node.survey!.recommended);
    expect(model.survey!.candidates.map((c) => [c.k, c.cvError, c.stability])).toEqual(node.survey!.candidates.map((c) => [c.k, c.cvError, c.stability]));
    expect(model.k).toBe(node.model.k);
    expect(model.H).toEqual(node.model.H); // bit for bit: same kernels, same order of operations
    const csv = await download(page, '#dl-assign');
    expect(csv).toBe([...assignmentRows({ users: node.users, setAside: node.setAside, persona: node.persona, confidence: node.confidence, names: node.model.names })].join(''));
    expect(await page.locator('.card').count()).toBe(node.model.k);

    // Rename the largest persona; the cards, the model and the assignments follow.
    const first = page.locator('.card').first();
    const id = Number(await first.getAttribute('data-persona'));
    await first.locator('h3').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Sales');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.card h3').first().textContent()).toBe('Sales');
    const renamed = parseModel(await download(page, '#dl-model'));
    expect(renamed.names[id]).toBe('Sales');
    expect(renamed.personas.find((p) => p.id === id)!.name).toBe('Sales');
    expect((await download(page, '#dl-assign')).split('\n').filter((l) => l.split(',')[1] === String(id)).every((l) => l.split(',')[2] === 'Sales')).toBe(true);
    const report = await download(page, '#dl-report');
    expect(report).toContain('<h3>Sales</h3>');
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
  });

  test('a real gzipped export (OULAD) from the file picker gives exactly what `personas fit` writes', async () => {
    const { page, errors, foreign } = await open();
    await page.setInputFiles('#file', data('oulad-vle/events.csv.gz'));
    await page.selectOption('#kmode', 'fixed');
    await page.fill('#k', '5');
    await page.click('#run');
    await finished(page);
    await page.screenshot({ path: `${out}explorer-oulad.png`, fullPage: true });
    expect(await page.locator('.summary').textContent()).toContain('29,228');

    const dir = mkdtempSync(join(tmpdir(), 'personas-e2e-'));
    expect(await main(['fit', data('oulad-vle/events.csv.gz'), '-k', '5', '--seed', '0', '--quiet', '--model', join(dir, 'm.json'), '--assignments', join(dir, 'a.csv')], capture())).toBe(0);
    const cli: PersonaModel = parseModel(readFileSync(join(dir, 'm.json'), 'utf8'));
    const model = parseModel(await download(page, '#dl-model'));
    expect(model.H).toEqual(cli.H);
    expect(model.names).toEqual(cli.names);
    expect(await download(page, '#dl-assign')).toBe(readFileSync(join(dir, 'a.csv'), 'utf8'));
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
  });

  test('without cross-origin isolation the fit runs in one thread, with the same personas', async () => {
    const plain = await serve(new URL('../web/dist', import.meta.url).pathname, 0, { isolated: false });
    const page = await browser.newPage({ acceptDownloads: true });
    try {
      await page.goto(`${plain.origin}/`);
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
      await page.selectOption('#kmode', 'fixed');
      await page.fill('#k', '7');
      await page.click('#demo');
      await finished(page);
      expect(await page.getAttribute('body', 'data-fit-threads')).toBe('1');
      const node = await runFit({ input: { kind: 'demo', users: 20000, seed: 0 }, k: 7, transform: 'share', seed: 0 }, () => {}, new AbortController().signal);
      expect(parseModel(await download(page, '#dl-model')).H).toEqual(node.model.H);
    } finally {
      await page.close();
      await plain.close();
    }
  });

  test('bad input: the error names the file, line and column, and nothing is shown as a result', async () => {
    const { page } = await open();
    await page.setInputFiles('#file', { name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('user_id,event,count\nu1,deal_added,2\nu2,deal_added,-3\n') });
    await page.click('#run');
    await page.waitForSelector('#error:not([hidden])');
    const message = await page.locator('#error').textContent();
    expect(message).toMatch(/^broken\.csv:3:3: expected a count ≥ 0 in column count, found "-3"/); // file:line:column
    expect(await page.locator('.card').count()).toBe(0);
    expect(await page.isHidden('#downloads')).toBe(true);
  });

  test('cancelling stops the worker mid-survey and leaves the page usable', async () => {
    const { page, errors } = await open('?demoUsers=100000');
    await page.click('#demo'); // k recommended: a survey of 2..12, the longest step
    await page.waitForFunction(() => /Choosing k… [1-9]/.test(document.querySelector('#progress .label')?.textContent ?? ''), undefined, { timeout: 60_000 });
    await page.click('#cancel');
    await page.waitForSelector('#error:not([hidden])', { timeout: 30_000 });
    expect(await page.locator('#error').textContent()).toBe('Cancelled.');
    expect(await page.isEnabled('#run')).toBe(true);
    expect(await page.locator('.card').count()).toBe(0);
    // The same worker takes the next job.
    await page.selectOption('#kmode', 'fixed');
    await page.fill('#k', '3');
    await page.click('#run');
    await finished(page);
    expect(await page.locator('.card').count()).toBe(3);
    expect(errors).toEqual([]);
  });

  test('the page keeps drawing frames while 100,000 users are fitted', async () => {
    const { page, errors } = await open('?demoUsers=100000');
    await page.selectOption('#kmode', 'fixed');
    await page.fill('#k', '7');
    // Record every animation frame while the work runs (body[data-state=running]).
    await page.evaluate(() => {
      const w = window as unknown as { frames: number[] };
      w.frames = [];
      const tick = (t: number) => {
        if (document.body.dataset.state === 'running') w.frames.push(t);
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.click('#demo');
    await finished(page);
    const frames = await page.evaluate(() => (window as unknown as { frames: number[] }).frames);
    const gaps = frames.slice(1).map((t, i) => t - frames[i]!).sort((a, b) => a - b);
    const seconds = (frames.at(-1)! - frames[0]!) / 1000;
    const measured = {
      users: 100000, seconds, frames: frames.length, framesPerSecond: frames.length / seconds,
      medianGapMs: gaps[gaps.length >> 1], p99GapMs: gaps[Math.floor(gaps.length * 0.99)], maxGapMs: gaps.at(-1),
    };
    writeFileSync(`${out}explorer-responsiveness.json`, JSON.stringify(measured, null, 2) + '\n');
    expect(seconds).toBeGreaterThan(1); // long enough for the measurement to mean something
    // Frames keep arriving: no stall a user would notice (a blocked main thread would show one gap of the fit's length).
    expect(measured.maxGapMs).toBeLessThan(500);
    expect(measured.framesPerSecond).toBeGreaterThan(20);
    expect(errors).toEqual([]);
  });
});
