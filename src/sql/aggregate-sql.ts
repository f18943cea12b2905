// The heavy step at scale — counting each user's events — written as SQL for the engine the data
// already lives in (DuckDB, BigQuery, Snowflake, Spark). The query applies the same rules as the
// tool's own reader (time window, per-user window, event selection, top N by distinct users) and
// returns user_id,event,count rows, which `personas fit` and `assign` read as an events file.

import { NmfInputError } from '../errors.js';
import { parseTime } from '../ingest/time.js';

export type SqlDialect = 'duckdb' | 'bigquery' | 'snowflake' | 'spark';
export const SQL_DIALECTS: readonly SqlDialect[] = ['duckdb', 'bigquery', 'snowflake', 'spark'];

export interface AggregateSqlOptions {
  readonly dialect: SqlDialect;
  /** The table (or view) of raw events; written as given (it may be qualified: project.dataset.events). */
  readonly table: string;
  readonly userCol?: string;
  readonly eventCol?: string;
  /** A numeric column to sum; absent: each row counts 1. */
  readonly countCol?: string;
  /** A TIMESTAMP column (UTC), needed by the windows. Default "timestamp". */
  readonly timeCol?: string;
  readonly since?: string | number;
  readonly until?: string | number;
  readonly userWindowDays?: number;
  readonly events?: readonly string[];
  readonly excludeEvents?: readonly string[];
  readonly topEvents?: number | 'all';
  readonly minUsersPerEvent?: number;
}

interface Dialect {
  ident(name: string): string;
  string(text: string): string;
  text: string;
  timestamp(iso: string): string;
  plusSeconds(expr: string, seconds: number): string;
}

const SIMPLE = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A name the user already quoted for their engine (e.g. "timestamp" where it is a keyword) is kept as is. */
const QUOTED = /^(".*"|`.*`)$/s;
const backslashString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const doubledString = (s: string) => `'${s.replace(/'/g, "''")}'`;

const DIALECTS: Record<SqlDialect, Dialect> = {
  duckdb: {
    ident: (n) => (SIMPLE.test(n) || QUOTED.test(n) ? n : `"${n.replace(/"/g, '""')}"`), string: doubledString, text: 'VARCHAR',
    timestamp: (iso) => `TIMESTAMP '${iso}'`, plusSeconds: (e, s) => `${e} + to_seconds(${s})`,
  },
  bigquery: {
    ident: (n) => (SIMPLE.test(n) || QUOTED.test(n) ? n : `\`${n.replace(/`/g, '\\`')}\``), string: backslashString, text: 'STRING',
    timestamp: (iso) => `TIMESTAMP('${iso}+00')`, plusSeconds: (e, s) => `TIMESTAMP_ADD(${e}, INTERVAL ${s} SECOND)`,
  },
  snowflake: {
    // Unquoted names are case-insensitive there; quoting is only for names that need it.
    ident: (n) => (SIMPLE.test(n) || QUOTED.test(n) ? n : `"${n.replace(/"/g, '""')}"`), string: doubledString, text: 'VARCHAR',
    timestamp: (iso) => `TO_TIMESTAMP_NTZ('${iso}')`, plusSeconds: (e, s) => `DATEADD(second, ${s}, ${e})`,
  },
  spark: {
    ident: (n) => (SIMPLE.test(n) || QUOTED.test(n) ? n : `\`${n.replace(/`/g, '``')}\``), string: backslashString, text: 'STRING',
    timestamp: (iso) => `TIMESTAMP '${iso}'`, plusSeconds: (e, s) => `${e} + make_interval(0, 0, 0, 0, 0, 0, ${s})`,
  },
};

