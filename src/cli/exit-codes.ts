// The one place that turns an outcome into an exit code (../shared/CLI.md): 0 success, 2 bad input
// or usage, 1 an internal failure.

import { CommanderError } from 'commander';
import { PersonasError } from '../errors.js';

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;

/** Errors that mean "the input or the invocation is wrong", not "the tool is broken". */
const BAD_INPUT_CODES = new Set([
  'EMPTY', 'NEGATIVE_VALUE', 'NOT_FINITE', 'SHAPE_MISMATCH', 'BAD_K', 'BAD_OPTION', 'BAD_CSR',
  'WASM_MEMORY', 'NO_SIMD', 'BAD_INPUT', 'BAD_FILE',
]);

export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help'
      ? EXIT_OK
      : EXIT_BAD_INPUT;
  }
  if (error instanceof PersonasError) return BAD_INPUT_CODES.has(error.code) ? EXIT_BAD_INPUT : EXIT_INTERNAL;
  return EXIT_INTERNAL;
}

/** The message printed for an error: the message alone for expected errors, the stack otherwise. */
export function describeError(error: unknown): string {
  if (error instanceof CommanderError) return ''; // commander has printed its own message
  if (error instanceof PersonasError) return `personas: ${error.message}\n`;
  const e = error as Error;
  return `personas: internal error: ${e?.stack ?? String(error)}\n`;
}
