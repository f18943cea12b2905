// From an event log or a counts table to the users × events count matrix, streaming: rows are
// validated, filtered by time, and added to per-(user, event) counts; events are selected; the matrix
// is built dense or CSR. Every skipped row is counted by reason, with its first line numbers.

import type { CsrMatrix, DenseMatrix } from '../types.js';
import { NmfInputError } from '../errors.js';
import { EventAggregator } from './aggregate.js';
import { InputError, shown, type InputLocation } from './errors.js';
import { readCsv } from './read-csv.js';
import { getPath, readNdjson } from './read-ndjson.js';
import { csvSchema, ndjsonSchema, type ColumnOptions, type CsvSchema, type InputFormat, type NdjsonSchema, type Vendor } from './schema.js';
import { selectEvents, type EventSelectionOptions } from './select-events.js';
import type { TextSource } from './source.js';
import { parseTime } from './time.js';
import { IdMap } from './id-map.js';

export interface IngestOptions extends ColumnOptions, EventSelectionOptions {
  /** 'events': user,event[,count][,time] rows; 'counts': one row per user, one column per event; 'ndjson'. Default 'auto'. */
  format?: InputFormat | 'auto';
  /** Keep events at or after this time (ISO 8601 or epoch seconds/ms). */
  since?: string | number;
  /** Keep events before this time. */
  until?: string | number;
  /** Keep each user's events within this many days of their first (kept) event: "new user" personas. */
  userWindowDays?: number;
  /** Skip malformed rows (counted by reason) instead of failing on the first. Default false. */
  skipInvalid?: boolean;
  /** Matrix storage. Default 'auto': CSR for more than 64 events at under 25 % density. */
  storage?: 'auto' | 'dense' | 'csr';
  /** Longest record accepted, in characters. Default 1 MiB. */
  maxRecordChars?: number;
  /** Called every 100 000 rows. */
  onProgress?: (rowsRead: number) => void;
  /**
   * Counts each user separately per period: the matrix rows become "<period>|<user>" keys (the
   * period's label from the event's time; see src/drift/periods.ts). Needs a time column.
   */
  periodOf?: (timeMs: number) => string;
}

export interface IngestSummary {
  readonly source: string;
  readonly format: InputFormat;
  /** NDJSON export recognized by its fields, when paths were not given. */
  readonly vendor?: Vendor;
  readonly columns: { readonly user: string; readonly event?: string; readonly count?: string; readonly time?: string };
  /** Data rows read (CSV records after the header, non-empty NDJSON lines). */
  readonly rowsRead: number;
  /** Rows that counted toward the matrix. */
  readonly rowsUsed: number;
  /** Valid rows outside --since/--until or the per-user window. */
  readonly rowsOutsideWindow: number;
  /** Rows skipped as malformed, by reason (only with skipInvalid; otherwise the first one fails). */
  readonly skipped: Readonly<Record<string, number>>;
  /** The first few line numbers of each skip reason. */
  readonly skippedLines: Readonly<Record<string, readonly number[]>>;
  readonly usersSeen: number;
  /** Users with no selected event: set aside, not in the matrix. */
  readonly usersWithoutSelectedEvents: number;
  readonly users: number;
  readonly eventsSeen: number;
  readonly events: number;
  readonly eventsDropped: { readonly excluded: number; readonly tooFewUsers: number; readonly beyondTop: number };
  readonly nonzeros: number;
  readonly density: number;
  readonly storage: 'dense' | 'csr';
  readonly warnings: readonly string[];
}

export interface IngestResult {
  /** Row ids of the matrix, in order of first appearance. */
  readonly users: readonly string[];
  /** Users seen with no selected event (not in the matrix), in order of first appearance. */
  readonly setAside: readonly string[];
  /** Column names of the matrix, most users first (or the --events order). */
  readonly events: readonly string[];
  /** users × events counts. */
  readonly counts: (DenseMatrix & { readonly data: Float32Array }) | (CsrMatrix & { readonly indptr: Int32Array; readonly indices: Int32Array; readonly data: Float32Array });
  readonly summary: IngestSummary;
}

