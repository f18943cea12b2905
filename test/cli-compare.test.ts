// personas compare and fit --match-model end to end, on the demo timeline written by
// `personas demo --write-timeline`: outputs, the HTML time chart in Chromium, and failures.
import { beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import { screenshot } from '../scripts/screenshot.mjs';
import { capture } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'personas-compare-'));
const log = join(dir, 'timeline.csv'), week1 = join(dir, 'week1.json');

beforeAll(async () => {
  expect(await main(['demo', '--quiet', '--users', '500', '--write-timeline', log], capture())).toBe(0);
  expect(await main(['fit', log, '--until', '2026-01-12', '-k', '6', '--quiet', '--model', week1], capture())).toBe(0);
});

describe('personas compare', () => {
  test('--period week on one log: JSON with every week, the flagged one, transitions; an HTML report with the time chart', async () => {
    const io = capture();
    const report = join(dir, 'drift.html');
    expect(await main(['compare', '--model', week1, log, '--period', 'week', '--json', '--quiet', '--report', report], io)).toBe(0);
    const doc = JSON.parse(io.out);
    expect(doc.periods.map((p: { label: string }) => p.label)).toEqual(['2026-W02', '2026-W03', '2026-W04', '2026-W05', '2026-W06', '2026-W07', '2026-W08', '2026-W09']);
    expect(doc.calibration.source).toBe('model');
    expect(doc.transitions).toHaveLength(7);
    // The Lead Manager persona appears in week 4 (2026-W05) at 1 % and grows a point a week.
    expect(['2026-W05', '2026-W06', '2026-W07']).toContain(doc.firstEmerging);
    const flagged = doc.periods.find((p: { label: string }) => p.label === doc.firstEmerging);
    expect(flagged.newComponent.topEvents.map((e: { event: string }) => e.event)).toContain('lead_added');
    for (const p of doc.periods) expect(JSON.stringify(p)).not.toMatch(/NaN|Infinity|null/);
    const shot = await screenshot(report, join(dir, 'drift.png'));
    expect(shot.errors).toEqual([]);
    expect(shot.requests).toEqual([]);
    expect(readFileSync(report, 'utf8')).toContain('aria-label="persona shares per period"');
  });

  test('two files (before, after): shares, changes with p-values, a text report', async () => {
    const before = join(dir, 'before.csv'), after = join(dir, 'after.csv');
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    writeFileSync(before, [lines[0], ...lines.filter((l) => l.includes('2026-01-0') && !l.startsWith('user_id'))].join('\n') + '\n');
    writeFileSync(after, [lines[0], ...lines.filter((l) => l.includes('2026-03-0'))].join('\n') + '\n');
    const io = capture();
    expect(await main(['compare', '--model', week1, before, after, '--quiet'], io)).toBe(0);
    expect(io.out).toMatch(/Persona shares per period/);
    expect(io.out).toMatch(/poorly explained/);
    expect(io.out).toMatch(/Emerging persona first flagged in .*after\.csv/);
  });

  test('usage errors exit 2 and write nothing', async () => {
    const report = join(dir, 'never.html');
    const cases: [string[], RegExp][] = [
      [['compare', '--model', week1, log, log, '--period', 'week', '--report', report], /--period splits one timestamped event log; got 2 files/],
      [['compare', '--model', week1, log, '--report', report], /compare needs two files \(before, after\), or one event log with --period/],
      [['compare', '--model', week1, log, '--period', 'year', '--report', report], /argument 'year' is invalid/],
    ];
    const counts = join(dir, 'counts.csv');
    writeFileSync(counts, 'user_id,deal_added,lead_added\nu1,3,0\nu2,0,4\n');
    cases.push([['compare', '--model', week1, counts, '--period', 'week', '--report', report], /time/]);
    for (const [args, message] of cases) {
      const io = capture();
      expect(await main(args, io), args.join(' ')).toBe(2);
      expect(io.err).toMatch(message);
      expect(existsSync(report)).toBe(false);
    }
  });
});

describe('personas fit --match-model', () => {
  test('a refit with a new persona keeps the earlier names and ids and reports the newcomer', async () => {
    const io = capture(), later = join(dir, 'week8.json');
    expect(await main(['fit', log, '--since', '2026-02-23', '-k', '7', '--match-model', week1, '--json', '--quiet', '--model', later], io)).toBe(0);
    const doc = JSON.parse(io.out);
    const earlier = JSON.parse(readFileSync(week1, 'utf8'));
    expect(doc.lineage.personas.slice(0, 6).map((p: { previousId: number }) => p.previousId)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(doc.lineage.personas[6].previousId).toBeNull();
    expect(doc.lineage.vanished).toEqual([]);
    expect(doc.personas.slice(0, 6).map((p: { name: string }) => p.name)).toEqual(earlier.names);
    expect(doc.personas[6].topEvents[0].event).toMatch(/^lead_|web_form_submitted/);
    const text = capture();
    expect(await main(['report', '--model', later], text)).toBe(0);
    expect(text.out).toMatch(/6 personas carried over/);
    expect(text.out).toMatch(/new: #6/);
  });
});
