// What each persona is: its size, and the events that define it, with how much more than average
// its members do them (lift, as Amplitude's Personas chart shows).

import type { CsrMatrix, DenseMatrix } from '../types.js';
import type { PersonaAssignment } from './assign.js';

export interface PersonaEvent {
  readonly event: string;
  /** The event's share of the persona's profile (its row of H, normalized to sum 1). */
  readonly weight: number;
  /** Mean count among the persona's users ÷ mean count among all users (0 when nobody did it). */
  readonly lift: number;
}

export interface PersonaSummary {
  readonly id: number;
  /** A suggested name: the persona's two heaviest events. */
  readonly name: string;
  readonly users: number;
  /** Share of all users (inactive users included in the denominator). */
  readonly share: number;
  /** Mean membership confidence of its users. */
  readonly meanConfidence: number;
  readonly topEvents: readonly PersonaEvent[];
}

export interface DescribeInput {
  readonly events: readonly string[];
  /** users × events, the counts the lifts are computed on (dense or CSR). */
  readonly counts: DenseMatrix | CsrMatrix;
  /** k × events */
  readonly H: DenseMatrix;
  readonly assignment: PersonaAssignment;
  /** Events listed per persona. Default 5. */
  readonly topEvents?: number;
}

export function describePersonas(input: DescribeInput): PersonaSummary[] {
  const { events, counts, H, assignment } = input;
  const k = H.rows, m = H.cols, n = counts.rows;
  const top = Math.min(input.topEvents ?? 5, m);
  const overall = new Float64Array(m);
  const perPersona = Array.from({ length: k }, () => new Float64Array(m));
  const size = new Int32Array(k);
  const confidence = new Float64Array(k);
  for (let u = 0; u < n; u++) {
    const p = assignment.persona[u]!;
    if (p >= 0) {
      size[p]!++;
      confidence[p]! += assignment.confidence[u]!;
    }
    const row = p >= 0 ? perPersona[p]! : undefined;
    const add = (j: number, c: number) => {
      overall[j]! += c;
      if (row) row[j]! += c;
    };
    if (counts.format === 'csr') for (let z = counts.indptr[u]!; z < counts.indptr[u + 1]!; z++) add(counts.indices[z]!, counts.data[z]!);
    else for (let j = 0; j < m; j++) add(j, counts.data[u * m + j]!);
  }
  return Array.from({ length: k }, (_, t) => {
    const h = Array.from({ length: m }, (_, j) => H.data[t * m + j]!);
    const total = h.reduce((a, b) => a + b, 0);
    const order = h.map((_, j) => j).sort((a, b) => h[b]! - h[a]! || a - b).slice(0, top);
    const topEvents = order.map((j) => ({
      event: events[j]!,
      weight: total > 0 ? h[j]! / total : 0,
      lift: overall[j]! > 0 && size[t]! > 0 ? perPersona[t]![j]! / size[t]! / (overall[j]! / n) : 0,
    }));
    return {
      id: t,
      name: topEvents.slice(0, 2).map((e) => e.event).join(' + '),
      users: size[t]!,
      share: n > 0 ? size[t]! / n : 0,
      meanConfidence: size[t]! > 0 ? confidence[t]! / size[t]! : 0,
      topEvents,
    };
  });
}