const FIRST_LINES_KEPT = 5;
const DAY_MS = 86_400_000;

/** A row in common form, after parsing, before aggregation. */
interface Row {
  readonly line: number;
  readonly user: string;
  readonly event: string;
  readonly count: number;
  readonly time: number | undefined;
}

type Skip = (where: { line: number; column?: number }, reason: string, problem: string) => void;

/** Reads a source (CSV or NDJSON text) into a counts matrix. */
export async function ingestEvents(source: TextSource, options: IngestOptions = {}): Promise<IngestResult> {
  const o = checkOptions(options);
  const needTime = o.since !== undefined || o.until !== undefined || o.userWindowDays !== undefined || o.periodOf !== undefined;
  if (o.userWindowDays !== undefined && !source.reopenable) {
    throw new NmfInputError('BAD_OPTION', `a per-user window reads ${source.name} twice, and it can be read only once; save it to a file first`, source.name);
  }
  const state = new IngestState(source.name, o, needTime);
  let described: Pick<IngestSummary, 'format' | 'vendor' | 'columns'> | undefined;
  const pass = async (visit: (row: Row) => void, quiet: boolean) => {
    const skip: Skip = quiet ? () => {} : state.skip;
    described = await scan(source, o, needTime, visit, skip, quiet ? () => {} : state.countRead);
  };
  if (o.userWindowDays !== undefined) {
    const first = new IdMap();
    await pass((row) => {
      if (!state.inGlobalWindow(row.time!)) return;
      const t = first.get(row.user);
      if (t === undefined || row.time! < t) first.set(row.user, row.time!);
    }, true);
    state.firstTimes = first;
  }
  await pass((row) => state.add(row), false);
  return state.finish(described!);
}

/** A stream of already-parsed records (e.g. from an app's own event store), same rules as NDJSON rows. */
export interface EventRecord {
  readonly user: string | number;
  readonly event: string;
  readonly count?: number;
  readonly time?: string | number;
}

export async function ingestRecords(records: AsyncIterable<EventRecord> | Iterable<EventRecord>, options: IngestOptions = {}, name = '<records>'): Promise<IngestResult> {
  const o = checkOptions(options);
  const needTime = o.since !== undefined || o.until !== undefined || o.periodOf !== undefined;
  if (o.userWindowDays !== undefined) {
    throw new NmfInputError('BAD_OPTION', 'a per-user window needs two passes over the input; pass a re-readable source to ingestEvents', o.userWindowDays);
  }
  const state = new IngestState(name, o, needTime);
  const schema: NdjsonSchema = { format: 'ndjson', vendor: undefined, user: 'user', event: 'event', count: 'count', countRequired: false, time: 'time' };
  let line = 0;
  for await (const record of records) {
    line++;
    state.countRead();
    const row = ndjsonRow(record as unknown as Record<string, unknown>, line, schema, needTime, state.skip);
    if (row) state.add(row);
  }
  return state.finish({ format: 'ndjson', vendor: undefined, columns: { user: 'user', event: 'event', count: 'count', time: 'time' } });
}

interface CheckedOptions extends IngestOptions {
  readonly sinceMs: number | undefined;
  readonly untilMs: number | undefined;
  readonly maxRecordChars: number;
}

function checkOptions(o: IngestOptions): CheckedOptions {
  const time = (value: string | number | undefined, name: string) => {
    if (value === undefined) return undefined;
    const ms = parseTime(value);
    if (ms === undefined) throw new NmfInputError('BAD_OPTION', `${name} must be an ISO 8601 time or epoch seconds/milliseconds; got ${shown(value)}`, value);
    return ms;
  };
  if (o.userWindowDays !== undefined && !(o.userWindowDays > 0 && Number.isFinite(o.userWindowDays))) {
    throw new NmfInputError('BAD_OPTION', `the per-user window must be a positive number of days; got ${o.userWindowDays}`, o.userWindowDays);
  }
  if (o.topEvents !== undefined && o.topEvents !== 'all' && !(Number.isInteger(o.topEvents) && o.topEvents >= 1)) {
    throw new NmfInputError('BAD_OPTION', `top events must be an integer ≥ 1 or 'all'; got ${shown(o.topEvents)}`, o.topEvents);
  }
  if (o.minUsersPerEvent !== undefined && !(Number.isInteger(o.minUsersPerEvent) && o.minUsersPerEvent >= 1)) {
    throw new NmfInputError('BAD_OPTION', `the minimum users per event must be an integer ≥ 1; got ${shown(o.minUsersPerEvent)}`, o.minUsersPerEvent);
  }
  const sinceMs = time(o.since, 'since'), untilMs = time(o.until, 'until');
  if (sinceMs !== undefined && untilMs !== undefined && untilMs <= sinceMs) {
    throw new NmfInputError('BAD_OPTION', `until (${o.until}) must be after since (${o.since})`, o.until);
  }
  return { ...o, sinceMs, untilMs, maxRecordChars: o.maxRecordChars ?? 1 << 20 };
}

