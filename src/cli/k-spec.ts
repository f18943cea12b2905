// -k N | auto | A..B (../shared/CLI.md).

import { InvalidArgumentError } from 'commander';

export type KSpec = { readonly fixed: number } | { readonly from: number; readonly to: number };

/** `auto` surveys k = 2..12 (capped at min(users, events)). */
export const AUTO_RANGE = { from: 2, to: 12 } as const;

export function parseKSpec(value: string): KSpec {
  const v = value.trim();
  if (v === 'auto') return AUTO_RANGE;
  const range = /^(\d+)\.\.(\d+)$/.exec(v);
  if (range) {
    const from = Number(range[1]), to = Number(range[2]);
    if (from < 1 || to < from) throw new InvalidArgumentError(`expected a range A..B with 1 ≤ A ≤ B, got "${value}"`);
    return { from, to };
  }
  if (/^\d+$/.test(v) && Number(v) >= 1) return { fixed: Number(v) };
  throw new InvalidArgumentError(`expected a number of personas, "auto" or a range like 2..12, got "${value}"`);
}

export function parseKRange(value: string): { from: number; to: number } {
  const spec = parseKSpec(value);
  return 'fixed' in spec ? { from: spec.fixed, to: spec.fixed } : spec;
}
