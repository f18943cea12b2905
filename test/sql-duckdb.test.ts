// The SQL `personas sql` emits, run on DuckDB (its Node API, a dev dependency), gives exactly the
// table the tool's own reader builds from the same events, for each windowing and selection option;
// and `personas fit` reads the query's exported result.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { aggregateSql, SQL_DIALECTS, type AggregateSqlOptions } from '../src/sql/aggregate-sql.js';
import { ingestEvents, type IngestOptions } from '../src/ingest/ingest.js';
import { textSource } from '../src/ingest/source.js';
import { generateCrmTimeline } from '../src/demo/timeline.js';
import { Random } from '../src/random.js';
import { main } from '../src/cli/main.js';
import { capture } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'personas-sql-'));
const file = join(dir, 'events.csv');
let csv = '';
let db: DuckDBInstance, con: DuckDBConnection;

beforeAll(async () => {
  // Three weeks of the demo timeline as raw rows spread over each week, plus awkward names and ids.
  const t = generateCrmTimeline({ seed: 9, periods: 3, usersPerPeriod: 600 });
  const rng = new Random(2);
  const lines = ['user_id,event,count,timestamp'];
  for (const p of t.periods) {
    p.users.forEach((user, r) => {
      for (let j = 0; j < t.events.length; j++) {
        const c = p.counts[r * t.events.length + j]!;
        if (c === 0) continue;
        // Split each count over a few rows at different times of the week.
        const parts = Math.min(c, 1 + rng.nextInt(3));
        for (let i = 0; i < parts; i++) {
          const at = new Date(p.start + rng.nextInt(7 * 86_400) * 1000).toISOString().slice(0, 19).replace('T', ' ');
          lines.push(`${user},${t.events[j]},${i === 0 ? c - parts + 1 : 1},${at}`);
        }
      }
    });
  }
  lines.push('007,"deal\'s note, quoted",2,2026-01-06 10:00:00', '007,deal_added,1,2026-01-20 09:30:00', '42,"deal\'s note, quoted",1,2026-01-13 00:00:00');
  csv = lines.join('\n') + '\n';
  writeFileSync(file, csv);
  db = await DuckDBInstance.create(':memory:');
  con = await db.connect();
  await con.run(`CREATE TABLE events AS SELECT * FROM read_csv('${file}', header = true, quote = '"', escape = '"',
    columns = {'user_id': 'VARCHAR', 'event': 'VARCHAR', 'count': 'DOUBLE', 'timestamp': 'TIMESTAMP'})`);
});
afterAll(() => con?.closeSync());

/** Sorted "user|event|count" triples of the SQL result on DuckDB. */
async function viaSql(o: Omit<AggregateSqlOptions, 'dialect' | 'table'>): Promise<string[]> {
  const reader = await con.runAndReadAll(aggregateSql({ dialect: 'duckdb', table: 'events', countCol: 'count', ...o }));
  return reader.getRowObjects().map((r) => `${String(r.user_id)}|${String(r.event)}|${Number(r.count)}`).sort();
}

/** The same triples from the tool's own reader. */
async function viaReader(o: IngestOptions): Promise<string[]> {
  const r = await ingestEvents(textSource(csv, 'events.csv'), o);
  const out: string[] = [];
  const m = r.events.length;
  r.users.forEach((user, u) => {
    for (let j = 0; j < m; j++) {
      const v = r.counts.format === 'csr' ? csrAt(r.counts, u, j) : r.counts.data[u * m + j]!;
      if (v > 0) out.push(`${user}|${r.events[j]}|${v}`);
    }
  });
  return out.sort();
}

function csrAt(c: { indptr: Int32Array; indices: Int32Array; data: Float32Array }, r: number, j: number): number {
  for (let z = c.indptr[r]!; z < c.indptr[r + 1]!; z++) if (c.indices[z] === j) return c.data[z]!;
  return 0;
}

describe('personas sql on DuckDB', () => {
  const cases: [string, IngestOptions][] = [
    ['every event', {}],
    ['a time window', { since: '2026-01-08T00:00:00Z', until: '2026-01-20T12:00:00Z' }],
    ['a per-user window of 3.5 days', { userWindowDays: 3.5 }],
    ['top 12 events by users', { topEvents: 12 }],
    ['excluded events and a minimum of users', { excludeEvents: ["deal's note, quoted", 'search_performed'], minUsersPerEvent: 300 }],
    ['an explicit event list', { events: ['deal_added', "deal's note, quoted", 'lead_added'] }],
    ['everything at once', { since: 1767830400, userWindowDays: 10, topEvents: 20, excludeEvents: ['deal_won'] }],
  ];
  for (const [name, o] of cases) {
    test(`${name}: the same user × event table as the reader`, async () => {
      const sql = await viaSql({ since: o.since, until: o.until, userWindowDays: o.userWindowDays, events: o.events, excludeEvents: o.excludeEvents, topEvents: o.topEvents, minUsersPerEvent: o.minUsersPerEvent });
      const reader = await viaReader(o);
      expect(sql.length).toBeGreaterThan(10);
      expect(sql).toEqual(reader);
    });
  }

  test('personas fit reads the exported result', async () => {
    const out = join(dir, 'counts.csv');
    await con.run(`COPY (${aggregateSql({ dialect: 'duckdb', table: 'events', countCol: 'count', topEvents: 30 }).replace(/^--.*\n/gm, '').replace(/;\s*$/, '')}) TO '${out}' (HEADER, DELIMITER ',')`);
    const io = capture();
    expect(await main(['fit', out, '-k', '5', '--json', '--quiet'], io)).toBe(0);
    const doc = JSON.parse(io.out);
    expect(doc.input.events).toHaveLength(30);
    expect(doc.input.users).toBe(new Set(readFileSync(out, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0])).size);
  });

  test('every dialect renders; the CLI prints the query; bad options exit 2', async () => {
    for (const dialect of SQL_DIALECTS) {
      const sql = aggregateSql({ dialect, table: 'analytics.events', since: '2026-01-01', userWindowDays: 7, topEvents: 40, excludeEvents: ["it's"] });
      expect(sql).toMatch(/^-- personas sql --dialect/);
      expect(sql).toContain('LIMIT 40');
    }
    expect(aggregateSql({ dialect: 'bigquery', table: 't', excludeEvents: ["it's"] })).toContain("'it\\'s'");
    expect(aggregateSql({ dialect: 'snowflake', table: 't', excludeEvents: ["it's"] })).toContain("'it''s'");
    expect(aggregateSql({ dialect: 'spark', table: 't', userCol: 'user id' })).toContain('`user id`');
    expect(aggregateSql({ dialect: 'duckdb', table: 't', timeCol: '"timestamp"', since: '2026-01-01' })).toContain('"timestamp" >= TIMESTAMP \'2026-01-01 00:00:00\'');
    const io = capture();
    expect(await main(['sql', '--dialect', 'duckdb', '--table', 'events', '--top-events', '40'], io)).toBe(0);
    expect(io.out).toContain('FROM events');
    const bad = capture();
    expect(await main(['sql', '--dialect', 'oracle', '--table', 'events'], bad)).toBe(2);
    expect(bad.err).toMatch(/oracle/);
    const badTime = capture();
    expect(await main(['sql', '--dialect', 'duckdb', '--table', 'events', '--since', 'yesterday'], badTime)).toBe(2);
    expect(badTime.err).toMatch(/since must be an ISO 8601 time/);
  });
});