/** Everything one ingest accumulates, and its summary. */
class IngestState {
  readonly agg = new EventAggregator();
  rowsRead = 0;
  rowsUsed = 0;
  rowsOutsideWindow = 0;
  readonly skipped: Record<string, number> = {};
  readonly skippedLines: Record<string, number[]> = {};
  firstTimes: IdMap | undefined;

  constructor(readonly file: string, readonly o: CheckedOptions, readonly needTime: boolean) {}

  readonly countRead = (): void => {
    if (++this.rowsRead % 100_000 === 0) this.o.onProgress?.(this.rowsRead);
  };

  readonly skip: Skip = (where, reason, problem) => {
    if (!this.o.skipInvalid) throw new InputError({ file: this.file, ...where }, problem);
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
    const lines = (this.skippedLines[reason] ??= []);
    if (lines.length < FIRST_LINES_KEPT) lines.push(where.line);
  };

  inGlobalWindow(time: number): boolean {
    return (this.o.sinceMs === undefined || time >= this.o.sinceMs) && (this.o.untilMs === undefined || time < this.o.untilMs);
  }

  add(row: Row): void {
    if (this.needTime) {
      let inside = this.inGlobalWindow(row.time!);
      if (inside && this.firstTimes) {
        const first = this.firstTimes.get(row.user);
        inside = first !== undefined && row.time! < first + this.o.userWindowDays! * DAY_MS;
      }
      if (!inside) {
        this.rowsOutsideWindow++;
        return;
      }
    }
    this.rowsUsed++;
    const user = this.o.periodOf ? `${this.o.periodOf(row.time!)}|${row.user}` : row.user;
    this.agg.add(this.agg.userIndex(user), this.agg.eventIndex(row.event), row.count);
  }

  finish(described: Pick<IngestSummary, 'format' | 'vendor' | 'columns'>): IngestResult {
    const { agg, o } = this;
    const perEvent = agg.usersPerEvent();
    const selection = selectEvents(agg.events, perEvent, o);
    const warnings: string[] = [];
    if (selection.missing.length > 0) {
      warnings.push(`${o.events?.length ? 'listed' : 'excluded'} events that never occur: ${selection.missing.join(', ')}`);
    }
    const column = new Int32Array(agg.events.length).fill(-1);
    selection.chosen.forEach((e, j) => { if (e >= 0) column[e] = j; });
    // Users keep their first-appearance order; those with no selected event are set aside.
    const rowOf = new Int32Array(agg.users.length).fill(-1);
    const perUser = new Int32Array(agg.users.length);
    agg.forEachPair((u, e) => { if (column[e]! >= 0) perUser[u]!++; });
    const users: string[] = [], setAside: string[] = [];
    let nonzeros = 0;
    agg.users.forEach((id, u) => {
      if (perUser[u]! > 0) {
        rowOf[u] = users.length;
        users.push(id);
        nonzeros += perUser[u]!;
      } else {
        setAside.push(id);
      }
    });
    const m = selection.names.length, n = users.length;
    const density = n * m > 0 ? nonzeros / (n * m) : 0;
    const storage = o.storage === 'dense' || o.storage === 'csr' ? o.storage : m > 64 && density < 0.25 ? 'csr' : 'dense';
    const counts = storage === 'dense' ? denseCounts(agg, rowOf, column, n, m) : csrCounts(agg, rowOf, column, perUser, n, m, nonzeros);
    if (agg.users.length === 0) warnings.push('no valid rows: the input has no user with an event');
    return {
      users,
      setAside,
      events: selection.names,
      counts,
      summary: {
        source: this.file,
        ...described,
        rowsRead: this.rowsRead,
        rowsUsed: this.rowsUsed,
        rowsOutsideWindow: this.rowsOutsideWindow,
        skipped: this.skipped,
        skippedLines: this.skippedLines,
        usersSeen: agg.users.length,
        usersWithoutSelectedEvents: agg.users.length - n,
        users: n,
        eventsSeen: agg.events.length,
        events: m,
        eventsDropped: selection.dropped,
        nonzeros,
        density,
        storage,
        warnings,
      },
    };
  }
}

