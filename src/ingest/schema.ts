// Which column or JSON path holds what, resolved from the CSV header or the first NDJSON object.
// NDJSON exports of Segment, Amplitude and Mixpanel are recognized when no path was given.

import { InputError, shown } from './errors.js';
import { getPath } from './read-ndjson.js';

export type InputFormat = 'events' | 'counts' | 'ndjson';

export interface ColumnOptions {
  /** User id column / NDJSON path. Default 'user_id'. */
  userCol?: string;
  /** Event name column / path (events and NDJSON formats). Default 'event'. */
  eventCol?: string;
  /** Count column / path; when absent each row counts 1. Default 'count'. */
  countCol?: string;
  /** Time column / path, needed for time windows. Default 'timestamp'. */
  timeCol?: string;
}

export const DEFAULT_COLUMNS = { user: 'user_id', event: 'event', count: 'count', time: 'timestamp' } as const;

/** Export schemas recognized in NDJSON when the columns are left at their defaults. */
export const VENDOR_SCHEMAS = {
  amplitude: { user: 'user_id', event: 'event_type', time: 'event_time' },
  mixpanel: { user: 'properties.distinct_id', event: 'event', time: 'properties.time' },
  segment: { user: 'userId', event: 'event', time: 'timestamp' },
} as const;
export type Vendor = keyof typeof VENDOR_SCHEMAS;

export interface CsvSchema {
  readonly format: 'events' | 'counts';
  readonly header: readonly string[];
  readonly user: number;
  /** events format */
  readonly event: number;
  readonly count: number; // −1: each row counts 1
  readonly time: number; // −1: no time column
  /** counts format: the event columns (index into the header, name) */
  readonly eventColumns: readonly { readonly index: number; readonly name: string }[];
}

export interface NdjsonSchema {
  readonly format: 'ndjson';
  readonly vendor: Vendor | undefined;
  readonly user: string;
  readonly event: string;
  readonly count: string;
  readonly countRequired: boolean;
  readonly time: string;
}

/** Resolves the CSV header for the 'events' or 'counts' format ('auto': events if the event column is there). */
export function csvSchema(header: readonly string[], format: 'auto' | 'events' | 'counts', o: ColumnOptions, needTime: boolean, file: string): CsvSchema {
  const names = header.map((h) => h.trim());
  const find = (name: string) => names.indexOf(name);
  const missing = (what: string, name: string, flag: string) =>
    new InputError({ file, line: 1 }, `expected ${what} column named ${shown(name)} in the header, found ${names.map((n) => shown(n)).join(', ')}; name it with ${flag}`);
  const userName = o.userCol ?? DEFAULT_COLUMNS.user;
  const user = find(userName);
  if (user < 0) throw missing('a user id', userName, '--user-col');
  const eventName = o.eventCol ?? DEFAULT_COLUMNS.event;
  const resolved = format === 'auto' ? (find(eventName) >= 0 ? 'events' : 'counts') : format;
  if (resolved === 'counts') {
    if (needTime) throw new InputError({ file }, 'time windows need one row per event with its time (format events or ndjson); this is a wide counts table');
    const eventColumns = names.map((name, index) => ({ index, name })).filter((c) => c.index !== user);
    if (eventColumns.length === 0) throw new InputError({ file, line: 1 }, `expected event columns after ${shown(userName)}, found none`);
    const duplicate = eventColumns.find((c, i) => eventColumns.findIndex((d) => d.name === c.name) !== i);
    if (duplicate) throw new InputError({ file, line: 1, column: duplicate.index + 1 }, `expected distinct event column names, found ${shown(duplicate.name)} twice`);
    return { format: 'counts', header: names, user, event: -1, count: -1, time: -1, eventColumns };
  }
  const event = find(eventName);
  if (event < 0) throw missing('an event name', eventName, '--event-col');
  const count = find(o.countCol ?? DEFAULT_COLUMNS.count);
  if (count < 0 && o.countCol !== undefined) throw missing('a count', o.countCol, '--count-col');
  const timeName = o.timeCol ?? DEFAULT_COLUMNS.time;
  const time = find(timeName);
  if (time < 0 && (needTime || o.timeCol !== undefined)) throw missing('a time', timeName, '--time-col');
  return { format: 'events', header: names, user, event, count, time, eventColumns: [] };
}

/** Resolves NDJSON paths from the first object: explicit paths, else the defaults, else a vendor's export schema. */
export function ndjsonSchema(first: Record<string, unknown>, o: ColumnOptions): NdjsonSchema {
  const has = (path: string) => getPath(first, path) !== undefined;
  let vendor: Vendor | undefined;
  if (o.userCol === undefined && o.eventCol === undefined && !(has(DEFAULT_COLUMNS.user) && has(DEFAULT_COLUMNS.event))) {
    if (has('event_type')) vendor = 'amplitude';
    else if (has('properties.distinct_id')) vendor = 'mixpanel';
    else if (has('userId') || has('anonymousId')) vendor = 'segment';
  }
  const preset = vendor ? VENDOR_SCHEMAS[vendor] : undefined;
  return {
    format: 'ndjson',
    vendor,
    user: o.userCol ?? preset?.user ?? DEFAULT_COLUMNS.user,
    event: o.eventCol ?? preset?.event ?? DEFAULT_COLUMNS.event,
    count: o.countCol ?? DEFAULT_COLUMNS.count,
    countRequired: o.countCol !== undefined,
    time: o.timeCol ?? (o.userCol === undefined ? preset?.time : undefined) ?? DEFAULT_COLUMNS.time,
  };
}
