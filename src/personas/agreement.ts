// How well two labelings agree: the adjusted Rand index (Hubert & Arabie 1985), 1 for identical
// partitions (up to relabelling), about 0 for chance.

/** ARI of two labelings of the same items; items where either label is < 0 are left out. */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const table = new Map<string, number>(), rows = new Map<number, number>(), cols = new Map<number, number>();
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = b[i]!;
    if (x < 0 || y < 0) continue;
    n++;
    const key = `${x},${y}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(x, (rows.get(x) ?? 0) + 1);
    cols.set(y, (cols.get(y) ?? 0) + 1);
  }
  const pairs = (c: number) => (c * (c - 1)) / 2;
  let index = 0, sumRows = 0, sumCols = 0;
  for (const c of table.values()) index += pairs(c);
  for (const c of rows.values()) sumRows += pairs(c);
  for (const c of cols.values()) sumCols += pairs(c);
  const total = pairs(n);
  if (total === 0) return 1;
  const expected = (sumRows * sumCols) / total;
  const max = (sumRows + sumCols) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}