function denseCounts(agg: EventAggregator, rowOf: Int32Array, column: Int32Array, n: number, m: number) {
  return { format: 'dense' as const, rows: n, cols: m, data: agg.takeDense(rowOf, column, n, m) };
}

function csrCounts(agg: EventAggregator, rowOf: Int32Array, column: Int32Array, perUser: Int32Array, n: number, m: number, nnz: number) {
  const indptr = new Int32Array(n + 1);
  perUser.forEach((k, u) => { if (rowOf[u]! >= 0) indptr[rowOf[u]! + 1] = k; });
  for (let r = 0; r < n; r++) indptr[r + 1]! += indptr[r]!;
  const fill = indptr.slice(0, n);
  const indices = new Int32Array(nnz), data = new Float32Array(nnz);
  agg.forEachPair((u, e, c) => {
    const j = column[e]!;
    if (j < 0) return;
    const z = fill[rowOf[u]!]!++;
    indices[z] = j;
    data[z] = c;
  });
  // Sort each row by column (insertion sort: rows are short).
  for (let r = 0; r < n; r++) {
    for (let z = indptr[r]! + 1; z < indptr[r + 1]!; z++) {
      const j = indices[z]!, c = data[z]!;
      let y = z - 1;
      while (y >= indptr[r]! && indices[y]! > j) { indices[y + 1] = indices[y]!; data[y + 1] = data[y]!; y--; }
      indices[y + 1] = j;
      data[y + 1] = c;
    }
  }
  return { format: 'csr' as const, rows: n, cols: m, indptr, indices, data };
}

/** One pass over the source; returns what was detected. */
async function scan(source: TextSource, o: CheckedOptions, needTime: boolean, visit: (row: Row) => void, skip: Skip, countRead: () => void): Promise<Pick<IngestSummary, 'format' | 'vendor' | 'columns'>> {
  const text = peekable(source.open());
  const head = await text.peek();
  if (head === undefined) throw new InputError({ file: source.name }, 'expected a header line or JSON lines, found an empty file');
  const format = o.format === undefined || o.format === 'auto' ? (head.trimStart().startsWith('{') ? 'ndjson' : 'auto') : o.format;
  if (format === 'ndjson') return scanNdjson(source.name, text, o, needTime, visit, skip, countRead);
  // CSV: from bytes when the source has them (csv-parse reads bytes faster than strings).
  const chunks: AsyncIterable<string | Uint8Array> = source.openBytes ? (await text.close(), source.openBytes()) : text;
  let schema: CsvSchema | undefined;
  for await (const batch of readCsv(chunks, { file: source.name, maxRecordChars: o.maxRecordChars, skipInvalid: o.skipInvalid ?? false, onSkip: (s) => skip({ line: s.line }, s.reason, s.reason) })) {
    for (const record of batch) {
      if (!schema) {
        schema = csvSchema(record.fields, format, o, needTime, source.name);
        continue;
      }
      countRead();
      if (schema.format === 'events') {
        const row = csvEventRow(record.fields, record.line, schema, needTime, skip);
        if (row) visit(row);
      } else {
        csvCountsRow(record.fields, record.line, schema, skip, visit);
      }
    }
  }
  if (!schema) throw new InputError({ file: source.name }, 'expected a header line, found none');
  const h = schema.header;
  return schema.format === 'events'
    ? { format: 'events', columns: { user: h[schema.user]!, event: h[schema.event]!, count: schema.count >= 0 ? h[schema.count] : undefined, time: schema.time >= 0 ? h[schema.time] : undefined } }
    : { format: 'counts', columns: { user: h[schema.user]! } };
}

