// Typed errors. Each message says what was expected, what was found, and how to fix it.

/** Base class of every error this library throws on purpose. `code` is stable for programs to test. */
export class PersonasError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'PersonasError';
    this.code = code;
  }
}

/** Why an input matrix or an option was refused. */
export type NmfInputProblem =
  | 'EMPTY'
  | 'NEGATIVE_VALUE'
  | 'NOT_FINITE'
  | 'SHAPE_MISMATCH'
  | 'BAD_K'
  | 'BAD_OPTION'
  | 'BAD_CSR';

/**
 * Bad input to fitNmf / transformNmf, raised before any WebAssembly call. `value` is the offending
 * value; `row` and `col` locate it in the matrix when it comes from one.
 */
export class NmfInputError extends PersonasError {
  readonly value: unknown;
  readonly row?: number;
  readonly col?: number;
  constructor(problem: NmfInputProblem, message: string, value?: unknown, where?: { row?: number; col?: number }) {
    super(problem, message);
    this.name = 'NmfInputError';
    this.value = value;
    this.row = where?.row;
    this.col = where?.col;
  }
}

/** The problem does not fit in 32-bit WebAssembly memory (4 GiB), or the engine refused to grow it. */
export class WasmMemoryError extends PersonasError {
  constructor(message: string) {
    super('WASM_MEMORY', message);
    this.name = 'WasmMemoryError';
  }
}

/** A fit was stopped through its AbortSignal. */
export class AbortedError extends PersonasError {
  constructor(message = 'the fit was aborted') {
    super('ABORTED', message);
    this.name = 'AbortError';
  }
}

/** Exhaustiveness check for switches over option unions. */
export function assertUnreachable(value: never, what: string): never {
  throw new PersonasError('UNREACHABLE', `unexpected ${what}: ${String(value)}`);
}
