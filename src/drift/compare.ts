// Personas over time with a fitted model: each period's users are assigned; the report gives the
// persona shares per period with their change and its significance, who moved between personas
// (users present in consecutive periods), and the share of users the model explains poorly — the sign
// of a role the personas do not cover. A period where that share is far above what the fit's users
// showed is refitted at k + 1 to name the newcomer, if it matches no known persona.

import { fitNmf } from '../nmf/fit.js';
import { assignPersonas } from '../personas/assign.js';
import { assignWithModel, type ModelAssignment } from '../personas/assign-model.js';
import { calibrateResiduals, RESIDUAL_QUANTILE } from '../personas/residuals.js';
import type { PersonaModel } from '../model/model.js';
import { matchProfiles, profileSimilarity, MIN_PROFILE_SIMILARITY } from './matching.js';
import { normalSurvival, twoProportionTest } from './stats.js';
import type { PeriodCounts } from './periods.js';
import { selectRows } from '../transform/rows.js';
import type { CountMatrix } from '../transform/transforms.js';

/** How many standard errors above the calibrated rate the poorly-explained share must be to alarm. */
export const ALARM_Z = 4;

export interface CompareOptions {
  /** Alarm threshold, in standard errors (one-sided). Default 4 (p ≈ 3·10⁻⁵ per period). */
  alarmZ?: number;
  /** Refit at k + 1 where the alarm rings (and on the last period), to describe the newcomer. Default true. */
  refit?: boolean;
  seed?: number;
  simd?: boolean;
}

export interface PersonaShare {
  readonly id: number;
  readonly name: string;
  readonly users: number;
  /** Share of the period's assigned users. */
  readonly share: number;
  /** Change from the previous period, in share (0.02 = two points); absent in the first period. */
  readonly change?: number;
  /** Two-proportion z-test of that change, two-sided. */
  readonly z?: number;
  readonly pValue?: number;
}

export interface NewComponent {
  /** Its share of the period's users when the k + 1 refit assigns them. */
  readonly share: number;
  /** Its largest cosine similarity to any of the model's personas (under 0.5: no match). */
  readonly bestSimilarity: number;
  /** The persona it is closest to. */
  readonly closestPersona: number;
  /** Share of its members the model explained poorly: high for a newcomer, low for a split of a known persona. */
  readonly poorlyExplainedMembers: number;
  readonly topEvents: readonly { readonly event: string; readonly weight: number }[];
}

export interface PeriodReport {
  readonly label: string;
  /** Users with at least one event the model knows. */
  readonly users: number;
  /** Users with no event the model knows (or no selected event at all). */
  readonly unassigned: number;
  readonly personas: readonly PersonaShare[];
  readonly poorlyExplained: {
    readonly users: number;
    readonly share: number;
    /** The share expected when nothing changed: 1 − the calibration quantile. */
    readonly expected: number;
    readonly z: number;
    readonly pValue: number;
    /** z ≥ the alarm threshold. */
    readonly alarm: boolean;
  };
  /** The k + 1 refit's component that matches no persona, when it found one. */
  readonly newComponent?: NewComponent;
  /** Alarm, and a new component that matches no persona and holds mostly poorly explained users. */
  readonly emerging: boolean;
}

export interface TransitionTable {
  readonly from: string;
  readonly to: string;
  /** Users present in both periods. */
  readonly users: number;
  /** (k + 1) × (k + 1) counts, rows = persona in `from`, columns = in `to`; the last row and column are "unassigned". */
  readonly counts: readonly (readonly number[])[];
}

export interface CompareResult {
  readonly k: number;
  readonly names: readonly string[];
  readonly calibration: { readonly quantile: number; readonly threshold: number; readonly source: 'model' | 'first period' };
  /** The alarm threshold used, in standard errors. */
  readonly alarmZ: number;
  readonly periods: readonly PeriodReport[];
  readonly transitions: readonly TransitionTable[];
  /** The first period flagged as emerging, or null. */
  readonly firstEmerging: string | null;
}

