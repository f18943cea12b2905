// CSV records from text chunks, by csv-parse, each with the line it starts on.

import { parse, type CsvError } from '#csv-parse';
import { InputError } from './errors.js';

export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

/** A record csv-parse could not read (only with skipInvalid; otherwise it throws). */
export interface CsvSkip {
  readonly line: number;
  readonly reason: string;
}

export interface CsvReadOptions {
  readonly file: string;
  /** Longest record accepted, in characters. */
  readonly maxRecordChars: number;
  /** Skip unreadable records (reported through onSkip) instead of throwing. */
  readonly skipInvalid: boolean;
  readonly onSkip: (skip: CsvSkip) => void;
}

const REASONS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'unterminated quoted field',
  CSV_MAX_RECORD_SIZE: 'record too large',
  CSV_INVALID_CLOSING_QUOTE: 'misplaced quote',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'misplaced quote',
  INVALID_OPENING_QUOTE: 'misplaced quote',
  CSV_INVALID_OPENING_QUOTE: 'misplaced quote',
};

/** What csv-parse's errors mean, as "expected …, found …". */
const DETAILS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'expected a closing quote (") for the field opened here, found the end of the file',
  CSV_MAX_RECORD_SIZE: 'expected a record of at most 1 MiB, found a longer one',
  CSV_INVALID_CLOSING_QUOTE: 'expected a comma or a line end after a closing quote, found more text',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'expected a comma or a line end after a closing quote, found more text',
  INVALID_OPENING_QUOTE: 'expected quotes only around a whole field, found a quote inside a field',
  CSV_INVALID_OPENING_QUOTE: 'expected quotes only around a whole field, found a quote inside a field',
};

interface CsvParseError extends Error {
  code?: string;
  lines?: number;
  /** the field index, for field-level errors */
  column?: number | string | null;
}

/** Yields the records of each chunk as a batch (one await per chunk, not per record). */
export async function* readCsv(chunks: AsyncIterable<string | Uint8Array>, o: CsvReadOptions): AsyncGenerator<CsvRecord[]> {
  // Line numbers are counted here, not taken from csv-parse's `info` (which triples its cost, and
  // counts a CRLF inside quotes as two lines): empty lines are kept as records so every line is seen.
  let line = 0;
  const parser = parse({
    bom: true, // a UTF-8 byte-order mark in byte input
    relax_column_count: true, // ragged rows are reported by us, with both lengths
    skip_empty_lines: false,
    record_delimiter: ['\r\n', '\n'],
    max_record_size: o.maxRecordChars,
    skip_records_with_error: o.skipInvalid,
    on_skip: (error: CsvError | undefined) => {
      const e = (error ?? {}) as CsvParseError;
      o.onSkip({ line: e.code === 'CSV_QUOTE_NOT_CLOSED' ? line + 1 : e.lines ?? line + 1, reason: reasonOf(e) });
      if (e.lines !== undefined) line = e.lines; // resynchronize past the skipped record
      return undefined;
    },
  });
  let failure: CsvParseError | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  parser.on('error', (e: CsvParseError) => { failure = e; wake?.(); });
  parser.on('end', () => { ended = true; wake?.(); });
  parser.on('readable', () => wake?.());
  const pull = (): CsvRecord[] => {
    const batch: CsvRecord[] = [];
    let fields: string[] | null;
    while ((fields = parser.read()) !== null) {
      const start = ++line;
      if (fields.length === 1 && fields[0] === '') continue; // an empty line
      for (const f of fields) if (f.includes('\n')) line += f.split('\n').length - 1;
      batch.push({ line: start, fields });
    }
    return batch;
  };
  for await (const chunk of chunks) {
    parser.write(chunk);
    yield pull();
    if (failure) throw asInputError(failure, o.file, line + 1);
  }
  parser.end();
  while (!ended && !failure) {
    yield pull();
    if (ended || failure) break;
    await new Promise<void>((resolve) => { wake = resolve; });
    wake = undefined;
  }
  yield pull();
  if (failure) throw asInputError(failure, o.file, line + 1);
}

function reasonOf(error: CsvParseError): string {
  return REASONS[error.code ?? ''] ?? `unreadable CSV (${error.code ?? error.message})`;
}

/** `nextLine`: the line after the last good record, where an unterminated quote must have opened. */
function asInputError(error: CsvParseError, file: string, nextLine: number): InputError {
  const detail = DETAILS[error.code ?? ''] ?? `${reasonOf(error)}: ${error.message}`;
  const column = typeof error.column === 'number' ? error.column + 1 : undefined;
  return new InputError({ file, line: error.code === 'CSV_QUOTE_NOT_CLOSED' ? nextLine : error.lines, column }, detail);
}
