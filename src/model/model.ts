// The model file: everything needed to assign new users exactly as the fit's users were assigned,
// as versioned JSON that loads the same in Node and in browsers.

import type { FittedTransform } from '../transform/transforms.js';
import type { NmfLoss, NmfSolver } from '../nmf/options.js';

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
  readonly input: { readonly source: string; readonly users: number; readonly rows: number };
  /** Share of the fit's users in each persona. */
  readonly shares: readonly number[];
}

/** Rows of a row-major float array, as plain numbers (JSON has no Float32Array). */
export function matrixRows(data: ArrayLike<number>, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => data[r * cols + c]!));
}
