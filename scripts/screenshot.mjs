#!/usr/bin/env node
// Renders an HTML file (or URL) in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) and saves a full-page PNG: `node scripts/screenshot.mjs report.html shot.png`.
// Prints any console error and any request that left the machine (a report must make none).
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function screenshot(target, out, { width = 1200 } = {}) {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'chromium-profile-')), {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width, height: 900 },
  });
  try {
    const page = await context.newPage();
    const errors = [], requests = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url()); });
    const url = /^https?:|^file:/.test(target) ? target : pathToFileURL(resolve(target)).href;
    await page.goto(url, { waitUntil: 'load' });
    await page.screenshot({ path: out, fullPage: true });
    return { errors, requests, height: await page.evaluate(() => document.documentElement.scrollHeight) };
  } finally {
    await context.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [target, out = 'screenshot.png'] = process.argv.slice(2);
  const r = await screenshot(target, out);
  console.log(JSON.stringify(r));
}
