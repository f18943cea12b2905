// NDJSON (one JSON object per line, as Segment, Amplitude and Mixpanel export) from text chunks.

import { InputError } from './errors.js';

export type NdjsonItem =
  | { readonly line: number; readonly value: Record<string, unknown> }
  | { readonly line: number; readonly column?: number; readonly reason: string; readonly problem: string };

export interface NdjsonReadOptions {
  readonly file: string;
  readonly maxRecordChars: number;
}

/** Yields, per chunk, each non-empty line's object or a description of why the line is not one. */
export async function* readNdjson(chunks: AsyncIterable<string>, o: NdjsonReadOptions): AsyncGenerator<NdjsonItem[]> {
  let carry = '';
  let line = 0;
  for await (const chunk of chunks) {
    const text = carry + chunk;
    const batch: NdjsonItem[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
      line++;
      const item = parseLine(text.slice(start, nl), line, o);
      if (item) batch.push(item);
      start = nl + 1;
    }
    yield batch;
    carry = text.slice(start);
    if (carry.length > o.maxRecordChars) {
      throw new InputError({ file: o.file, line: line + 1 }, `expected a line of at most ${o.maxRecordChars} characters, found a longer one`);
    }
  }
  if (carry.length > 0) {
    const item = parseLine(carry, line + 1, o);
    if (item) yield [item];
  }
}

function parseLine(raw: string, line: number, o: NdjsonReadOptions): NdjsonItem | undefined {
  const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (text.trim() === '') return undefined;
  if (text.length > o.maxRecordChars) {
    return { line, reason: 'record too large', problem: `expected a line of at most ${o.maxRecordChars} characters, found ${text.length}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message) ?? /column (\d+)/.exec(message);
    const column = at ? Number(at[1]) + (at[0].startsWith('position') ? 1 : 0) : undefined;
    return { line, column, reason: 'invalid JSON', problem: `expected a JSON object, found invalid JSON (${message.replace(/ in JSON at position \d+.*$/, '')})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { line, column: 1, reason: 'not a JSON object', problem: `expected a JSON object, found ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}` };
  }
  return { line, value: value as Record<string, unknown> };
}

/** The value at a dotted path ("properties.distinct_id"); an exact key with dots wins. */
export function getPath(object: Record<string, unknown>, path: string): unknown {
  if (path in object) return object[path];
  let current: unknown = object;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
