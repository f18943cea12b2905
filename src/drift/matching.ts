// Persona identity across refits: which persona of a new fit is which persona of an older model,
// by the similarity of their event profiles (cosine of H rows, events aligned by name) and an optimal
// one-to-one matching (the Hungarian algorithm, from the `munkres` package). Matched personas keep
// their names and, where possible, their ids; the rest are reported as new or vanished.

import { munkres } from 'munkres';
import type { DiscoverResult } from '../personas/discover.js';
import type { PersonaSummary } from '../personas/describe.js';

/** Profiles less similar than this are not the same persona, even when the matching pairs them. */
export const MIN_PROFILE_SIMILARITY = 0.5;

export interface Profiles {
  readonly events: readonly string[];
  /** k rows, one per persona, one column per event. */
  readonly H: readonly (ArrayLike<number>)[];
}

export interface ProfileMatch {
  /** Matched pairs, by previous id. */
  readonly pairs: readonly { readonly previous: number; readonly next: number; readonly similarity: number }[];
  /** Personas of the new fit that match none of the previous ones. */
  readonly added: readonly number[];
  /** Personas of the previous model that match none of the new ones. */
  readonly vanished: readonly number[];
  /** previous × next cosine similarities. */
  readonly similarity: readonly (readonly number[])[];
}

/** What the model file records about the match (fit --match-model). */
export interface PersonaLineage {
  /** The earlier model: its creation time and what it was fitted on. */
  readonly previousModel: { readonly createdAt: string; readonly source: string; readonly k: number };
  /** Per persona of this model: the earlier persona it continues (null: new) and how similar they are. */
  readonly personas: readonly { readonly id: number; readonly previousId: number | null; readonly similarity: number }[];
  /** Earlier personas with no counterpart here, with their best similarity to any of these. */
  readonly vanished: readonly { readonly previousId: number; readonly name: string; readonly bestSimilarity: number }[];
}

/** Cosine similarity of every previous profile with every next one (events matched by name). */
export function profileSimilarity(previous: Profiles, next: Profiles): number[][] {
  const column = new Map(next.events.map((e, j) => [e, j]));
  const norm = (row: ArrayLike<number>) => Math.sqrt(Array.from(row).reduce((s, x) => s + x * x, 0));
  const nextNorms = next.H.map(norm);
  return previous.H.map((a) => {
    const na = norm(a);
    return next.H.map((b, t) => {
      let dot = 0;
      previous.events.forEach((e, i) => {
        const j = column.get(e);
        if (j !== undefined) dot += a[i]! * b[j]!;
      });
      return na > 0 && nextNorms[t]! > 0 ? dot / (na * nextNorms[t]!) : 0;
    });
  });
}

/** The optimal one-to-one matching (largest total similarity); pairs under `minSimilarity` are split. */
export function matchProfiles(previous: Profiles, next: Profiles, minSimilarity = MIN_PROFILE_SIMILARITY): ProfileMatch {
  const similarity = profileSimilarity(previous, next);
  const assigned = previous.H.length && next.H.length ? munkres(similarity.map((row) => row.map((s) => 1 - s))) : [];
  const pairs = assigned
    .map(([p, n]) => ({ previous: p, next: n, similarity: similarity[p]![n]! }))
    .filter((m) => m.similarity >= minSimilarity)
    .sort((a, b) => a.previous - b.previous);
  const matchedNext = new Set(pairs.map((m) => m.next)), matchedPrevious = new Set(pairs.map((m) => m.previous));
  return {
    pairs,
    added: next.H.map((_, t) => t).filter((t) => !matchedNext.has(t)),
    vanished: previous.H.map((_, t) => t).filter((t) => !matchedPrevious.has(t)),
    similarity,
  };
}

/**
 * Renumbers and renames a new discovery after an earlier model: matched personas first, in the
 * earlier ids' order (so they keep their ids when none vanished), with the earlier names; new personas
 * after them, largest first, with their suggested names.
 */
export function carryOverIdentity(
  found: DiscoverResult, events: readonly string[],
  previous: { readonly events: readonly string[]; readonly H: readonly (readonly number[])[]; readonly names: readonly string[]; readonly createdAt: string; readonly input: { readonly source: string } },
  minSimilarity = MIN_PROFILE_SIMILARITY,
): { found: DiscoverResult; lineage: PersonaLineage } {
  const k = found.fit.k, m = events.length;
  const rows = Array.from({ length: k }, (_, t) => found.fit.H.data.subarray(t * m, (t + 1) * m));
  const match = matchProfiles(previous, { events, H: rows }, minSimilarity);
  const added = [...match.added].sort((a, b) => found.personas[b]!.users - found.personas[a]!.users || a - b);
  const order = [...match.pairs.map((p) => p.next), ...added]; // order[newId] = index in the fit
  const pairOf = new Map(match.pairs.map((p) => [p.next, p]));
  const names = order.map((t) => (pairOf.has(t) ? previous.names[pairOf.get(t)!.previous]! : found.personas[t]!.name));
  return {
    found: permute(found, order, names),
    lineage: {
      previousModel: { createdAt: previous.createdAt, source: previous.input.source, k: previous.H.length },
      personas: order.map((t, id) => {
        const p = pairOf.get(t);
        return { id, previousId: p ? p.previous : null, similarity: p ? p.similarity : Math.max(0, ...match.similarity.map((row) => row[t]!)) };
      }),
      vanished: match.vanished.map((v) => ({ previousId: v, name: previous.names[v]!, bestSimilarity: Math.max(0, ...match.similarity[v]!) })),
    },
  };
}

/** The same discovery with its personas in `order` (order[newId] = old index) and these names. */
function permute(found: DiscoverResult, order: readonly number[], names: readonly string[]): DiscoverResult {
  const f = found.fit, k = f.k, n = f.W.rows, m = f.H.cols;
  const inverse = new Int32Array(k);
  order.forEach((t, id) => { inverse[t] = id; });
  const W = new Float32Array(n * k), H = new Float32Array(k * m);
  for (let u = 0; u < n; u++) for (let id = 0; id < k; id++) W[u * k + id] = f.W.data[u * k + order[id]!]!;
  order.forEach((t, id) => H.set(f.H.data.subarray(t * m, (t + 1) * m), id * m));
  const persona = Int32Array.from(found.assignment.persona, (p) => (p < 0 ? p : inverse[p]!));
  const personas: PersonaSummary[] = order.map((t, id) => ({ ...found.personas[t]!, id, name: names[id]! }));
  return {
    ...found,
    fit: { ...f, W: { ...f.W, data: W }, H: { ...f.H, data: H } },
    assignment: { ...found.assignment, persona },
    personas,
  };
}
