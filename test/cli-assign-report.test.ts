// personas assign and personas report end to end.
import { beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { main } from '../src/cli/main.js';
import { capture } from './cli-helpers.js';

const data = (p: string) => new URL(`../data/${p}`, import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'personas-assign-'));
const model = join(dir, 'model.json');

beforeAll(async () => {
  const io = capture();
  expect(await main(['fit', data('oulad-vle/events.csv.gz'), '-k', '5', '--quiet', '--model', model, '--assignments', join(dir, 'fit.csv')], io)).toBe(0);
});

describe('personas assign', () => {
  test('--shard i/n: the shards together are exactly one run, each user in one shard (event log and streamed counts table)', async () => {
    const counts = join(dir, 'counts.csv');
    const lines = ['user_id,quiz,forumng,oucontent,homepage'];
    for (let u = 0; u < 3000; u++) lines.push(`s${u},${u % 7},${(u * 3) % 5},${u % 2 ? 0 : 4},${u % 11 === 0 ? 0 : 1}`);
    writeFileSync(counts, lines.join('\n') + '\n');
    for (const input of [data('oulad-vle/events.csv.gz'), counts]) {
      const whole = join(dir, 'whole.csv');
      expect(await main(['assign', '--model', model, input, '--out', whole, '--quiet'], capture())).toBe(0);
      const parts: string[] = [];
      for (let i = 1; i <= 3; i++) {
        const io = capture(), file = join(dir, `shard${i}.csv`);
        expect(await main(['assign', '--model', model, input, '--shard', `${i}/3`, '--chunk-users', '1000', '--out', file, '--json'], io)).toBe(0);
        expect(JSON.parse(io.out).shard).toBe(`${i}/3`);
        const rows = readFileSync(file, 'utf8').trim().split('\n');
        expect(rows[0]).toBe('user_id,persona,persona_name,confidence');
        expect(rows.length).toBeGreaterThan(100); // a fair share each
        parts.push(...rows.slice(1));
      }
      const one = readFileSync(whole, 'utf8').trim().split('\n').slice(1);
      expect(parts.length).toBe(one.length);
      expect([...parts].sort()).toEqual([...one].sort());
    }
    const io = capture();
    expect(await main(['assign', '--model', model, counts, '--shard', '4/3'], io)).toBe(2);
    expect(io.err).toMatch(/expected i\/n with 1 ≤ i ≤ n/);
  });

  test('fit then assign on the same data: the same persona for every user (≥ 99.5 % required; the CSVs are identical)', async () => {
    const io = capture();
    expect(await main(['assign', '--model', model, data('oulad-vle/events.csv.gz'), '--out', join(dir, 'assign.csv'), '--quiet'], io)).toBe(0);
    const fit = readFileSync(join(dir, 'fit.csv'), 'utf8').split('\n'), assigned = readFileSync(join(dir, 'assign.csv'), 'utf8').split('\n');
    let same = 0;
    fit.forEach((l, i) => { if (l.split(',')[1] === assigned[i]?.split(',')[1]) same++; });
    expect(same / fit.length).toBeGreaterThanOrEqual(0.995);
    expect(assigned).toEqual(fit);
  });

  test('unknown events are ignored and counted; users with no known event are unassigned', async () => {
    const file = join(dir, 'new.csv');
    writeFileSync(file, 'user_id,event,count\nnew1,quiz,40\nnew1,brand_new_feature,3\nnew2,brand_new_feature,1\nnew3,forumng,12\n');
    const io = capture();
    expect(await main(['assign', '--model', model, file, '--json', '--out', join(dir, 'new-a.csv')], io)).toBe(0);
    const summary = JSON.parse(io.out);
    expect(summary).toMatchObject({ users: 3, unassigned: 1, unknownEvents: { brand_new_feature: 2 } });
    const rows = readFileSync(join(dir, 'new-a.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('user_id,persona,persona_name,confidence');
    expect(rows.find((r) => r.startsWith('new2,'))).toBe('new2,-1,unassigned,0');
    expect(io.err).toMatch(/1 events unknown to the model ignored \(brand_new_feature\)/);
  });

  test('the CSV goes to stdout without --out', async () => {
    const file = join(dir, 'one.csv');
    writeFileSync(file, 'user_id,event\nu,quiz\n');
    const io = capture();
    expect(await main(['assign', '--model', model, file, '--quiet'], io)).toBe(0);
    expect(io.out).toMatch(/^user_id,persona,persona_name,confidence\nu,\d,[^,]+,1\n$/);
  });

  test('a bad model is refused with where and what, and nothing is written', async () => {
    const good = JSON.parse(readFileSync(model, 'utf8'));
    const cases: [unknown, RegExp][] = [
      ['not json', /expected JSON, found a syntax error/],
      [{ ...good, format: 'other' }, /at format: expected "personas-model", found "other"/],
      [{ ...good, version: 2 }, /at version: expected 1 .*found 2/],
      [{ ...good, H: good.H.slice(1) }, /at H: expected 5 rows, found "4 rows"/],
      [{ ...good, H: good.H.map((r: number[], i: number) => (i === 2 ? r.map((x, j) => (j === 3 ? -1 : x)) : r)) }, /at H\[2\]\[3\]: expected a finite number ≥ 0, found -1/],
      [{ ...good, transform: { name: 'sqrt' } }, /at transform\.name: expected one of none, log1p, binary, share, tfidf, found "sqrt"/],
    ];
    for (const [content, message] of cases) {
      const bad = join(dir, 'bad.json'), out = join(dir, 'never.csv');
      writeFileSync(bad, typeof content === 'string' ? content : JSON.stringify(content));
      const io = capture();
      expect(await main(['assign', '--model', bad, data('oulad-vle/events.csv.gz'), '--out', out], io)).toBe(2);
      expect(io.err).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
  });
});

describe('personas report', () => {
  test.each([['text', /^Fit: k = 5/], ['md', /^# Personas of /], ['html', /^<!doctype html>/], ['json', /^\{\n {2}"input"/]] as const)('--format %s', async (format, pattern) => {
    const io = capture();
    expect(await main(['report', '--model', model, '--format', format], io)).toBe(0);
    expect(io.out).toMatch(pattern);
  });
  test('--out picks the format from the extension and writes atomically', async () => {
    const io = capture();
    expect(await main(['report', '--model', model, '--out', join(dir, 'r.html')], io)).toBe(0);
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toMatch(/<\/html>\n$/);
    expect(io.out).toBe('');
  });
  test('a missing model: exit 2', async () => {
    const io = capture();
    expect(await main(['report', '--model', join(dir, 'nope.json')], io)).toBe(2);
    expect(io.err).toMatch(/cannot read .*nope\.json: no such file/);
  });
});

describe('assigning a counts table streams it chunk by chunk', () => {
  test('the same personas whatever the chunk size, and the same as the fit', async () => {
    // a counts table (one row per user) written from the OULAD events
    const events = ['homepage', 'oucontent', 'forumng', 'quiz', 'subpage', 'resource', 'url', 'ouwiki'];
    const rows = new Map<string, number[]>();
    for (const line of gunzip(data('oulad-vle/events.csv.gz')).split('\n').slice(1, 30000)) {
      const [user, event, c] = line.split(',');
      const j = events.indexOf(event!);
      if (j < 0) continue;
      if (!rows.has(user!)) rows.set(user!, new Array(events.length).fill(0));
      rows.get(user!)![j] = Number(c);
    }
    const table = join(dir, 'counts.csv');
    writeFileSync(table, `user_id,${events.join(',')}\n` + [...rows].map(([u, v]) => `${u},${v.join(',')}`).join('\n') + '\n');
    const m = join(dir, 'counts-model.json');
    expect(await main(['fit', table, '-k', '4', '--quiet', '--model', m, '--assignments', join(dir, 'counts-fit.csv')], capture())).toBe(0);
    const io = capture();
    expect(await main(['assign', '--model', m, table, '--chunk-users', '97', '--out', join(dir, 'counts-a.csv'), '--json', '--quiet'], io)).toBe(0);
    expect(JSON.parse(io.out)).toMatchObject({ streamed: true, users: rows.size });
    expect(readFileSync(join(dir, 'counts-a.csv'), 'utf8')).toBe(readFileSync(join(dir, 'counts-fit.csv'), 'utf8'));
  });
});

function gunzip(path: string): string {
  return gunzipSync(readFileSync(path)).toString('utf8');
}
