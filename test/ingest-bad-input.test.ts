// The malformed-input corpus (test/fixtures/bad/): every file fails `personas fit` with exit code 2,
// a message naming file, line and column, and no output written; with --skip-invalid the bad rows
// are skipped and counted instead (where a row can be skipped at all).
import { describe, expect, test } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import { capture } from './cli-helpers.js';

interface BadCase { file: string; args: string[]; line: number | null; column: number | null; message: string; skippable: boolean; reason: string | null }
const dir = new URL('./fixtures/bad/', import.meta.url).pathname;
const cases = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as BadCase[];

test('the corpus has at least 25 malformed inputs', () => {
  expect(cases.length).toBeGreaterThanOrEqual(25);
  expect(readdirSync(dir).filter((f) => f !== 'cases.json' && f !== 'README.md').sort()).toEqual(cases.map((c) => c.file).sort());
});

describe('each malformed input: exit 2, file:line:column and the reason, nothing written', () => {
  for (const c of cases) {
    test(c.file, async () => {
      const out = mkdtempSync(join(tmpdir(), 'personas-bad-'));
      const io = capture();
      const file = join(dir, c.file);
      const code = await main(['fit', file, '-k', '1', '--model', join(out, 'model.json'), '--assignments', join(out, 'a.csv'), ...c.args], io);
      expect(code).toBe(2);
      const location = [file, c.line, c.column].filter((x) => x !== null).join(':');
      expect(io.err).toContain(`personas: ${location}`);
      expect(io.err).toContain(c.message);
      expect(io.out).toBe('');
      expect(readdirSync(out)).toEqual([]);
    });
  }
});

describe('--skip-invalid skips and counts the bad rows', () => {
  for (const c of cases) {
    test(`${c.file}${c.skippable ? '' : ' (cannot be skipped: still exit 2)'}`, async () => {
      const io = capture();
      const code = await main(['fit', join(dir, c.file), '-k', '1', '--json', '--skip-invalid', ...c.args], io);
      if (!c.skippable) {
        expect(code).toBe(2);
        return;
      }
      expect(code).toBe(0);
      const doc = JSON.parse(io.out);
      expect(doc.input.skipped[c.reason!]).toBeGreaterThanOrEqual(1);
      expect(doc.input.skippedLines[c.reason!]).toContain(c.line);
      expect(doc.input.rowsUsed).toBeGreaterThan(0);
    });
  }
});
