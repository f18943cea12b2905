// Which events become columns: an explicit list, exclusions, a minimum number of users, and the top
// N by distinct users (the seed article kept 40 key events out of hundreds).

export interface EventSelectionOptions {
  /** Keep exactly these events, in this order (events absent from the input become zero columns). */
  events?: readonly string[];
  /** Drop these events. */
  excludeEvents?: readonly string[];
  /** Keep the N events done by the most users; 'all' (default) keeps every event. */
  topEvents?: number | 'all';
  /** Drop events done by fewer users than this. Default 1. */
  minUsersPerEvent?: number;
}

export interface EventSelection {
  /** The chosen events, most users first (or the --events order), as indices into `seen`. */
  readonly chosen: readonly number[];
  /** Names of the chosen events (missing ones from an explicit list included). */
  readonly names: readonly string[];
  /** Explicitly listed events that never occur in the input. */
  readonly missing: readonly string[];
  readonly dropped: { readonly excluded: number; readonly tooFewUsers: number; readonly beyondTop: number };
}

export function selectEvents(seen: readonly string[], usersPerEvent: Int32Array, o: EventSelectionOptions): EventSelection {
  if (o.events && o.events.length > 0) {
    const index = new Map(seen.map((name, i) => [name, i]));
    const names = [...new Set(o.events)];
    return {
      chosen: names.map((n) => index.get(n) ?? -1),
      names,
      missing: names.filter((n) => !index.has(n)),
      dropped: { excluded: 0, tooFewUsers: 0, beyondTop: seen.length - names.filter((n) => index.has(n)).length },
    };
  }
  const excluded = new Set(o.excludeEvents ?? []);
  const minUsers = o.minUsersPerEvent ?? 1;
  let nExcluded = 0, nTooFew = 0;
  const kept: number[] = [];
  seen.forEach((name, e) => {
    if (excluded.has(name)) nExcluded++;
    else if (usersPerEvent[e]! < minUsers) nTooFew++;
    else kept.push(e);
  });
  kept.sort((a, b) => usersPerEvent[b]! - usersPerEvent[a]! || (seen[a]! < seen[b]! ? -1 : seen[a]! > seen[b]! ? 1 : 0));
  const top = o.topEvents === undefined || o.topEvents === 'all' ? kept.length : Math.min(o.topEvents, kept.length);
  const chosen = kept.slice(0, top);
  return {
    chosen,
    names: chosen.map((e) => seen[e]!),
    missing: [...excluded].filter((n) => !seen.includes(n)),
    dropped: { excluded: nExcluded, tooFewUsers: nTooFew, beyondTop: kept.length - top },
  };
}