export async function comparePeriods(model: PersonaModel, periods: readonly PeriodCounts[], options: CompareOptions = {}): Promise<CompareResult> {
  const alarmZ = options.alarmZ ?? ALARM_Z, k = model.k;
  const assigned: ModelAssignment[] = [];
  for (const p of periods) assigned.push(await assignWithModel(model, p.counts, p.events, { simd: options.simd, residuals: true }));
  // Models from before calibration existed: calibrate on the first period instead (said in the output).
  const calibration = model.calibration
    ? { quantile: model.calibration.residualQuantile, threshold: model.calibration.residualThreshold, source: 'model' as const }
    : (() => {
      const first = assigned[0]!;
      const c = calibrateResiduals(first.residual!.filter((_, u) => first.persona[u]! >= 0), RESIDUAL_QUANTILE);
      return { quantile: c.residualQuantile, threshold: c.residualThreshold, source: 'first period' as const };
    })();
  const expected = 1 - calibration.quantile;

  const reports: PeriodReport[] = [];
  for (let i = 0; i < periods.length; i++) {
    const p = periods[i]!, a = assigned[i]!;
    const counts = new Array<number>(k).fill(0);
    let poor = 0, users = 0;
    for (let u = 0; u < a.persona.length; u++) {
      const t = a.persona[u]!;
      if (t < 0) continue;
      users++;
      counts[t]!++;
      if (a.residual![u]! > calibration.threshold) poor++;
    }
    const previous = reports[i - 1];
    const personas = counts.map((c, t): PersonaShare => {
      const share = users ? c / users : 0;
      if (!previous) return { id: t, name: model.names[t]!, users: c, share };
      const before = previous.personas[t]!;
      const test = twoProportionTest(before.users, previous.users, c, users);
      return { id: t, name: model.names[t]!, users: c, share, change: share - before.share, z: test.z, pValue: test.pValue };
    });
    const share = users ? poor / users : 0;
    const z = users ? (share - expected) / Math.sqrt((expected * (1 - expected)) / users) : 0;
    const alarm = z >= alarmZ;
    const newComponent = options.refit !== false && (alarm || i === periods.length - 1) && users > k + 1
      ? await refitNewcomer(model, a.matrix!, a, calibration.threshold, options)
      : undefined;
    reports.push({
      label: p.label, users, unassigned: a.persona.length - users + p.setAside.length, personas,
      poorlyExplained: { users: poor, share, expected, z, pValue: normalSurvival(z), alarm },
      ...(newComponent ? { newComponent } : {}),
      emerging: alarm && newComponent !== undefined && newComponent.bestSimilarity < MIN_PROFILE_SIMILARITY && newComponent.poorlyExplainedMembers >= 0.5,
    });
  }

  const transitions: TransitionTable[] = [];
  for (let i = 1; i < periods.length; i++) {
    const before = new Map(periods[i - 1]!.users.map((u, r) => [u, assigned[i - 1]!.persona[r]!]));
    for (const u of periods[i - 1]!.setAside) before.set(u, -1);
    const table = Array.from({ length: k + 1 }, () => new Array<number>(k + 1).fill(0));
    let both = 0;
    const visit = (user: string, now: number) => {
      const then = before.get(user);
      if (then === undefined) return;
      both++;
      table[then < 0 ? k : then]![now < 0 ? k : now]!++;
    };
    periods[i]!.users.forEach((u, r) => visit(u, assigned[i]!.persona[r]!));
    for (const u of periods[i]!.setAside) visit(u, -1);
    transitions.push({ from: periods[i - 1]!.label, to: periods[i]!.label, users: both, counts: table });
  }
  return {
    k, names: model.names, calibration, alarmZ, periods: reports, transitions,
    firstEmerging: reports.find((r) => r.emerging)?.label ?? null,
  };
}

/** Components the unexplained residuals are factorized into, to find the least familiar one. */
const RESIDUAL_COMPONENTS = 3;

/**
 * Refits the period at k + 1 and returns the component no persona matches, if any. The refit starts
 * from the model's personas plus one component taken from what they leave unexplained: the positive
 * residuals of the poorly explained users are factorized into a few components, and the one least
 * like any persona seeds the new component, so the refit looks where a newcomer would be.
 */
