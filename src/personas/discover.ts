// The whole path from a users × events count matrix to described personas: transform, factorize,
// assign each user, describe each persona.

import { fitNmf, type NmfResult } from '../nmf/fit.js';
import type { NmfOptions } from '../nmf/options.js';
import { checkTransform, DEFAULT_TRANSFORM, fitTransform, type CountMatrix, type FittedTransform, type TransformName } from '../transform/transforms.js';
import { assignPersonas, type PersonaAssignment } from './assign.js';
import { describePersonas, type PersonaSummary } from './describe.js';
import { NmfInputError } from '../errors.js';
import { calibrateResiduals, relativeResiduals, type ResidualCalibration } from './residuals.js';

export interface DiscoverOptions extends Omit<NmfOptions, 'k'> {
  /** Number of personas. */
  k: number;
  /** How counts become the factorized matrix. Default 'share' (docs/transforms.md). */
  transform?: TransformName;
  /** Events listed per persona. Default 5. */
  topEvents?: number;
  /** Persona names (k of them); default: suggested from each persona's top events. */
  names?: readonly string[];
  /**
   * Fits from this many starts, keeping the lowest error (R's NMF `nrun`): the first from `init`,
   * the others random with seeds seed+1, seed+2, … Default 1.
   */
  restarts?: number;
  /** Users set aside before the fit (no selected event), counted in persona shares. Default 0. */
  usersSetAside?: number;
}

export interface DiscoverResult {
  /** The transform with its fitted parameters (for transforming new users the same way). */
  readonly transform: FittedTransform;
  readonly fit: NmfResult;
  readonly assignment: PersonaAssignment;
  readonly personas: readonly PersonaSummary[];
  /** Where the fit's users' relative residuals put the "poorly explained" threshold (drift detection). */
  readonly calibration: ResidualCalibration;
}

export async function discoverPersonas(counts: CountMatrix, events: readonly string[], options: DiscoverOptions): Promise<DiscoverResult> {
  const { transform: name, topEvents, names, restarts = 1, usersSetAside, ...nmf } = options;
  if (!Number.isInteger(restarts) || restarts < 1) throw new NmfInputError('BAD_OPTION', `restarts must be an integer ≥ 1; got ${restarts}`, restarts);
  if (names && names.length !== nmf.k) throw new NmfInputError('BAD_OPTION', `${names.length} persona names given for k = ${nmf.k} personas`, names.length);
  const { matrix, params: transform } = fitTransform(checkTransform(name ?? DEFAULT_TRANSFORM), counts);
  let fit = await fitNmf(matrix, nmf);
  for (let r = 1; r < restarts; r++) {
    const other = await fitNmf(matrix, { ...nmf, init: 'random', seed: (nmf.seed ?? 0) + r });
    if (other.reconstructionError < fit.reconstructionError) fit = other;
  }
  const assignment = await assignPersonas(fit.W, fit.H, { simd: options.simd });
  const personas = describePersonas({ events, counts, H: fit.H, assignment, topEvents, names, usersSetAside });
  const calibration = calibrateResiduals(relativeResiduals(matrix, fit.W, fit.H));
  return { transform, fit, assignment, personas, calibration };
}
