// personas fit end to end: every output and format, persona recovery with the default options, and
// failures that write nothing.
import { describe, expect, test } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import { adjustedRandIndex } from '../src/index.js';
import { parseModel } from '../src/model/model.js';
import { capture } from './cli-helpers.js';

const data = (p: string) => new URL(`../data/${p}`, import.meta.url).pathname;
const fixture = (p: string) => new URL(`./fixtures/${p}`, import.meta.url).pathname;
const tmp = () => mkdtempSync(join(tmpdir(), 'personas-fit-'));

describe('personas fit', () => {
  test('all outputs at once: model, assignments with weights, cohorts, HTML report; JSON on stdout', async () => {
    const dir = tmp(), io = capture();
    const code = await main(['fit', data('stackexchange-quantumcomputing/events.csv'), '-k', '5', '--json',
      '--model', join(dir, 'm.json'), '--assignments', join(dir, 'a.csv'), '--with-weights', '--cohorts', join(dir, 'cohorts'), '--report', join(dir, 'r.html')], io);
    expect(code).toBe(0);
    const doc = JSON.parse(io.out);
    expect(doc.k).toBe(5);
    expect(doc.input).toMatchObject({ users: 1108, rows: 2477, skipped: {} });
    expect(doc.input.events).toHaveLength(13);
    expect(doc.fit).toMatchObject({ solver: 'hals', loss: 'frobenius', init: 'nndsvda', simd: true, threads: 1 });
    expect(doc.personas).toHaveLength(5);
    expect(doc.personas.reduce((s: number, p: { users: number }) => s + p.users, 0)).toBe(1108);
    const model = parseModel(readFileSync(join(dir, 'm.json'), 'utf8'));
    expect(model).toMatchObject({ format: 'personas-model', version: 1, k: 5, transform: { name: 'share' } });
    const a = readFileSync(join(dir, 'a.csv'), 'utf8').trim().split('\n');
    expect(a[0]).toBe('user_id,persona,persona_name,confidence,w0,w1,w2,w3,w4');
    expect(a).toHaveLength(1109);
    expect(readdirSync(join(dir, 'cohorts')).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `persona-${i}.csv`));
    const members = readdirSync(join(dir, 'cohorts')).reduce((s, f) => s + readFileSync(join(dir, 'cohorts', f), 'utf8').trim().split('\n').length - 1, 0);
    expect(members).toBe(1108);
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/(src|href)=["']https?:/); // self-contained
    expect(io.err).toMatch(/^read .*: events format/); // the summary goes to stderr, stdout holds only the JSON
  });

  test('text report on stdout and the input summary on stderr', async () => {
    const io = capture();
    expect(await main(['fit', data('oulad-vle/events.csv.gz'), '-k', '4'], io)).toBe(0);
    expect(io.out).toMatch(/^Fit: k = 4, hals\/frobenius, init nndsvda, transform share/);
    expect(io.out.split('\n').filter((l) => /^\d  /.test(l))).toHaveLength(4);
    expect(io.err).toMatch(/read .*oulad-vle\/events\.csv\.gz: events format.*240,357 rows/);
  });

  test('--report .md and .json; --names; --outcome (categorical) with intervals', async () => {
    const dir = tmp(), io = capture();
    writeFileSync(join(dir, 'names.txt'), '# OULAD\nReaders\nForum people\nQuiz takers\nDrifters\n');
    const code = await main(['fit', data('oulad-vle/events.csv.gz'), '-k', '4', '--quiet', '--names', join(dir, 'names.txt'),
      '--outcome', data('oulad-vle/labels.csv.gz'), '--outcome-col', 'final_result', '--report', join(dir, 'r.md')], io);
    expect(code).toBe(0);
    expect(io.out).toMatch(/Readers/);
    expect(io.out).toMatch(/final_result: Withdrawn/);
    const md = readFileSync(join(dir, 'r.md'), 'utf8');
    expect(md).toMatch(/^# Personas of /);
    expect(md).toMatch(/## 0\. Readers/);
    expect(md).toMatch(/\| final_result: Pass \|/);
    const io2 = capture();
    expect(await main(['fit', data('oulad-vle/events.csv.gz'), '-k', '4', '--quiet', '--outcome', data('oulad-vle/labels.csv.gz'), '--outcome-col', 'final_result', '--report', join(dir, 'r.json')], io2)).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(doc.outcomes.kind).toBe('categorical');
    expect(doc.outcomes.categories).toEqual(['Pass', 'Withdrawn', 'Fail', 'Distinction']);
    for (const stats of doc.outcomes.perPersona) for (const s of stats) expect(s.low <= s.value && s.value <= s.high).toBe(true);
  });

  test('with the default options, planted personas are recovered at ARI ≥ 0.90 (gen_personas, non-outlier users)', async () => {
    const dir = tmp(), io = capture();
    expect(await main(['fit', fixture('gen_personas/users20k-k7-seed11.events.csv.gz'), '-k', '7', '--quiet', '--assignments', join(dir, 'a.csv')], io)).toBe(0);
    const labels = new Map(gunzipSync(readFileSync(fixture('gen_personas/users20k-k7-seed11.labels.csv.gz'))).toString().trim().split('\n').slice(1)
      .map((l) => l.split(',')).filter((f) => f[2] === '0' && f[3] === '0').map((f) => [f[0]!, Number(f[1])]));
    const found: number[] = [], planted: number[] = [];
    for (const line of readFileSync(join(dir, 'a.csv'), 'utf8').trim().split('\n').slice(1)) {
      const [user, persona] = line.split(',');
      if (labels.has(user!)) { found.push(Number(persona)); planted.push(labels.get(user!)!); }
    }
    expect(found.length).toBeGreaterThan(19000);
    expect(adjustedRandIndex(found, planted)).toBeGreaterThanOrEqual(0.9);
  });

  test('--restarts keeps the best of several starts', async () => {
    const one = capture(), three = capture();
    await main(['fit', data('stackexchange-quantumcomputing/events.csv'), '-k', '5', '--json', '--quiet', '--init', 'random'], one);
    await main(['fit', data('stackexchange-quantumcomputing/events.csv'), '-k', '5', '--json', '--quiet', '--init', 'random', '--restarts', '3'], three);
    expect(JSON.parse(three.out).fit.reconstructionError).toBeLessThanOrEqual(JSON.parse(one.out).fit.reconstructionError);
  });

  test('failures exit 2 with the reason and write nothing', async () => {
    const dir = tmp();
    const outputs = ['--model', join(dir, 'm.json'), '--assignments', join(dir, 'a.csv'), '--report', join(dir, 'r.html')];
    const cases: [string[], RegExp][] = [
      [['fit', data('stackexchange-quantumcomputing/events.csv'), '-k', '14', ...outputs], /k = 14 is more than min\(users, events\) = min\(1108, 13\)/],
      [['fit', join(dir, 'missing.csv'), '-k', '2', ...outputs], /cannot read .*missing\.csv: no such file/],
      [['fit', data('stackexchange-quantumcomputing/events.csv'), '-k', '2', '--report', join(dir, 'r.pdf')], /cannot tell the report format of .*r\.pdf/],
      [['fit', data('stackexchange-quantumcomputing/events.csv'), '-k', '2', '--names', join(dir, 'none.txt'), ...outputs], /cannot read .*none\.txt/],
      [['fit', data('stackexchange-quantumcomputing/events.csv'), '-k', '2', '--outcome', data('stackexchange-quantumcomputing/labels.csv'), '--outcome-col', 'nope', ...outputs], /expected an outcome column named "nope"/],
      [['fit', data('stackexchange-quantumcomputing/events.csv'), '-k', '2', '--model', join(dir, 'no/such/dir/m.json')], /cannot write .*m\.json: its directory does not exist/],
      [['fit', data('stackexchange-quantumcomputing/events.csv')], /required option '-k <n\|auto\|A\.\.B>' not specified/],
      [['fit', data('stackexchange-quantumcomputing/events.csv'), '-k', '2', '--since', 'soon'], /since must be an ISO 8601 time/],
    ];
    for (const [argv, message] of cases) {
      const io = capture();
      expect(await main(argv, io)).toBe(2);
      expect(io.err).toMatch(message);
      expect(readdirSync(dir).filter((f) => f !== 'no')).toEqual([]);
    }
  });
});
