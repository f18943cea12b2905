// Outcomes per persona, as Amplitude's target cohorts: for each persona, the rate of a boolean outcome
// (converted, churned), the mean of a numeric one (revenue), or the share of each category of a
// categorical one (passed, withdrew, failed), each with a 95 % confidence interval.

export type OutcomeValue = boolean | number | string;

export interface OutcomeStat {
  /** Users of the persona with an outcome. */
  readonly n: number;
  /** boolean: the share true; numeric: the mean; categorical: the share of `category`. */
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

export interface PersonaOutcomes {
  readonly kind: 'boolean' | 'numeric' | 'categorical';
  /** For categorical outcomes, the categories, most frequent first. */
  readonly categories: readonly string[];
  /** Per persona (by id): boolean/numeric → one stat; categorical → one per category (same order). */
  readonly perPersona: readonly (readonly OutcomeStat[])[];
  /** Everyone with an outcome, as a baseline row. */
  readonly overall: readonly OutcomeStat[];
  /** Assigned users with no outcome in the file. */
  readonly usersWithoutOutcome: number;
}

const Z95 = 1.959963984540054;

/** Wilson score interval for a proportion: sound for small n and rates near 0 or 1. */
export function wilson(successes: number, n: number): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 0 };
  const p = successes / n, z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** What kind of outcome a set of raw text values is. */
export function outcomeKind(values: Iterable<string>): PersonaOutcomes['kind'] {
  let numeric = true, boolean = true, any = false;
  for (const v of values) {
    any = true;
    const t = v.trim().toLowerCase();
    if (!BOOLEAN.has(t)) boolean = false;
    if (t === '' || !Number.isFinite(Number(t))) numeric = false;
  }
  if (!any) return 'boolean';
  return boolean ? 'boolean' : numeric ? 'numeric' : 'categorical';
}

const BOOLEAN = new Set(['true', 'false', '1', '0', 'yes', 'no', 't', 'f', 'y', 'n']);
const TRUE = new Set(['true', '1', 'yes', 't', 'y']);

/** Outcome statistics per persona. `outcome` maps user id → raw text value. */
export function outcomesByPersona(users: readonly string[], persona: ArrayLike<number>, k: number, outcome: ReadonlyMap<string, string>): PersonaOutcomes {
  const kind = outcomeKind(outcome.values());
  const groups = Array.from({ length: k }, () => [] as string[]);
  const everyone: string[] = [];
  let without = 0;
  users.forEach((u, i) => {
    const p = persona[i]!;
    if (p < 0) return;
    const v = outcome.get(u);
    if (v === undefined) { without++; return; }
    groups[p]!.push(v);
    everyone.push(v);
  });
  const counts = new Map<string, number>();
  for (const v of everyone) counts.set(v.trim(), (counts.get(v.trim()) ?? 0) + 1);
  const categories = kind === 'categorical' ? [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([c]) => c) : [];
  const stats = (values: string[]): OutcomeStat[] => {
    const n = values.length;
    if (kind === 'boolean') {
      const yes = values.filter((v) => TRUE.has(v.trim().toLowerCase())).length;
      return [{ n, value: n ? yes / n : 0, ...wilson(yes, n) }];
    }
    if (kind === 'numeric') {
      const xs = values.map(Number);
      const mean = n ? xs.reduce((a, b) => a + b, 0) / n : 0;
      const sd = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
      const half = n > 1 ? (Z95 * sd) / Math.sqrt(n) : 0;
      return [{ n, value: mean, low: mean - half, high: mean + half }];
    }
    return categories.map((c) => {
      const hits = values.filter((v) => v.trim() === c).length;
      return { n, value: n ? hits / n : 0, ...wilson(hits, n) };
    });
  };
  return { kind, categories, perPersona: groups.map(stats), overall: stats(everyone), usersWithoutOutcome: without };
}
