// The `personas demo` command end to end: in-process through main() with captured output, and once
// through the real executable.
import { describe, expect, test } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { main } from '../src/cli/main.js';
import { capture } from './cli-helpers.js';

describe('personas demo', () => {
  test('--json: the CLI.md fields, seven personas, close to the planted ones', async () => {
    const io = capture();
    expect(await main(['demo', '--json', '--users', '4000'], io)).toBe(0);
    const doc = JSON.parse(io.out);
    expect(doc.k).toBe(7);
    expect(doc.input.users).toBe(4000);
    expect(doc.input.events).toHaveLength(40);
    expect(doc.fit).toMatchObject({ solver: 'hals', loss: 'frobenius', init: 'nndsvda', simd: true, threads: 1 });
    for (const key of ['iterations', 'reconstructionError', 'relativeError']) expect(Number.isFinite(doc.fit[key])).toBe(true);
    expect(doc.personas).toHaveLength(7);
    for (const p of doc.personas) {
      expect(p.topEvents.length).toBeGreaterThan(0);
      for (const e of p.topEvents) expect(Number.isFinite(e.weight) && Number.isFinite(e.lift)).toBe(true);
    }
    expect(doc.planted.adjustedRandIndex).toBeGreaterThan(0.85);
    expect(io.err).toBe(''); // --json: nothing else on stdout, and no chatter
  });

  test('text report and the same personas for the same seed', async () => {
    const a = capture(), b = capture();
    expect(await main(['demo', '--users', '2000', '--quiet'], a)).toBe(0);
    expect(await main(['demo', '--users', '2000', '--quiet'], b)).toBe(0);
    expect(a.out).toMatch(/Agreement with the planted personas/);
    const personas = (s: string) => s.split('\n').filter((l) => /^\d  /.test(l)).map((l) => l.replace(/\d+\.\d+ s/, ''));
    expect(personas(a.out)).toEqual(personas(b.out));
  });

  test('--write-data writes the events CSV whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'personas-demo-'));
    const file = join(dir, 'crm.csv');
    expect(await main(['demo', '--users', '300', '--quiet', '--write-data', file], capture())).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('user_id,event,count');
    expect(lines.length).toBeGreaterThan(300);
    expect(lines[1]).toMatch(/^u\d{6},[a-z_]+,\d+$/);
    expect(readdirSync(dir)).toEqual(['crm.csv']); // no temporary file left
  });

  test('an unwritable --write-data path: exit 2, a clear message, nothing written', async () => {
    const io = capture();
    const file = join(tmpdir(), 'no-such-dir-personas', 'x.csv');
    expect(await main(['demo', '--users', '300', '--write-data', file], io)).toBe(2);
    expect(io.err).toMatch(/cannot write .*x\.csv: its directory does not exist/);
    expect(existsSync(file)).toBe(false);
  });

  test('bad usage exits 2 with the reason', async () => {
    for (const [argv, message] of [
      [['demo', '--users', 'ten'], /expected an integer from 50 to 5000000, got "ten"/],
      [['demo', '--solver', 'cd'], /Allowed choices are hals, mu/],
      [['demo', '--nope'], /unknown option '--nope'/],
      [['frobnicate'], /unknown command 'frobnicate'/],
    ] as const) {
      const io = capture();
      expect(await main(argv, io)).toBe(2);
      expect(io.err).toMatch(message);
    }
  });

  test('--help and --version exit 0', async () => {
    const io = capture();
    expect(await main(['--version'], io)).toBe(0);
    expect(io.out).toMatch(/^\d+\.\d+\.\d+/);
    expect(await main(['demo', '--help'], io)).toBe(0);
    expect(io.out).toMatch(/--write-data <file>/);
  });

  test('the installed executable runs', () => {
    const r = spawnSync(process.execPath, [new URL('../bin/personas.js', import.meta.url).pathname, 'demo', '--users', '500', '--quiet', '--no-simd'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\(scalar\)/);
  });
});
