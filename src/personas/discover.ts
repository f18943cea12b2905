// The whole path from a users × events count matrix to described personas: transform, factorize,
// assign each user, describe each persona.

import { fitNmf, type NmfResult } from '../nmf/fit.js';
import type { NmfOptions } from '../nmf/options.js';
import { applyTransform, checkTransform, type TransformName } from '../transform/transforms.js';
import type { DenseMatrix } from '../types.js';
import { assignPersonas, type PersonaAssignment } from './assign.js';
import { describePersonas, type PersonaSummary } from './describe.js';

export interface DiscoverOptions extends Omit<NmfOptions, 'k'> {
  /** Number of personas. */
  k: number;
  /** How counts become the factorized matrix. Default 'log1p'. */
  transform?: TransformName;
  /** Events listed per persona. Default 5. */
  topEvents?: number;
}

export interface DiscoverResult {
  readonly transform: TransformName;
  readonly fit: NmfResult;
  readonly assignment: PersonaAssignment;
  readonly personas: readonly PersonaSummary[];
}

export async function discoverPersonas(counts: DenseMatrix, events: readonly string[], options: DiscoverOptions): Promise<DiscoverResult> {
  const transform = checkTransform(options.transform ?? 'log1p');
  const { transform: _t, topEvents, ...nmf } = options;
  const matrix = { rows: counts.rows, cols: counts.cols, data: applyTransform(transform, counts.data) };
  const fit = await fitNmf(matrix, nmf);
  const assignment = await assignPersonas(fit.W, fit.H, { simd: options.simd });
  const personas = describePersonas({ events, counts, H: fit.H, assignment, topEvents });
  return { transform, fit, assignment, personas };
}
