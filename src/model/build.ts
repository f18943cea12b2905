// A model from a finished discovery: the persona profiles (H), the vocabulary and transform needed to
// assign new users, and the descriptions needed to report.

import type { DiscoverResult } from '../personas/discover.js';
import type { PersonaOutcomes } from '../personas/outcomes.js';
import type { SelectKResult } from '../select-k/select-k.js';
import type { PersonaLineage } from '../drift/matching.js';
import { MODEL_FORMAT, MODEL_VERSION, matrixRows, type PersonaModel } from './model.js';

export interface BuildModelInput {
  readonly found: DiscoverResult;
  readonly events: readonly string[];
  readonly input: { readonly source: string; readonly users: number; readonly usersSetAside: number; readonly rows: number };
  readonly regularization: { readonly alphaW: number; readonly alphaH: number; readonly l1Ratio: number };
  readonly outcomes?: PersonaOutcomes & { readonly source: string; readonly column: string };
  readonly survey?: SelectKResult;
  /** How the personas map to an earlier model's (fit --match-model). */
  readonly lineage?: PersonaLineage;
  /** Defaults to now; fixed in tests for reproducible files. */
  readonly createdAt?: string;
}

export function buildModel(b: BuildModelInput): PersonaModel {
  const { found } = b;
  const f = found.fit;
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    createdAt: b.createdAt ?? new Date().toISOString(),
    events: b.events,
    transform: found.transform,
    k: f.k,
    H: matrixRows(f.H.data, f.k, b.events.length),
    names: found.personas.map((p) => p.name),
    fit: {
      solver: f.solver, loss: f.loss, init: f.init, seed: f.seed,
      alphaW: b.regularization.alphaW, alphaH: b.regularization.alphaH, l1Ratio: b.regularization.l1Ratio,
      iterations: f.iterations, converged: f.converged, reconstructionError: f.reconstructionError, relativeError: f.relativeError,
    },
    input: b.input,
    personas: found.personas,
    ...(b.outcomes ? { outcomes: b.outcomes } : {}),
    ...(b.survey ? { survey: b.survey } : {}),
    calibration: found.calibration,
    ...(b.lineage ? { lineage: b.lineage } : {}),
  };
}
