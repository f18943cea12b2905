// Periods of a timestamped log: labels by calendar unit (UTC), and the split of a per-period ingest
// ("<period>|<user>" rows, see IngestOptions.periodOf) into one counts matrix per period.

import type { IngestResult } from '../ingest/ingest.js';
import type { CountMatrix } from '../transform/transforms.js';
import { selectRows } from '../transform/rows.js';

export type PeriodUnit = 'day' | 'week' | 'month';
export const PERIOD_UNITS: readonly PeriodUnit[] = ['day', 'week', 'month'];

const DAY_MS = 86_400_000, WEEK_MS = 7 * DAY_MS;

/** The label of the period holding a time: 2026-01-05, 2026-W02 (ISO 8601 week) or 2026-01. */
export function periodLabel(unit: PeriodUnit): (timeMs: number) => string {
  if (unit === 'day') return (t) => new Date(t).toISOString().slice(0, 10);
  if (unit === 'month') return (t) => new Date(t).toISOString().slice(0, 7);
  return isoWeek;
}

/** ISO 8601 week: weeks start on Monday; week 1 holds the year's first Thursday. */
export function isoWeek(timeMs: number): string {
  const d = new Date(timeMs);
  const weekday = (d.getUTCDay() + 6) % 7; // Monday 0
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - weekday + 3);
  const year = new Date(thursday).getUTCFullYear();
  const jan4 = Date.UTC(year, 0, 4);
  const week1Monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
  const week = 1 + Math.floor((thursday - week1Monday) / WEEK_MS);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export interface PeriodCounts {
  readonly label: string;
  /** The columns of `counts`. */
  readonly events: readonly string[];
  readonly users: readonly string[];
  /** Users seen in the period with no selected event. */
  readonly setAside: readonly string[];
  readonly counts: CountMatrix;
}

/** One counts matrix per period, in label order (labels sort in time order). */
export function splitPeriods(result: IngestResult): PeriodCounts[] {
  const rowsOf = new Map<string, number[]>();
  const usersOf = new Map<string, string[]>();
  const asideOf = new Map<string, string[]>();
  const split = (key: string) => {
    const bar = key.indexOf('|');
    return [key.slice(0, bar), key.slice(bar + 1)] as const;
  };
  result.users.forEach((key, r) => {
    const [label, user] = split(key);
    if (!rowsOf.has(label)) { rowsOf.set(label, []); usersOf.set(label, []); }
    rowsOf.get(label)!.push(r);
    usersOf.get(label)!.push(user);
  });
  for (const key of result.setAside) {
    const [label, user] = split(key);
    if (!asideOf.has(label)) asideOf.set(label, []);
    asideOf.get(label)!.push(user);
  }
  const labels = [...new Set([...rowsOf.keys(), ...asideOf.keys()])].sort();
  return labels.map((label) => ({
    label, events: result.events, users: usersOf.get(label) ?? [], setAside: asideOf.get(label) ?? [], counts: selectRows(result.counts, rowsOf.get(label) ?? []),
  }));
}