async function scanNdjson(file: string, chunks: AsyncIterable<string>, o: CheckedOptions, needTime: boolean, visit: (row: Row) => void, skip: Skip, countRead: () => void) {
  let schema: NdjsonSchema | undefined;
  for await (const batch of readNdjson(chunks, { file, maxRecordChars: o.maxRecordChars })) {
    for (const item of batch) {
      countRead();
      if (!('value' in item)) {
        skip({ line: item.line, column: item.column }, item.reason, item.problem);
        continue;
      }
      schema ??= ndjsonSchema(item.value, o);
      const row = ndjsonRow(item.value, item.line, schema, needTime, skip);
      if (row) visit(row);
    }
  }
  const s = schema ?? ndjsonSchema({}, o);
  return { format: 'ndjson' as const, vendor: s.vendor, columns: { user: s.user, event: s.event, count: s.count, time: needTime ? s.time : undefined } };
}

function csvEventRow(fields: string[], line: number, s: CsvSchema, needTime: boolean, skip: Skip): Row | undefined {
  if (fields.length !== s.header.length) {
    skip({ line }, 'wrong number of fields', `expected ${s.header.length} fields as in the header, found ${fields.length}`);
    return undefined;
  }
  const user = fields[s.user]!;
  if (user.trim() === '') return void skip({ line, column: s.user + 1 }, 'empty user id', `expected a user id in column ${s.header[s.user]}, found an empty field`);
  const event = fields[s.event]!;
  if (event.trim() === '') return void skip({ line, column: s.event + 1 }, 'empty event name', `expected an event name in column ${s.header[s.event]}, found an empty field`);
  let count = 1;
  if (s.count >= 0) {
    const parsed = parseCount(fields[s.count]!);
    if (typeof parsed === 'string') return void skip({ line, column: s.count + 1 }, parsed, `expected a count ≥ 0 in column ${s.header[s.count]}, found ${shown(fields[s.count])}`);
    count = parsed;
  }
  let time: number | undefined;
  if (needTime) {
    time = parseTime(fields[s.time]!);
    if (time === undefined) return void skip({ line, column: s.time + 1 }, 'unparseable time', `expected an ISO 8601 time or epoch seconds in column ${s.header[s.time]}, found ${shown(fields[s.time])}`);
  }
  return { line, user, event, count, time };
}

/**
 * Parses a counts-table row into `into` (one value per event column, zeroed first); returns the user
 * id, or undefined (into zeroed) when the row was skipped.
 */
function parseCountsRow(fields: string[], line: number, s: CsvSchema, skip: Skip, into: Float32Array): string | undefined {
  into.fill(0);
  if (fields.length !== s.header.length) {
    skip({ line }, 'wrong number of fields', `expected ${s.header.length} fields as in the header, found ${fields.length}`);
    return undefined;
  }
  const user = fields[s.user]!;
  if (user.trim() === '') return void skip({ line, column: s.user + 1 }, 'empty user id', `expected a user id in column ${s.header[s.user]}, found an empty field`);
  const cols = s.eventColumns;
  for (let c = 0; c < cols.length; c++) {
    const { index, name } = cols[c]!;
    const text = fields[index]!;
    if (text === '' || text === '0') continue;
    const parsed = parseCount(text);
    if (typeof parsed === 'string') {
      if (text.trim() === '') continue; // an empty cell means 0
      into.fill(0);
      return void skip({ line, column: index + 1 }, parsed, `expected a count ≥ 0 in column ${name}, found ${shown(text)}`);
    }
    into[c] = parsed;
  }
  return user;
}