/** The query, with a header comment saying what it expects and returns. */
export function aggregateSql(o: AggregateSqlOptions): string {
  const d = DIALECTS[o.dialect];
  if (!d) throw new NmfInputError('BAD_OPTION', `unknown SQL dialect ${String(o.dialect)}; expected one of ${SQL_DIALECTS.join(', ')}`, o.dialect);
  if (!o.table.trim()) throw new NmfInputError('BAD_OPTION', 'the table of raw events is required', o.table);
  const user = d.ident(o.userCol ?? 'user_id'), event = d.ident(o.eventCol ?? 'event'), time = d.ident(o.timeCol ?? 'timestamp');
  const since = utc(o.since, 'since'), until = utc(o.until, 'until');
  const needTime = since !== undefined || until !== undefined || o.userWindowDays !== undefined;
  if (o.userWindowDays !== undefined && !(o.userWindowDays > 0)) throw new NmfInputError('BAD_OPTION', `the per-user window must be a number of days > 0; got ${o.userWindowDays}`, o.userWindowDays);
  const minUsers = o.minUsersPerEvent ?? 1;
  const where = [`${user} IS NOT NULL`, `${event} IS NOT NULL`];
  if (o.countCol) where.push(`${d.ident(o.countCol)} IS NOT NULL`);
  if (since) where.push(`${time} >= ${d.timestamp(since)}`);
  if (until) where.push(`${time} < ${d.timestamp(until)}`);
  const list = (names: readonly string[]) => names.map(d.string).join(', ');

  const ctes: string[] = [];
  ctes.push(`raw AS (
  SELECT CAST(${user} AS ${d.text}) AS user_id, CAST(${event} AS ${d.text}) AS event, ${o.countCol ? d.ident(o.countCol) : '1'} AS n${needTime ? `, ${time} AS t` : ''}
  FROM ${o.table}
  WHERE ${where.join('\n    AND ')}
)`);
  let source = 'raw';
  if (o.userWindowDays !== undefined) {
    // Each user's events within N days of their first event in the window (any event, as the reader does).
    ctes.push(`windowed AS (
  SELECT raw.user_id, raw.event, raw.n
  FROM raw JOIN (SELECT user_id, MIN(t) AS first_t FROM raw GROUP BY user_id) firsts ON raw.user_id = firsts.user_id
  WHERE raw.t < ${d.plusSeconds('firsts.first_t', Math.round(o.userWindowDays * 86400))}
)`);
    source = 'windowed';
  }
  ctes.push(`pairs AS (
  SELECT user_id, event, SUM(n) AS n FROM ${source} GROUP BY user_id, event HAVING SUM(n) > 0
)`);
  if (o.events && o.events.length) {
    ctes.push(`chosen AS (
  SELECT DISTINCT event FROM pairs WHERE event IN (${list([...new Set(o.events)])})
)`);
  } else {
    const top = o.topEvents === undefined || o.topEvents === 'all' ? undefined : o.topEvents;
    // Most users first, ties by name: the reader's order.
    ctes.push(`chosen AS (
  SELECT event FROM pairs${o.excludeEvents?.length ? `\n  WHERE event NOT IN (${list(o.excludeEvents)})` : ''}
  GROUP BY event
  HAVING COUNT(*) >= ${minUsers}${top !== undefined ? `\n  ORDER BY COUNT(*) DESC, event\n  LIMIT ${top}` : ''}
)`);
  }
  const header = `-- personas sql --dialect ${o.dialect}: each user's event counts, for \`personas fit\` / \`personas assign\`.
-- Reads ${o.table} (${[`user ${user}`, `event ${event}`, o.countCol ? `count ${d.ident(o.countCol)} (summed)` : 'each row counts 1', ...(needTime ? [`time ${time} (a UTC TIMESTAMP)`] : [])].join(', ')}).
-- Returns user_id,event,count rows; export them as CSV and run: personas fit <that file> -k …`;
  return `${header}
WITH ${ctes.join(',\n')}
SELECT pairs.user_id, pairs.event, pairs.n AS count
FROM pairs JOIN chosen ON pairs.event = chosen.event
ORDER BY pairs.user_id, pairs.event;
`;
}

function utc(value: string | number | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = parseTime(value);
  if (ms === undefined) throw new NmfInputError('BAD_OPTION', `${name} must be an ISO 8601 time or epoch seconds/milliseconds; got ${value}`, value);
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
}
