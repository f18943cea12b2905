// Messages between a page and the persona worker: plain data only (structured-clone friendly).

import type { IngestOptions, IngestSummary } from '../ingest/ingest.js';
import type { PersonaModel } from '../model/model.js';
import type { SelectKResult } from '../select-k/select-k.js';
import type { TransformName } from '../transform/transforms.js';

/** What to read: text, a Blob/File (as from a file picker), or the embedded demo. */
export type WorkerInput =
  | { readonly kind: 'text'; readonly text: string; readonly name?: string }
  | { readonly kind: 'blob'; readonly blob: Blob; readonly name?: string }
  | { readonly kind: 'demo'; readonly users?: number; readonly seed?: number };

export interface FitRequest {
  readonly input: WorkerInput;
  /** A number of personas, or a range to survey first ('auto' = 2..12). */
  readonly k: number | 'auto' | { readonly from: number; readonly to: number };
  readonly transform?: TransformName;
  readonly seed?: number;
  readonly ingest?: Omit<IngestOptions, 'onProgress'>;
  /** Persona names to use instead of the suggested ones (k of them). */
  readonly names?: readonly string[];
}

export interface FitResponse {
  readonly model: PersonaModel;
  readonly summary: IngestSummary;
  readonly users: readonly string[];
  readonly setAside: readonly string[];
  readonly persona: Int32Array;
  readonly confidence: Float32Array;
  readonly survey?: SelectKResult;
  readonly seconds: number;
  /** Threads the fit's row passes ran on (more than 1 only in a cross-origin isolated page). */
  readonly fitThreads: number;
}

export interface SelectKRequest {
  readonly input: WorkerInput;
  /** The range of k to survey; default 2..12 (capped at min(users, events)). */
  readonly k?: { readonly from: number; readonly to: number };
  readonly transform?: TransformName;
  readonly seed?: number;
  readonly ingest?: Omit<IngestOptions, 'onProgress'>;
}

export interface SelectKResponse {
  readonly survey: SelectKResult;
  readonly summary: IngestSummary;
}

export interface AssignRequest {
  readonly model: PersonaModel;
  readonly input: WorkerInput;
  readonly ingest?: Omit<IngestOptions, 'onProgress'>;
}

export interface AssignResponse {
  readonly users: readonly string[];
  readonly persona: Int32Array;
  readonly confidence: Float32Array;
  readonly unassigned: number;
  readonly summary: IngestSummary;
}

export interface WorkerProgress {
  readonly stage: 'reading' | 'surveying' | 'fitting' | 'assigning';
  readonly done: number;
  readonly total?: number;
}

export type ToWorker =
  | { readonly id: number; readonly method: 'fit'; readonly params: FitRequest }
  | { readonly id: number; readonly method: 'selectK'; readonly params: SelectKRequest }
  | { readonly id: number; readonly method: 'assign'; readonly params: AssignRequest }
  | { readonly id: number; readonly method: 'cancel' }
  /** To the main persona worker: ports to helper workers that share its k surveys. */
  | { readonly id: 0; readonly method: 'use-helpers'; readonly ports: readonly MessagePort[] }
  /** To a helper worker: serve survey tasks arriving on this port. */
  | { readonly id: 0; readonly method: 'serve-survey'; readonly port: MessagePort };

export type FromWorker =
  | { readonly id: number; readonly type: 'progress'; readonly progress: WorkerProgress }
  | { readonly id: number; readonly type: 'result'; readonly result: unknown }
  | { readonly id: number; readonly type: 'error'; readonly error: { readonly name: string; readonly code?: string; readonly message: string } };
