// Every input format and header variant the readers accept, through the library (textSource,
// blobSource, ingestRecords) and, for files, gzip and stdin, through the CLI.
import { describe, expect, test } from 'vitest';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ingestEvents, ingestRecords, textSource, blobSource, chunkSource, type IngestOptions, type IngestResult } from '../src/index.js';
import { nodeSource } from '../src/node/file-source.js';

const ingest = (text: string, o: IngestOptions = {}) => ingestEvents(textSource(text, 'in.csv'), o);

/** The counts as {user: {event: count}} for easy comparison. */
function table(r: IngestResult): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  const { counts } = r;
  r.users.forEach((u, i) => {
    const row: Record<string, number> = {};
    if (counts.format === 'csr') {
      for (let z = counts.indptr[i]!; z < counts.indptr[i + 1]!; z++) row[r.events[counts.indices[z]!]!] = counts.data[z]!;
    } else {
      r.events.forEach((e, j) => { if (counts.data[i * r.events.length + j]! > 0) row[e] = counts.data[i * r.events.length + j]!; });
    }
    out[u] = row;
  });
  return out;
}

describe('CSV event rows (user,event[,count][,time])', () => {
  const expected = { '007': { login: 3, deal_added: 2 }, '42': { login: 1 } };
  test('plain, with repeated pairs summed and numeric ids kept as strings', async () => {
    const r = await ingest('user_id,event,count\n007,login,2\n007,deal_added,2\n42,login,1\n007,login,1\n');
    expect(table(r)).toEqual(expected);
    expect(r.summary).toMatchObject({ format: 'events', rowsRead: 4, rowsUsed: 4, users: 2, events: 2, nonzeros: 3 });
  });
  test('a byte-order mark, CRLF line ends, quoted fields and a blank line', async () => {
    const r = await ingest('\uFEFFuser_id,event,count\r\n"007","login",2\r\n"007","deal_added","2"\r\n\r\n42,login,1\r\n007,login,1\r\n');
    expect(table(r)).toEqual(expected);
  });
  test('quoted commas, quotes and line breaks inside fields', async () => {
    const r = await ingest('user_id,event,count\n"a,b","say ""hi""",1\n"c\nd",login,2\n');
    expect(table(r)).toEqual({ 'a,b': { 'say "hi"': 1 }, 'c\nd': { login: 2 } });
  });
  test('extra and reordered columns', async () => {
    const r = await ingest('country,count,event,user_id,plan\nEE,2,login,007,pro\nEE,2,deal_added,007,pro\nUS,1,login,42,free\nEE,1,login,007,pro\n');
    expect(table(r)).toEqual(expected);
  });
  test('no count column: each row counts 1', async () => {
    const r = await ingest('user_id,event\nu1,login\nu1,login\nu2,logout\n');
    expect(table(r)).toEqual({ u1: { login: 2 }, u2: { logout: 1 } });
  });
  test('other column names', async () => {
    const r = await ingest('who,what,n\nu1,login,5\n', { userCol: 'who', eventCol: 'what', countCol: 'n' });
    expect(table(r)).toEqual({ u1: { login: 5 } });
  });
  test('decimal and exponent counts', async () => {
    const r = await ingest('user_id,event,count\nu1,a,1.5\nu1,b,2e1\nu1,c,0\n');
    expect(table(r)).toEqual({ u1: { a: 1.5, b: 20 } });
  });
});

describe('CSV counts tables (user,<one column per event>)', () => {
  test('detected from the header; empty cells are 0; all-zero users set aside', async () => {
    const r = await ingest('user_id,login,deal_added,email_sent\n007,3,,1\n42,0,0,0\n43,1,1,\n');
    expect(r.summary.format).toBe('counts');
    expect(table(r)).toEqual({ '007': { login: 3, email_sent: 1 }, '43': { login: 1, deal_added: 1 } });
    expect(r.setAside).toEqual(['42']);
    expect(r.summary.usersWithoutSelectedEvents).toBe(1);
  });
});

describe('NDJSON', () => {
  test('default paths, numeric user ids, counts', async () => {
    const r = await ingest('{"user_id":7,"event":"login","count":2}\n{"user_id":"7","event":"login"}\n\n{"user_id":8,"event":"x"}\n');
    expect(table(r)).toEqual({ '7': { login: 3 }, '8': { x: 1 } });
    expect(r.summary.format).toBe('ndjson');
  });
  test('Segment export, recognized', async () => {
    const r = await ingest('{"type":"track","userId":"u1","event":"Deal Added","timestamp":"2024-03-01T10:00:00.000Z","properties":{}}\n{"type":"track","userId":"u1","event":"Deal Added","timestamp":"2024-03-02T10:00:00Z"}\n');
    expect(r.summary.vendor).toBe('segment');
    expect(table(r)).toEqual({ u1: { 'Deal Added': 2 } });
  });
  test('Amplitude export, recognized, with its space-separated UTC event_time', async () => {
    const r = await ingest('{"user_id":"u1","event_type":"login","event_time":"2024-03-01 10:00:00.123456","device_id":"d"}\n{"user_id":"u1","event_type":"login","event_time":"2024-04-01 10:00:00.000000"}\n', { since: '2024-03-15' });
    expect(r.summary.vendor).toBe('amplitude');
    expect(r.summary.columns.time).toBe('event_time');
    expect(table(r)).toEqual({ u1: { login: 1 } });
    expect(r.summary.rowsOutsideWindow).toBe(1);
  });
  test('Mixpanel export, recognized, with epoch-seconds properties.time', async () => {
    const r = await ingest('{"event":"login","properties":{"distinct_id":"u1","time":1709287200}}\n{"event":"login","properties":{"distinct_id":"u2","time":1709287300}}\n', { until: 1709287250 });
    expect(r.summary.vendor).toBe('mixpanel');
    expect(table(r)).toEqual({ u1: { login: 1 } });
  });
  test('explicit dotted paths', async () => {
    const r = await ingest('{"ctx":{"user":{"id":"u9"}},"name":"x","n":4}\n', { userCol: 'ctx.user.id', eventCol: 'name', countCol: 'n' });
    expect(table(r)).toEqual({ u9: { x: 4 } });
  });
});

