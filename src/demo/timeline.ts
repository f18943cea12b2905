// The demo CRM over time: weekly periods of the same product, users who stay (and now and then change
// role), newcomers, and optionally a persona that is absent at first and then grows, as a "Lead
// Manager" role appeared after a lead-management launch in the seed article. For drift detection tests,
// tutorials (`personas demo --timeline`) and the compare command.

import { Random } from '../random.js';
import { CRM_EVENTS, CRM_PERSONAS, crmProfiles, drawActivity, drawOutlier, pick } from './crm.js';
import { isoWeek } from '../drift/periods.js';

export interface TimelineOptions {
  /** Periods (weeks). Default 8. */
  periods?: number;
  /** Active users per period. Default 5000. */
  usersPerPeriod?: number;
  seed?: number;
  /** Share of a period's users active again in the next. Default 0.7. */
  retention?: number;
  /** Chance that a returning user changes persona. Default 0.03. */
  switching?: number;
  /**
   * A persona (by name; default 'Lead Manager') absent before period `from` (0-based), then holding
   * `growth` × (periods since it appeared + 1) of the active users: 1 %, 2 %, 3 %… by default.
   */
  emerging?: { readonly persona?: string; readonly from: number; readonly growth?: number };
  /** The first period's start (a Monday). Default 2026-01-05. */
  start?: string;
}

export interface TimelinePeriod {
  readonly label: string;
  /** Start of the period, epoch ms (UTC). */
  readonly start: number;
  readonly users: readonly string[];
  /** users × events counts, row-major. */
  readonly counts: Float32Array;
  /** Planted persona per user; −1 for outliers. */
  readonly planted: Int32Array;
}

export interface Timeline {
  readonly events: readonly string[];
  readonly plantedNames: readonly string[];
  readonly periods: readonly TimelinePeriod[];
  /** The emerging persona's index in plantedNames (−1 when none). */
  readonly emerging: number;
  /** Its share of each period's active users. */
  readonly emergingShare: readonly number[];
}

const WEEK_MS = 7 * 86_400_000;

export function generateCrmTimeline(options: TimelineOptions = {}): Timeline {
  const periods = options.periods ?? 8, perPeriod = options.usersPerPeriod ?? 5000;
  const retention = options.retention ?? 0.7, switching = options.switching ?? 0.03;
  const rng = new Random(options.seed ?? 1);
  const profiles = crmProfiles(rng);
  const m = CRM_EVENTS.length;
  const emerging = options.emerging ? CRM_PERSONAS.findIndex((p) => p.name === (options.emerging!.persona ?? 'Lead Manager')) : -1;
  if (options.emerging && emerging < 0) throw new Error(`no demo persona is named ${options.emerging.persona}`);
  const growth = options.emerging?.growth ?? 0.01;
  // Before it emerges the persona does not exist: its share goes to the others in proportion.
  const baseShares = CRM_PERSONAS.map((p, i) => (i === emerging ? 0 : p.share));
  const total = baseShares.reduce((a, b) => a + b, 0);
  const cumulative = baseShares.map((_, i) => baseShares.slice(0, i + 1).reduce((s, x) => s + x, 0) / total);
  const start = Date.parse(options.start ?? '2026-01-05T00:00:00Z');

  let nextUser = 0;
  const personaOf = new Map<number, number>(); // user number → persona (−1: outlier)
  let previous: number[] = [];
  const out: TimelinePeriod[] = [];
  const emergingShare: number[] = [];
  for (let p = 0; p < periods; p++) {
    const active: number[] = [];
    for (const u of previous) if (active.length < perPeriod && rng.nextFloat() < retention) active.push(u);
    while (active.length < perPeriod) {
      const u = nextUser++;
      personaOf.set(u, rng.nextFloat() < 0.01 ? -1 : pick(cumulative, rng.nextFloat()));
      active.push(u);
    }
    for (const u of active) {
      if (personaOf.get(u)! >= 0 && rng.nextFloat() < switching) personaOf.set(u, pick(cumulative, rng.nextFloat()));
    }
    // The emerging persona takes exactly its target share, from users of other personas.
    const target = emerging >= 0 && p >= options.emerging!.from ? Math.round(growth * (p - options.emerging!.from + 1) * perPeriod) : 0;
    let have = active.filter((u) => personaOf.get(u) === emerging).length;
    const candidates = active.filter((u) => personaOf.get(u)! >= 0 && personaOf.get(u) !== emerging);
    while (have < target && candidates.length) {
      const i = rng.nextInt(candidates.length);
      personaOf.set(candidates[i]!, emerging);
      candidates[i] = candidates[candidates.length - 1]!;
      candidates.pop();
      have++;
    }
    emergingShare.push(emerging >= 0 ? have / perPeriod : 0);
    active.sort((a, b) => a - b);
    const counts = new Float32Array(active.length * m);
    const planted = new Int32Array(active.length);
    active.forEach((u, r) => {
      const row = counts.subarray(r * m, (r + 1) * m);
      const persona = personaOf.get(u)!;
      planted[r] = persona;
      if (persona < 0) drawOutlier(rng, row);
      else drawActivity(rng, profiles, persona, pick(cumulative, rng.nextFloat()), row);
    });
    out.push({ label: isoWeek(start + p * WEEK_MS), start: start + p * WEEK_MS, users: active.map((u) => `u${String(u).padStart(6, '0')}`), counts, planted });
    previous = active;
  }
  return { events: CRM_EVENTS, plantedNames: CRM_PERSONAS.map((p) => p.name), periods: out, emerging, emergingShare };
}

/** The timeline as an event log: user_id,event,count,timestamp, one row per user, event and period. */
export function* timelineLog(t: Timeline): Generator<string> {
  yield 'user_id,event,count,timestamp\n';
  for (const period of t.periods) {
    const m = t.events.length;
    let chunk = '';
    period.users.forEach((user, r) => {
      // Each user's rows at one moment of the week, spread over the days.
      const at = new Date(period.start + ((r * 7919) % 604_800) * 1000).toISOString().replace('.000Z', 'Z');
      for (let j = 0; j < m; j++) {
        const c = period.counts[r * m + j]!;
        if (c > 0) chunk += `${user},${t.events[j]},${c},${at}\n`;
      }
    });
    yield chunk;
  }
}
