// The model file: everything needed to assign new users exactly as the fit's users were assigned, and
// to re-render the fit's report, as versioned JSON that loads the same in Node and in browsers.

import type { FittedTransform, TransformName } from '../transform/transforms.js';
import { TRANSFORMS } from '../transform/transforms.js';
import type { NmfLoss, NmfSolver } from '../nmf/options.js';
import type { PersonaSummary } from '../personas/describe.js';
import type { PersonaOutcomes } from '../personas/outcomes.js';
import type { SelectKResult } from '../select-k/select-k.js';
import { PersonasError } from '../errors.js';
import type { ResidualCalibration } from '../personas/residuals.js';
import type { PersonaLineage } from '../drift/matching.js';

export const MODEL_FORMAT = 'personas-model';
export const MODEL_VERSION = 1;

export interface PersonaModel {
  readonly format: typeof MODEL_FORMAT;
  readonly version: typeof MODEL_VERSION;
  /** ISO time of the fit. */
  readonly createdAt: string;
  /** The event vocabulary: H's columns, in order. */
  readonly events: readonly string[];
  /** How counts were transformed, with the fitted parameters. */
  readonly transform: FittedTransform;
  readonly k: number;
  /** k × events, one row per persona. */
  readonly H: readonly (readonly number[])[];
  /** One name per persona. */
  readonly names: readonly string[];
  readonly fit: {
    readonly solver: NmfSolver;
    readonly loss: NmfLoss;
    readonly init: string;
    readonly seed: number;
    readonly alphaW: number;
    readonly alphaH: number;
    readonly l1Ratio: number;
    readonly iterations: number;
    readonly converged: boolean;
    readonly reconstructionError: number;
    readonly relativeError: number;
  };
  /** What the model was fitted on. */
  readonly input: { readonly source: string; readonly users: number; readonly usersSetAside: number; readonly rows: number };
  /** The fit's persona descriptions (sizes, top events, lifts), for reports. */
  readonly personas: readonly PersonaSummary[];
  /** Outcome rates per persona, when the fit was given an outcome file. */
  readonly outcomes?: PersonaOutcomes & { readonly source: string; readonly column: string };
  /** The k survey, when k was chosen by one (fit -k auto or A..B). */
  readonly survey?: SelectKResult;
  /** The fit's users' residual threshold, for counting users the model no longer explains (compare). */
  readonly calibration?: ResidualCalibration;
  /** How this model's personas map to an earlier model's (fit --match-model). */
  readonly lineage?: PersonaLineage;
  /** Set when H was learned by mini-batch steps over a stream (fit --mini-batch). */
  readonly miniBatch?: { readonly batchSize: number; readonly epochs: number; readonly steps: number; readonly sampleUsers: number };
  /** Set when H was learned on a seeded uniform sample of the users (fit --sample). */
  readonly sample?: { readonly users: number; readonly seed: number };
}

/** Rows of a row-major float array, as plain numbers (JSON has no Float32Array). */
export function matrixRows(data: ArrayLike<number>, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => data[r * cols + c]!));
}

/** Refused model files: where in the file and what is wrong. */
export class ModelError extends PersonasError {
  constructor(source: string, problem: string) {
    super('BAD_INPUT', `${source}: not a usable personas model: ${problem}`);
    this.name = 'ModelError';
  }
}

/** Parses and validates a model file's text. Nothing in it is trusted until checked. */
export function parseModel(text: string, source = '<model>'): PersonaModel {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ModelError(source, `expected JSON, found a syntax error (${(e as Error).message})`);
  }
  const fail = (path: string, expected: string, found: unknown): never => {
    const shown = found === undefined ? 'nothing' : JSON.stringify(found)?.slice(0, 60) ?? String(found);
    throw new ModelError(source, `at ${path}: expected ${expected}, found ${shown}`);
  };
  const m = value as Record<string, unknown>;
  if (m === null || typeof m !== 'object' || Array.isArray(m)) fail('the top level', 'an object', m);
  if (m.format !== MODEL_FORMAT) fail('format', `"${MODEL_FORMAT}"`, m.format);
  if (m.version !== MODEL_VERSION) {
    fail('version', `${MODEL_VERSION} (this version of personas reads version ${MODEL_VERSION} models)`, m.version);
  }
  const events = m.events;
  if (!Array.isArray(events) || events.length === 0 || !events.every((e) => typeof e === 'string' && e !== '')) {
    fail('events', 'a non-empty array of event names', events);
  }
  const ev = events as string[];
  if (new Set(ev).size !== ev.length) fail('events', 'distinct names', ev.find((e, i) => ev.indexOf(e) !== i));
  const k = m.k;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) fail('k', 'an integer ≥ 1', k);
  const H = m.H;
  if (!Array.isArray(H) || H.length !== k) fail('H', `${k} rows`, Array.isArray(H) ? `${H.length} rows` : H);
  (H as unknown[]).forEach((row, t) => {
    if (!Array.isArray(row) || row.length !== ev.length) fail(`H[${t}]`, `${ev.length} numbers (one per event)`, Array.isArray(row) ? `${row.length}` : row);
    (row as unknown[]).forEach((x, j) => {
      if (typeof x !== 'number' || !(x >= 0) || !Number.isFinite(x)) fail(`H[${t}][${j}]`, 'a finite number ≥ 0', x);
    });
  });
  const names = m.names;
  if (!Array.isArray(names) || names.length !== k || !names.every((n) => typeof n === 'string')) fail('names', `${k} strings`, names);
  const t = m.transform as Record<string, unknown> | undefined;
  if (!t || typeof t !== 'object' || !TRANSFORMS.includes(t.name as TransformName)) fail('transform.name', `one of ${TRANSFORMS.join(', ')}`, t?.name);
  if (t!.name === 'tfidf') {
    const idf = t!.idf;
    if (!Array.isArray(idf) || idf.length !== ev.length || !idf.every((x) => typeof x === 'number' && Number.isFinite(x) && x > 0)) {
      fail('transform.idf', `${ev.length} positive numbers`, idf);
    }
  }
  const fit = m.fit as Record<string, unknown> | undefined;
  if (!fit || typeof fit !== 'object') fail('fit', 'an object', fit);
  if (fit!.loss !== 'frobenius' && fit!.loss !== 'kl') fail('fit.loss', '"frobenius" or "kl"', fit!.loss);
  for (const key of ['alphaW', 'l1Ratio'] as const) {
    if (typeof fit![key] !== 'number' || !((fit![key] as number) >= 0)) fail(`fit.${key}`, 'a number ≥ 0', fit![key]);
  }
  if (!Array.isArray(m.personas) || m.personas.length !== k) fail('personas', `${k} persona descriptions`, Array.isArray(m.personas) ? m.personas.length : m.personas);
  if (m.calibration !== undefined) {
    const c = m.calibration as Record<string, unknown>;
    const unit = (x: unknown) => typeof x === 'number' && x >= 0 && x <= 1;
    if (!c || typeof c !== 'object' || !unit(c.residualQuantile)) fail('calibration.residualQuantile', 'a number in [0, 1]', c?.residualQuantile);
    if (typeof c.residualThreshold !== 'number' || !(c.residualThreshold >= 0) || !Number.isFinite(c.residualThreshold)) fail('calibration.residualThreshold', 'a finite number ≥ 0', c.residualThreshold);
  }
  return value as PersonaModel;
}
