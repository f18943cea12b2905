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
  } catch {
    const at = syntaxErrorOffset(text);
    const found = at >= text.length ? 'the end of the line' : JSON.stringify(text[at]);
    return { line, column: at + 1, reason: 'invalid JSON', problem: `expected a JSON object, found invalid JSON (${found} at character ${at + 1})` };
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

/**
 * Where a JSON text first goes wrong (0-based), for the column of an error message: engines word
 * JSON.parse errors differently and Node 20's often has no position.
 */
export function syntaxErrorOffset(s: string): number {
  let i = 0;
  const fail = (): never => { throw i; };
  const space = () => { while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++; };
  const string = () => {
    i++; // opening quote
    while (i < s.length) {
      const c = s[i]!;
      if (c === '"') { i++; return; }
      if (c < ' ') fail();
      if (c === '\\') {
        i++;
        if (s[i] === 'u') { if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 1, i + 5))) fail(); i += 4; }
        else if (!'"\\/bfnrt'.includes(s[i] ?? 'x')) fail();
      }
      i++;
    }
    fail();
  };
  const number = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
  const value = (): void => {
    space();
    const c = s[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      space();
      if (s[i] === close) { i++; return; }
      for (;;) {
        if (c === '{') {
          space();
          if (s[i] !== '"') fail();
          string();
          space();
          if (s[i] !== ':') fail();
          i++;
        }
        value();
        space();
        if (s[i] === ',') { i++; continue; }
        if (s[i] === close) { i++; return; }
        fail();
      }
    }
    if (c === '"') return string();
    for (const word of ['true', 'false', 'null']) if (s.startsWith(word, i)) { i += word.length; return; }
    number.lastIndex = i;
    if (number.test(s)) { i = number.lastIndex; return; }
    fail();
  };
  try {
    value();
    space();
    if (i < s.length) fail();
    return s.length;
  } catch (at) {
    return at as number;
  }
}
