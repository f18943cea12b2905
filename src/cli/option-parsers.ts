// Parsers for option values: each checks its value and says what it expected, as commander's
// InvalidArgumentError (exit code 2, with the option named by commander).

import { InvalidArgumentError } from 'commander';

/** commander parser for an integer option within [lo, hi]. */
export function integerIn(lo: number, hi: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < lo || n > hi) {
      throw new InvalidArgumentError(`expected an integer from ${lo} to ${hi}, got "${value}"`);
    }
    return n;
  };
}

export function nonNegative(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number ≥ 0, got "${value}"`);
  return n;
}

export function unitInterval(value: string): number {
  const n = nonNegative(value);
  if (n > 1) throw new InvalidArgumentError(`expected a number from 0 to 1, got "${value}"`);
  return n;
}

export function list(value: string): string[] {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new InvalidArgumentError('expected a comma-separated list of event names');
  return items;
}

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1) throw new InvalidArgumentError(`expected an integer ≥ 1, got "${value}"`);
  return n;
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number > 0, got "${value}"`);
  return n;
}

export function topEvents(value: string): number | 'all' {
  return value === 'all' ? 'all' : positiveInteger(value);
}

export function entryShare(value: string): number {
  const n = Number(value);
  if (!(n >= 0.05 && n <= 0.5)) throw new InvalidArgumentError(`expected a share of entries from 0.05 to 0.5, got "${value}"`);
  return n;
}

export function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number of seconds > 0, got "${value}"`);
  return n;
}

/** `i/n` with 1 ≤ i ≤ n: this run's shard of n (assign --shard). */
export function shardSpec(value: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index >= 1) || index > count || count > 1_000_000) {
    throw new InvalidArgumentError(`expected i/n with 1 ≤ i ≤ n (this run's shard of n), got "${value}"`);
  }
  return { index, count };
}
