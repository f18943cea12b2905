// The recommendation rule (docs/select-k.md): among the k whose personas are all actionable (each
// at least 1 % of users) and stable across runs (mean ARI ≥ 0.75), the one with the lowest
// cross-validated error. Smaller k within one standard error of it are named in their reasons: the
// simpler choices the data cannot tell apart from the best (Breiman's one-SE rule, which on our
// synthetic surveys chose too small a k when the error curve is flat before the planted k).

import type { KCandidate } from './select-k.js';

export interface Recommendation {
  readonly recommended: number;
  readonly reason: string;
}

export const MIN_SHARE = 0.01;
export const MIN_STABILITY = 0.75;

const sci = (x: number) => x.toExponential(2);

export function recommendK(candidates: KCandidate[], replicates: number): Recommendation {
  const vetoes = new Map<number, string>();
  for (const c of candidates) {
    if (c.minShare < MIN_SHARE) vetoes.set(c.k, `its smallest persona holds ${(100 * c.minShare).toFixed(2)} % of users, under the 1 % worth acting on`);
    else if (c.stability < MIN_STABILITY) vetoes.set(c.k, `repeated runs disagree (mean ARI ${c.stability.toFixed(2)} < ${MIN_STABILITY})`);
  }
  const eligible = candidates.filter((c) => !vetoes.has(c.k));
  const pool = eligible.length > 0 ? eligible : candidates;
  const best = pool.reduce((a, b) => (b.cvError < a.cvError ? b : a));
  const band = best.cvError + best.cvErrorSd / Math.sqrt(Math.max(1, replicates));
  const pick = best;
  for (const c of candidates) {
    const veto = vetoes.get(c.k);
    if (c.k === pick.k) {
      c.reason = `the lowest cross-validated error among actionable, stable k (${sci(c.cvError)} ± ${sci(c.cvErrorSd)})`;
      if (eligible.length === 0) c.reason += '; no k passed the 1 % and stability checks, so the lowest error decides';
    } else if (veto) c.reason = `set aside: ${veto}`;
    else if (c.cvError > band) c.reason = `cross-validated error ${sci(c.cvError)} is above the best's (${sci(best.cvError)} + one standard error)`;
    else c.reason = `cross-validated error ${sci(c.cvError)} is within one standard error of the best: a ${c.k < pick.k ? 'simpler' : 'larger'} choice the data cannot tell apart`;
  }
  return { recommended: pick.k, reason: `k = ${pick.k}: ${pick.reason}.` };
}

/**
 * Brunet et al.'s rule, for method 'consensus': the k just before the cophenetic correlation first
 * drops (the largest k whose consensus is as clean as the previous one), among actionable k.
 */
export function recommendByConsensus(candidates: KCandidate[]): Recommendation {
  let pick = candidates[0]!;
  for (let i = 1; i < candidates.length; i++) {
    const c = candidates[i]!;
    if (c.minShare < MIN_SHARE || c.cophenetic < candidates[i - 1]!.cophenetic - 1e-3) break;
    pick = c;
  }
  for (const c of candidates) {
    c.reason = c.k === pick.k
      ? `the largest k before the cophenetic correlation drops (${c.cophenetic.toFixed(3)})`
      : c.minShare < MIN_SHARE
        ? `set aside: its smallest persona holds ${(100 * c.minShare).toFixed(1)} % of users, under 1 %`
        : `cophenetic correlation ${c.cophenetic.toFixed(3)}`;
  }
  return { recommended: pick.k, reason: `k = ${pick.k}: ${pick.reason} (Brunet et al. 2004; this rule tends to choose small k).` };
}
