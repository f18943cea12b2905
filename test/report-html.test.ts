// The HTML report in a real browser (Debian's Chromium via playwright-core; .ci/run installs it):
// it renders without a console error, makes no network request, and is saved as a screenshot
// (test-results/report.png) to look at.
import { expect, test } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { main } from '../src/cli/main.js';
import { screenshot } from '../scripts/screenshot.mjs';
import { capture } from './cli-helpers.js';

test('the HTML report renders cleanly in Chromium, offline', async () => {
  const out = new URL('../test-results/', import.meta.url).pathname;
  mkdirSync(out, { recursive: true });
  const html = `${out}report.html`;
  const data = (p: string) => new URL(`../data/${p}`, import.meta.url).pathname;
  expect(await main(['fit', data('oulad-vle/events.csv.gz'), '-k', '6', '--quiet', '--outcome', data('oulad-vle/labels.csv.gz'), '--outcome-col', 'final_result', '--report', html], capture())).toBe(0);
  const shot = await screenshot(html, `${out}report.png`);
  expect(shot.errors).toEqual([]);
  expect(shot.requests).toEqual([]);
  expect(shot.height).toBeGreaterThan(2000); // every section laid out
  writeFileSync(`${out}report.json`, JSON.stringify(shot));
}, 60_000);
