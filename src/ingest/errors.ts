// Errors in input data: where (file, line, column) and what (expected, found).

import { PersonasError } from '../errors.js';

export interface InputLocation {
  readonly file: string;
  /** 1-based line of the file. */
  readonly line?: number;
  /** 1-based: the field number in CSV, the character in an NDJSON line. */
  readonly column?: number;
}

/** Bad input data: the message starts with file:line:column, like a compiler's. */
export class InputError extends PersonasError implements InputLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  /** Why, without the location: "expected …, found …". */
  readonly problem: string;
  constructor(where: InputLocation, problem: string) {
    super('BAD_INPUT', `${formatLocation(where)}: ${problem}`);
    this.name = 'InputError';
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.problem = problem;
  }
}

export function formatLocation(where: InputLocation): string {
  return [where.file, where.line, where.column].filter((x) => x !== undefined).join(':');
}

/** A value as it appears in a message: quoted, shortened when long. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  const short = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  return typeof value === 'string' ? JSON.stringify(short) : short;
}