describe('time windows', () => {
  const log = 'user_id,event,timestamp\nu1,a,2024-01-01T00:00:00Z\nu1,b,2024-01-20T00:00:00Z\nu2,a,1706745600\nu2,c,1707000000000\nu3,a,2024-02-10T12:00:00+02:00\n';
  test('--since and --until (ISO with offsets, epoch seconds and milliseconds)', async () => {
    const r = await ingest(log, { since: '2024-01-15', until: '2024-02-05' });
    expect(table(r)).toEqual({ u1: { b: 1 }, u2: { a: 1, c: 1 } });
    expect(r.summary).toMatchObject({ rowsRead: 5, rowsUsed: 3, rowsOutsideWindow: 2 });
    expect(r.setAside).toEqual([]); // u3 has no row in the window: never seen
  });
  test('per-user window: the first N days after each user\'s first event', async () => {
    const r = await ingest(log, { userWindowDays: 7 });
    expect(table(r)).toEqual({ u1: { a: 1 }, u2: { a: 1, c: 1 }, u3: { a: 1 } });
  });
  test('a per-user window needs a re-readable source', async () => {
    const once = chunkSource('<pipe>', () => ['user_id,event,timestamp\n'], false);
    await expect(ingestEvents(once, { userWindowDays: 3 })).rejects.toMatchObject({ code: 'BAD_OPTION' });
  });
  test('a bad --since is refused', async () => {
    await expect(ingest(log, { since: 'last week' })).rejects.toThrow(/since must be an ISO 8601 time/);
  });
});

describe('event selection', () => {
  const log = 'user_id,event\n' + ['u1,a', 'u1,b', 'u2,a', 'u2,c', 'u3,a', 'u3,b', 'u4,d'].join('\n') + '\n';
  test('events ordered by distinct users; --top-events keeps the most used; users left without an event are set aside', async () => {
    const r = await ingest(log, { topEvents: 2 });
    expect(r.events).toEqual(['a', 'b']);
    expect(r.setAside).toEqual(['u4']);
    expect(r.summary).toMatchObject({ eventsSeen: 4, events: 2, usersSeen: 4, users: 3, usersWithoutSelectedEvents: 1, eventsDropped: { beyondTop: 2 } });
  });
  test('--events keeps exactly the list, in order; unknown names become zero columns with a warning', async () => {
    const r = await ingest(log, { events: ['c', 'a', 'zz'] });
    expect(r.events).toEqual(['c', 'a', 'zz']);
    expect(r.summary.warnings[0]).toMatch(/never occur: zz/);
  });
  test('--exclude-events and --min-users-per-event', async () => {
    const r = await ingest(log, { excludeEvents: ['b'], minUsersPerEvent: 2 });
    expect(r.events).toEqual(['a']);
    expect(r.summary.eventsDropped).toMatchObject({ excluded: 1, tooFewUsers: 2 });
  });
});

describe('storage', () => {
  test('dense for few events, CSR for many sparse ones, or as asked', async () => {
    const wide = 'user_id,event\n' + Array.from({ length: 200 }, (_, i) => `u${i % 20},e${i}`).join('\n');
    expect((await ingest(wide)).counts.format).toBe('csr');
    expect((await ingest(wide, { storage: 'dense' })).counts.format).toBe('dense');
    expect((await ingest('user_id,event\nu1,a\n', { storage: 'csr' })).counts.format).toBe('csr');
    const a = await ingest(wide), b = await ingest(wide, { storage: 'dense' });
    expect(table(a)).toEqual(table(b));
  });
});

describe('other sources', () => {
  test('a Blob (as a file picker gives), split across multi-byte characters', async () => {
    const text = 'user_id,event\nü,café\n';
    const r = await ingestEvents(blobSource(new Blob([text]), 'upload.csv'));
    expect(table(r)).toEqual({ ü: { café: 1 } });
    const bytes = new TextEncoder().encode(text);
    const split = chunkSource('split', () => [bytes.slice(0, 16), bytes.slice(16)]);
    expect(table(await ingestEvents(split))).toEqual({ ü: { café: 1 } });
  });
  test('an async iterable of records', async () => {
    async function* records() {
      yield { user: 1, event: 'a', count: 2 };
      yield { user: '1', event: 'a' };
      yield { user: 'u2', event: 'b', time: '2024-01-01' };
    }
    const r = await ingestRecords(records());
    expect(table(r)).toEqual({ '1': { a: 3 }, u2: { b: 1 } });
  });
  test('gzip files are recognized by their bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'personas-gz-'));
    const file = join(dir, 'events.data'); // no .gz suffix
    writeFileSync(file, gzipSync('user_id,event\nu1,a\n'));
    expect(table(await ingestEvents(await nodeSource(file)))).toEqual({ u1: { a: 1 } });
  });
  test('stdin through the CLI, gzipped too', () => {
    const bin = new URL('../bin/personas.js', import.meta.url).pathname;
    for (const input of [Buffer.from('user_id,event\nu1,a\nu2,b\n'), gzipSync('user_id,event\nu1,a\nu2,b\n')]) {
      const r = spawnSync(process.execPath, [bin, 'inspect', '-', '--json'], { input, encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).input).toMatchObject({ source: '<stdin>', users: 2, events: 2 });
    }
  });
});
