// An interrupted run (Ctrl-C, kill) leaves no output file behind, complete, partial or temporary: while
// it writes, it removes its temporary files and exits 130 / 143; before, the signal stops it at once
// (Node's default, which does not wait for a long computation). Runs the real binary (bin/ → dist/).
import { describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { generateCrmDemo } from '../src/index.js';

const demo = generateCrmDemo({ users: 60_000, seed: 2 });
const m = demo.events.length;
const table = 'user_id,' + demo.events.join(',') + '\n' + demo.users.map((u, i) => `${u},${Array.from(demo.counts.subarray(i * m, (i + 1) * m)).join(',')}`).join('\n') + '\n';

describe('interrupting personas', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    test(`${signal} while the assignments stream out: exit ${code}, no file left`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'personas-interrupt-'));
      writeFileSync(join(dir, 'counts.csv'), table);
      const child = spawn(process.execPath, [new URL('../bin/personas.js', import.meta.url).pathname, 'fit', join(dir, 'counts.csv'), '-k', '7', '--sample', '5000', '--quiet',
        '--assignments', join(dir, 'out.csv'), '--model', join(dir, 'model.json')], { stdio: 'ignore' });
      const exited = once(child, 'exit');
      // The streamed assignments file is staged for the last pass: stop the run once it exists.
      while (!readdirSync(dir).some((f) => f.startsWith('.out.csv.'))) await new Promise((r) => setTimeout(r, 5));
      child.kill(signal);
      const [exitCode] = await exited;
      expect(exitCode).toBe(code);
      expect(readdirSync(dir)).toEqual(['counts.csv']);
    }, 30_000);
  }

  test('before any output is staged, SIGINT stops the run at once, by the signal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'personas-interrupt-'));
    writeFileSync(join(dir, 'counts.csv'), table);
    const child = spawn(process.execPath, [new URL('../bin/personas.js', import.meta.url).pathname, 'fit', join(dir, 'counts.csv'), '-k', '7', '--sample', '50000', '--quiet',
      '--assignments', join(dir, 'out.csv')], { stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = once(child, 'exit');
    await new Promise((r) => setTimeout(r, 200)); // still reading or fitting: no file staged yet
    expect(readdirSync(dir)).toEqual(['counts.csv']);
    child.kill('SIGINT');
    const [exitCode, signal] = await exited;
    expect([exitCode, signal]).toEqual([null, 'SIGINT']);
    expect(readdirSync(dir)).toEqual(['counts.csv']);
  }, 30_000);
});
