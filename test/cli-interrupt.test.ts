// An interrupted run (Ctrl-C, kill) leaves no output file behind, complete, partial or temporary, and
// exits 130 / 143. Runs the real binary (bin/personas.js → dist/), stopped while it writes.
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
      // The streamed assignments file is staged from the start: stop the run once it exists.
      while (!readdirSync(dir).some((f) => f.startsWith('.out.csv.'))) await new Promise((r) => setTimeout(r, 5));
      child.kill(signal);
      const [exitCode] = await exited;
      expect(exitCode).toBe(code);
      expect(readdirSync(dir)).toEqual(['counts.csv']);
    }, 30_000);
  }
});
