// What each persona is: its size, the events that define it, how much more (or less) than average its
// members do each event (lift, as Amplitude's Personas chart shows), how specific each event is to one
// persona (Kim & Park 2007), and how clearly its users belong to it.

import type { CsrMatrix, DenseMatrix } from '../types.js';
import type { PersonaAssignment } from './assign.js';

export interface PersonaEvent {
  readonly event: string;
  /** The event's share of the persona's profile (its row of H, normalized to sum 1). */
  readonly weight: number;
  /** Mean count among the persona's users ÷ mean count among all users (0 when nobody did it). */
  readonly lift: number;
  /** How specific the event is to a single persona, 0 (spread evenly) to 1 (one persona only). */
  readonly specificity: number;
}

export interface PersonaSummary {
  readonly id: number;
  /** A suggested name (its two heaviest events) unless names were given. */
  readonly name: string;
  readonly users: number;
  /** Share of all users (inactive users included in the denominator). */
  readonly share: number;
  /** At least 1 % of users: the rule of thumb for a persona worth acting on. */
  readonly actionable: boolean;
  /** Mean membership confidence of its users. */
  readonly meanConfidence: number;
  /** Its users' confidence in ten bins, [0, 0.1), …, [0.9, 1]. */
  readonly confidenceHistogram: readonly number[];
  /** Heaviest events first. */
  readonly topEvents: readonly PersonaEvent[];
  /** Events its users do more than average, highest lift first (Amplitude's split). */
  readonly moreThanAverage: readonly PersonaEvent[];
  /** Events its users do less than average, lowest lift first. */
  readonly lessThanAverage: readonly PersonaEvent[];
}

export interface DescribeInput {
  readonly events: readonly string[];
  /** users × events, the counts the lifts are computed on (dense or CSR). */
  readonly counts: DenseMatrix | CsrMatrix;
  /** k × events */
  readonly H: DenseMatrix;
  readonly assignment: PersonaAssignment;
  /** Events listed per persona in each list. Default 5. */
  readonly topEvents?: number;
  /** Persona names (k); default: suggested from the top events. */
  readonly names?: readonly string[];
  /** Users set aside before the fit (no selected event): counted in the shares' denominator. */
  readonly usersSetAside?: number;
}

/** Kim & Park's feature score per event: 1 + Σ_t p_t log_k p_t, p_t = H[t, j] / Σ_t H[t, j]. */
export function eventSpecificity(H: DenseMatrix): Float64Array {
  const k = H.rows, m = H.cols;
  const out = new Float64Array(m);
  if (k === 1) return out.fill(1);
  for (let j = 0; j < m; j++) {
    let total = 0;
    for (let t = 0; t < k; t++) total += H.data[t * m + j]!;
    if (total <= 0) continue;
    let s = 0;
    for (let t = 0; t < k; t++) {
      const p = H.data[t * m + j]! / total;
      if (p > 0) s += p * Math.log(p);
    }
    out[j] = 1 + s / Math.log(k);
  }
  return out;
}

export function describePersonas(input: DescribeInput): PersonaSummary[] {
  const tally = new PersonaTally(input.H.rows, input.H.cols);
  tally.add(input.counts, input.assignment);
  return tally.describe(input);
}

/**
 * What a persona description needs, summed over users a batch at a time: sizes, confidence, and each
 * persona's and everyone's event totals. Lets a streaming pass describe personas of users it never
 * holds all at once.
 */
export class PersonaTally {
  users = 0;
  private readonly overall: Float64Array;
  private readonly perPersona: Float64Array[];
  private readonly size: Int32Array;
  private readonly confidence: Float64Array;
  private readonly histogram: number[][];

  constructor(readonly k: number, readonly m: number) {
    this.overall = new Float64Array(m);
    this.perPersona = Array.from({ length: k }, () => new Float64Array(m));
    this.size = new Int32Array(k);
    this.confidence = new Float64Array(k);
    this.histogram = Array.from({ length: k }, () => new Array<number>(10).fill(0));
  }

  /** Adds a batch of users: their counts (columns = the model's events) and assignment. */
  add(counts: DenseMatrix | CsrMatrix, assignment: PersonaAssignment): void {
    const m = this.m, n = counts.rows;
    this.users += n;
    for (let u = 0; u < n; u++) {
      const p = assignment.persona[u]!;
      if (p >= 0) {
        this.size[p]!++;
        const c = assignment.confidence[u]!;
        this.confidence[p]! += c;
        this.histogram[p]![Math.min(9, Math.floor(c * 10))]!++;
      }
      const row = p >= 0 ? this.perPersona[p]! : undefined;
      const add = (j: number, c: number) => {
        this.overall[j]! += c;
        if (row) row[j]! += c;
      };
      if (counts.format === 'csr') for (let z = counts.indptr[u]!; z < counts.indptr[u + 1]!; z++) add(counts.indices[z]!, counts.data[z]!);
      else for (let j = 0; j < m; j++) add(j, counts.data[u * m + j]!);
    }
  }

  describe(input: Omit<DescribeInput, 'counts' | 'assignment'>): PersonaSummary[] {
    const { events, H } = input;
    const { k, m, overall, perPersona, size, confidence, histogram } = this;
    const n = this.users;
    const totalUsers = n + (input.usersSetAside ?? 0);
    const top = Math.min(input.topEvents ?? 5, m);
    const specificity = eventSpecificity(H);
    return Array.from({ length: k }, (_, t) => {
      const h = Array.from({ length: m }, (_, j) => H.data[t * m + j]!);
      const total = h.reduce((a, b) => a + b, 0);
      const describe = (j: number): PersonaEvent => ({
        event: events[j]!,
        weight: total > 0 ? h[j]! / total : 0,
        lift: overall[j]! > 0 && size[t]! > 0 ? perPersona[t]![j]! / size[t]! / (overall[j]! / n) : 0,
        specificity: specificity[j]!,
      });
      const all = h.map((_, j) => describe(j));
      const topEvents = h.map((_, j) => j).sort((a, b) => h[b]! - h[a]! || a - b).slice(0, top).map((j) => all[j]!);
      const done = all.filter((_, j) => overall[j]! > 0);
      return {
        id: t,
        name: input.names?.[t] ?? suggestedName(topEvents),
        users: size[t]!,
        share: totalUsers > 0 ? size[t]! / totalUsers : 0,
        actionable: totalUsers > 0 && size[t]! / totalUsers >= 0.01,
        meanConfidence: size[t]! > 0 ? confidence[t]! / size[t]! : 0,
        confidenceHistogram: histogram[t]!,
        topEvents,
        moreThanAverage: done.filter((e) => e.lift > 1).sort((a, b) => b.lift - a.lift).slice(0, top),
        lessThanAverage: done.filter((e) => e.lift < 1).sort((a, b) => a.lift - b.lift).slice(0, top),
      };
    });
  }
}

/** "deal_added + deal_updated": the two heaviest events. */
export function suggestedName(topEvents: readonly PersonaEvent[]): string {
  return topEvents.slice(0, 2).map((e) => e.event).join(' + ') || 'empty persona';
}