function csvCountsRow(fields: string[], line: number, s: CsvSchema, skip: Skip, visit: (row: Row) => void): void {
  if (fields.length !== s.header.length) {
    skip({ line }, 'wrong number of fields', `expected ${s.header.length} fields as in the header, found ${fields.length}`);
    return;
  }
  const user = fields[s.user]!;
  if (user.trim() === '') return skip({ line, column: s.user + 1 }, 'empty user id', `expected a user id in column ${s.header[s.user]}, found an empty field`);
  const rows: Row[] = [];
  for (const { index, name } of s.eventColumns) {
    const text = fields[index]!;
    if (text.trim() === '') continue; // an empty cell in a wide table means 0
    const parsed = parseCount(text);
    if (typeof parsed === 'string') return skip({ line, column: index + 1 }, parsed, `expected a count ≥ 0 in column ${name}, found ${shown(text)}`);
    rows.push({ line, user, event: name, count: parsed, time: undefined });
  }
  // The whole row or nothing: a bad cell must not leave the user half counted.
  if (rows.length === 0) visit({ line, user, event: s.eventColumns[0]!.name, count: 0, time: undefined });
  for (const row of rows) visit(row);
}

function ndjsonRow(value: Record<string, unknown>, line: number, s: NdjsonSchema, needTime: boolean, skip: Skip): Row | undefined {
  const userValue = getPath(value, s.user);
  if (!(typeof userValue === 'string' && userValue.trim() !== '') && !(typeof userValue === 'number' && Number.isFinite(userValue))) {
    return void skip({ line }, 'empty user id', `expected a user id at ${s.user}, found ${shown(userValue)}`);
  }
  const event = getPath(value, s.event);
  if (typeof event !== 'string' || event.trim() === '') return void skip({ line }, 'empty event name', `expected an event name at ${s.event}, found ${shown(event)}`);
  let count = 1;
  const countValue = getPath(value, s.count);
  if (countValue !== undefined || s.countRequired) {
    const parsed = typeof countValue === 'number' ? checkCountNumber(countValue) : typeof countValue === 'string' ? parseCount(countValue) : 'bad count';
    if (typeof parsed === 'string') return void skip({ line }, parsed, `expected a count ≥ 0 at ${s.count}, found ${shown(countValue)}`);
    count = parsed;
  }
  let time: number | undefined;
  if (needTime) {
    const t = getPath(value, s.time);
    time = typeof t === 'string' || typeof t === 'number' ? parseTime(t) : undefined;
    if (time === undefined) return void skip({ line }, 'unparseable time', `expected an ISO 8601 time or epoch seconds at ${s.time}, found ${shown(t)}`);
  }
  return { line, user: String(userValue), event, count, time };
}

