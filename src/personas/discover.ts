// The whole path from a users × events count matrix to described personas: transform, factorize,
// assign each user, describe each persona.

import { fitNmf, type NmfResult } from '../nmf/fit.js';
import type { NmfOptions } from '../nmf/options.js';
import { checkTransform, DEFAULT_TRANSFORM, fitTransform, type CountMatrix, type FittedTransform, type TransformName } from '../transform/transforms.js';
import { assignPersonas, type PersonaAssignment } from './assign.js';
import { describePersonas, type PersonaSummary } from './describe.js';

export interface DiscoverOptions extends Omit<NmfOptions, 'k'> {
  /** Number of personas. */
  k: number;
  /** How counts become the factorized matrix. Default 'share' (docs/transforms.md). */
  transform?: TransformName;
  /** Events listed per persona. Default 5. */
  topEvents?: number;
}

export interface DiscoverResult {
  /** The transform with its fitted parameters (for transforming new users the same way). */
  readonly transform: FittedTransform;
  readonly fit: NmfResult;
  readonly assignment: PersonaAssignment;
  readonly personas: readonly PersonaSummary[];
}

export async function discoverPersonas(counts: CountMatrix, events: readonly string[], options: DiscoverOptions): Promise<DiscoverResult> {
  const { transform: name, topEvents, ...nmf } = options;
  const { matrix, params: transform } = fitTransform(checkTransform(name ?? DEFAULT_TRANSFORM), counts);
  const fit = await fitNmf(matrix, nmf);
  const assignment = await assignPersonas(fit.W, fit.H, { simd: options.simd });
  const personas = describePersonas({ events, counts, H: fit.H, assignment, topEvents });
  return { transform, fit, assignment, personas };
}
