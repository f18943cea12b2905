// Consensus clustering over repeated NMF runs (Brunet et al. 2004): how often two users land in the
// same persona across runs; its cophenetic correlation (how well an average-linkage tree of 1 − C
// reproduces it) and dispersion (Kim & Park 2007) are near 1 when runs agree.

export interface ConsensusResult {
  readonly cophenetic: number;
  readonly dispersion: number;
}

/** assignments: one persona per sampled user per run (all the same length). */
export function consensus(assignments: readonly Int32Array[]): ConsensusResult {
  const n = assignments[0]!.length, runs = assignments.length;
  // Condensed upper triangle: pair (i < j) at i·n − i(i+1)/2 + (j − i − 1).
  const size = (n * (n - 1)) / 2;
  const together = new Float64Array(size);
  for (const a of assignments) {
    let z = 0;
    for (let i = 0; i < n; i++) {
      const ai = a[i]!;
      for (let j = i + 1; j < n; j++, z++) if (ai === a[j]! && ai >= 0) together[z]!++;
    }
  }
  let dispersion = 0;
  const distance = new Float64Array(size);
  for (let z = 0; z < size; z++) {
    const c = together[z]! / runs;
    distance[z] = 1 - c;
    dispersion += 4 * (c - 0.5) ** 2;
  }
  // Diagonal entries (c = 1) count too in Kim & Park's mean over the whole matrix.
  dispersion = (2 * dispersion + n) / (n * n);
  return { cophenetic: copheneticCorrelation(distance, n), dispersion };
}

/**
 * Pearson correlation between the distances and the cophenetic distances of their average-linkage
 * (UPGMA) tree, built with the nearest-neighbour chain algorithm in O(n²).
 */
export function copheneticCorrelation(distance: Float64Array, n: number): number {
  if (n < 3) return 1;
  const at = (i: number, j: number) => (i < j ? i * n - (i * (i + 1)) / 2 + (j - i - 1) : j * n - (j * (j + 1)) / 2 + (i - j - 1));
  const d = Float64Array.from(distance); // merged distances overwrite as clusters join
  const size = new Int32Array(n).fill(1);
  const active = new Uint8Array(n).fill(1);
  const members: number[][] = Array.from({ length: n }, (_, i) => [i]);
  let sumD = 0, sumC = 0, sumDD = 0, sumCC = 0, sumDC = 0, pairs = 0;
  const chain: number[] = [];
  let remaining = n;
  while (remaining > 1) {
    if (chain.length === 0) chain.push(active.indexOf(1));
    for (;;) {
      const a = chain[chain.length - 1]!;
      let best = -1, bestD = Infinity;
      for (let b = 0; b < n; b++) {
        if (!active[b] || b === a) continue;
        const v = d[at(a, b)]!;
        if (v < bestD || (v === bestD && b === chain[chain.length - 2])) { bestD = v; best = b; }
      }
      if (chain.length >= 2 && best === chain[chain.length - 2]) {
        // a and best are reciprocal nearest neighbours: merge them at height bestD.
        chain.pop();
        chain.pop();
        for (const i of members[a]!) {
          for (const j of members[best]!) {
            const orig = distance[at(i, j)]!;
            sumD += orig; sumC += bestD; sumDD += orig * orig; sumCC += bestD * bestD; sumDC += orig * bestD; pairs++;
          }
        }
        // Lance–Williams update for average linkage; the merged cluster keeps index a.
        for (let c = 0; c < n; c++) {
          if (!active[c] || c === a || c === best) continue;
          d[at(a, c)] = (size[a]! * d[at(a, c)]! + size[best]! * d[at(best, c)]!) / (size[a]! + size[best]!);
        }
        size[a]! += size[best]!;
        members[a] = members[a]!.concat(members[best]!);
        members[best] = [];
        active[best] = 0;
        remaining--;
        break;
      }
      chain.push(best);
    }
  }
  const meanD = sumD / pairs, meanC = sumC / pairs;
  const cov = sumDC / pairs - meanD * meanC;
  const varD = sumDD / pairs - meanD * meanD, varC = sumCC / pairs - meanC * meanC;
  return varD > 0 && varC > 0 ? cov / Math.sqrt(varD * varC) : 1;
}