const DECIMAL = /^\s*\+?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/** A count from text, or the skip reason. Hex, "NaN", "Infinity" and empty text are refused. */
function parseCount(text: string): number | string {
  // Fast path: a plain integer of up to 9 digits, the common case (no regex, no Number()).
  const n = text.length;
  if (n > 0 && n < 10) {
    let v = 0, i = 0;
    for (; i < n; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    if (i === n) return v;
  }
  if (DECIMAL.test(text)) return checkCountNumber(Number(text));
  if (/^\s*-/.test(text) && DECIMAL.test(text.replace('-', ''))) return 'negative count';
  if (/^\s*[+-]?(nan|inf(inity)?)\s*$/i.test(text)) return 'non-finite count';
  return 'bad count';
}

function checkCountNumber(n: number): number | string {
  if (Number.isNaN(n) || !Number.isFinite(n)) return 'non-finite count';
  if (n < 0) return 'negative count';
  return n;
}

/** An async iterator whose first chunk can be looked at before iterating. */
function peekable(source: AsyncIterable<string>) {
  const it = source[Symbol.asyncIterator]();
  let buffered: IteratorResult<string> | undefined;
  return {
    /** Stops reading (releases the file). */
    async close(): Promise<void> {
      await it.return?.();
    },
    async peek(): Promise<string | undefined> {
      while (!buffered || (!buffered.done && buffered.value.trim() === '' && buffered.value.length < 1 << 16)) {
        const next = await it.next();
        if (buffered && !buffered.done && !next.done) buffered = { done: false, value: buffered.value + next.value };
        else if (buffered && !buffered.done && next.done) break;
        else buffered = next;
      }
      return buffered.done ? undefined : buffered.value.trim() === '' ? undefined : buffered.value;
    },
    async *[Symbol.asyncIterator]() {
      if (buffered && !buffered.done) yield buffered.value;
      if (buffered?.done) return;
      for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
    },
  };
}

export type { InputLocation };

/** One batch of users from streamCounts. */
export interface CountBatch {
  readonly users: readonly string[];
  /** Each user's line in the file. */
  readonly lines: readonly number[];
  /** users × events (the table's columns), dense. */
  readonly counts: DenseMatrix & { readonly format: 'dense'; readonly data: Float32Array };
  readonly events: readonly string[];
}

/**
 * Reads a counts table (one row per user, one column per event) a batch of users at a time, holding no
 * more than one batch: memory bounded by the batch, whatever the input's size. Resolves to the input
 * summary, or to undefined (having read only the header) when the source is not a counts table, for
 * which ingestEvents is the way, as a user's rows may be spread through an event log.
 */
export async function streamCounts(source: TextSource, options: IngestOptions, batchUsers: number, onBatch: (batch: CountBatch) => Promise<void> | void): Promise<IngestSummary | undefined> {
  const o = checkOptions(options);
  if (o.format === 'events' || o.format === 'ndjson' || o.since !== undefined || o.until !== undefined || o.userWindowDays !== undefined) return undefined;
  const head = peekable(source.open());
  const first = await head.peek();
  await head.close();
  if (first === undefined) throw new InputError({ file: source.name }, 'expected a header line, found an empty file');
  if (first.trimStart().startsWith('{')) return undefined;
  const state = new IngestState(source.name, o, false);
  let schema: CsvSchema | undefined;
  let users: string[] = [], lines: number[] = [], data = new Float32Array(0), events: string[] = [];
  let total = 0, nonzeros = 0, empty = 0;
  const flush = async () => {
    if (users.length === 0) return;
    await onBatch({ users, lines, events, counts: { format: 'dense', rows: users.length, cols: events.length, data: data.subarray(0, users.length * events.length) } });
    users = [];
    lines = [];
    data = new Float32Array(batchUsers * events.length);
  };
  const chunks = source.openBytes ? source.openBytes() : source.open();
  for await (const batch of readCsv(chunks, { file: source.name, maxRecordChars: o.maxRecordChars, skipInvalid: o.skipInvalid ?? false, onSkip: (s) => state.skip({ line: s.line }, s.reason, s.reason) })) {
    for (const record of batch) {
      if (!schema) {
        schema = csvSchema(record.fields, o.format ?? 'auto', o, false, source.name);
        if (schema.format !== 'counts') return undefined;
        events = schema.eventColumns.map((c) => c.name);
        data = new Float32Array(batchUsers * events.length);
        continue;
      }
      state.countRead();
      if (users.length === batchUsers) await flush();
      const r = users.length;
      const user = parseCountsRow(record.fields, record.line, schema, state.skip, data.subarray(r * events.length, (r + 1) * events.length));
      if (user === undefined) continue; // skipped
      users.push(user);
      lines.push(record.line);
      state.rowsUsed++;
      total++;
      let any = false;
      for (let j = r * events.length; j < (r + 1) * events.length; j++) if (data[j]! > 0) { nonzeros++; any = true; }
      if (!any) empty++;
    }
  }
  if (!schema) throw new InputError({ file: source.name }, 'expected a header line, found none');
  await flush();
  return {
    source: source.name, format: 'counts', columns: { user: schema.header[schema.user]! },
    rowsRead: state.rowsRead, rowsUsed: state.rowsUsed, rowsOutsideWindow: 0,
    skipped: state.skipped, skippedLines: state.skippedLines,
    usersSeen: total, usersWithoutSelectedEvents: empty, users: total - empty,
    eventsSeen: events.length, events: events.length, eventsDropped: { excluded: 0, tooFewUsers: 0, beyondTop: 0 },
    nonzeros, density: total && events.length ? nonzeros / (total * events.length) : 0, storage: 'dense',
    warnings: [],
  };
}
