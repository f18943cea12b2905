// Public API of the personas library. Runs in Node and in browsers: nothing here imports node:*.

export { fitNmf, type NmfResult, type LossTracePoint } from './nmf/fit.js';
export { transformNmf, type TransformOptions, type TransformResult } from './nmf/transform.js';
export type { NmfOptions, NmfSolver, NmfLoss, NmfInit, NmfIterationInfo } from './nmf/options.js';
export { assignPersonas, componentTotals, type PersonaAssignment } from './personas/assign.js';
export { topEvents } from './personas/top-events.js';
export type { DenseMatrix, CsrMatrix, MatrixInput, Float32Matrix } from './types.js';
export { PersonasError, NmfInputError, WasmMemoryError, AbortedError, type NmfInputProblem } from './errors.js';
export { Random } from './random.js';
export { simdSupported } from './wasm/features.js';
export { compileKernels } from './wasm/loader.js';
export { discoverPersonas, type DiscoverOptions, type DiscoverResult } from './personas/discover.js';
export { describePersonas, type PersonaSummary, type PersonaEvent } from './personas/describe.js';
export { adjustedRandIndex } from './personas/agreement.js';
export { generateCrmDemo, CRM_EVENTS, CRM_PERSONAS, type DemoData, type DemoOptions } from './demo/crm.js';
export { fitTransform, transformCounts, TRANSFORMS, DEFAULT_TRANSFORM, type TransformName, type FittedTransform, type CountMatrix } from './transform/transforms.js';
export { ingestEvents, ingestRecords, type IngestOptions, type IngestResult, type IngestSummary, type EventRecord } from './ingest/ingest.js';
export { textSource, blobSource, chunkSource, type TextSource } from './ingest/source.js';
export { InputError } from './ingest/errors.js';
export { parseTime } from './ingest/time.js';