async function refitNewcomer(model: PersonaModel, matrix: CountMatrix, a: ModelAssignment, threshold: number, o: CompareOptions): Promise<NewComponent | undefined> {
  // Only assigned users: users with no known event would be empty rows.
  const rows: number[] = [];
  a.persona.forEach((t, u) => { if (t >= 0) rows.push(u); });
  const data = selectRows(matrix, rows);
  const k = model.k, m = model.events.length, n = rows.length;
  const dense = (r: number, j: number) => data.format === 'csr' ? csrValue(data, r, j) : data.data[r * m + j]!;
  const poorRows: number[] = [];
  rows.forEach((u, r) => { if (a.residual![u]! > threshold) poorRows.push(r); });
  const kr = Math.min(RESIDUAL_COMPONENTS, poorRows.length, m);
  if (kr < 1) return undefined;
  const residual = new Float32Array(poorRows.length * m);
  poorRows.forEach((r, i) => {
    const u = rows[r]!;
    for (let j = 0; j < m; j++) {
      let fitted = 0;
      for (let t = 0; t < k; t++) fitted += a.W.data[u * k + t]! * model.H[t]![j]!;
      residual[i * m + j] = Math.max(0, dense(r, j) - fitted);
    }
  });
  const parts = await fitNmf({ rows: poorRows.length, cols: m, data: residual }, { k: kr, seed: o.seed ?? 0, simd: o.simd, traceEvery: 0 });
  const partRows = Array.from({ length: kr }, (_, c) => parts.H.data.subarray(c * m, (c + 1) * m));
  const familiarity = profileSimilarity({ events: model.events, H: model.H }, { events: model.events, H: partRows });
  let seed = 0, lowest = Infinity;
  for (let c = 0; c < kr; c++) {
    const best = Math.max(...familiarity.map((row) => row[c]!));
    if (best < lowest && partRows[c]!.some((x) => x > 0)) { lowest = best; seed = c; }
  }
  if (!partRows[seed]!.some((x) => x > 0)) return undefined;
  const W0 = new Float32Array(n * (k + 1)), H0 = new Float32Array((k + 1) * m);
  model.H.forEach((row, t) => H0.set(row, t * m));
  H0.set(partRows[seed]!, k * m);
  rows.forEach((u, r) => { for (let t = 0; t < k; t++) W0[r * (k + 1) + t] = a.W.data[u * k + t]!; });
  poorRows.forEach((r, i) => { W0[r * (k + 1) + k] = parts.W.data[i * kr + seed]!; });
  const fit = await fitNmf(data, {
    k: k + 1, init: { W: { rows: n, cols: k + 1, data: W0 }, H: { rows: k + 1, cols: m, data: H0 } }, seed: o.seed ?? 0, simd: o.simd, traceEvery: 0,
  });
  const H = Array.from({ length: fit.k }, (_, t) => fit.H.data.subarray(t * m, (t + 1) * m));
  const match = matchProfiles({ events: model.events, H: model.H }, { events: model.events, H }, MIN_PROFILE_SIMILARITY);
  if (match.added.length === 0) return undefined;
  const { persona: refitPersona } = await assignPersonas(fit.W, fit.H, { simd: o.simd });
  const best = (t: number) => {
    let s = 0, at = 0;
    match.similarity.forEach((row, p) => { if (row[t]! > s) { s = row[t]!; at = p; } });
    return { s, at };
  };
  // The unmatched component whose members the model explained worst: a newcomer's users are the
  // poorly explained ones, while a mere split of a known persona takes well-explained users.
  const poorlyExplained = (t: number) => {
    let members = 0, poor = 0;
    refitPersona.forEach((p, r) => {
      if (p !== t) return;
      members++;
      if (a.residual![rows[r]!]! > threshold) poor++;
    });
    return { members, poor: members ? poor / members : 0 };
  };
  const scored = match.added.map((t) => ({ t, ...poorlyExplained(t), best: best(t) }));
  const c = scored.sort((x, y) => y.poor - x.poor || x.best.s - y.best.s)[0]!;
  const row = H[c.t]!, total = row.reduce((s, x) => s + x, 0) || 1;
  const topEvents = Array.from(row, (w, j) => ({ event: model.events[j]!, weight: w / total })).sort((x, y) => y.weight - x.weight).slice(0, 5);
  return { share: n ? c.members / n : 0, bestSimilarity: c.best.s, closestPersona: c.best.at, poorlyExplainedMembers: c.poor, topEvents };
}

function csrValue(c: Extract<CountMatrix, { format: 'csr' }>, r: number, j: number): number {
  for (let z = c.indptr[r]!; z < c.indptr[r + 1]!; z++) if (c.indices[z] === j) return c.data[z]!;
  return 0;
}
