// Where input text comes from, in any environment: a string, a Blob or File (browsers), or chunks.
// File paths and stdin live in src/node/.

import { InputError } from './errors.js';

/** A named source of text, read as a sequence of chunks. */
export interface TextSource {
  /** Shown in messages and summaries (a file name, "<stdin>", "<string>"). */
  readonly name: string;
  /** Starts reading from the beginning. */
  open(): AsyncIterable<string>;
  /** Whether open() may be called again (some options need two passes). */
  readonly reopenable: boolean;
  /**
   * The same content as raw bytes already checked to be UTF-8 text, when the source has them (Node
   * files): the CSV parser reads bytes faster than strings.
   */
  openBytes?(): AsyncIterable<Uint8Array>;
}

/** Text already in memory. */
export function textSource(text: string, name = '<string>'): TextSource {
  return {
    name,
    reopenable: true,
    async *open() {
      // Chunks of 1 MiB, as a file would arrive; a byte-order mark is dropped as a decoder would.
      const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
      for (let i = 0; i < body.length; i += 1 << 20) yield body.slice(i, i + (1 << 20));
    },
  };
}

/**
 * A Blob or File (e.g. from a file picker or drag and drop), decoded as UTF-8; gzip (by its magic
 * bytes) is inflated with the platform's DecompressionStream.
 */
export function blobSource(blob: Blob, name = (blob as File).name ?? '<blob>'): TextSource {
  return {
    name,
    reopenable: true,
    async *open() {
      const head = new Uint8Array(await blob.slice(0, 2).arrayBuffer());
      let stream: ReadableStream<Uint8Array> = blob.stream();
      if (head[0] === 0x1f && head[1] === 0x8b) {
        if (typeof DecompressionStream === 'undefined') throw new InputError({ file: name }, 'expected text, found gzip data and this environment cannot inflate it (no DecompressionStream)');
        stream = stream.pipeThrough(new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>);
      }
      yield* decodeUtf8(name, inflated(name, stream));
    },
  };
}

/** A byte stream's chunks; a corrupt gzip stream becomes an InputError naming the file. */
async function* inflated(name: string, stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch (error) {
        throw new InputError({ file: name }, `expected gzip data, found a corrupt or truncated stream (${(error as Error).message})`);
      }
      if (step.done) return;
      yield step.value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Byte or text chunks from anywhere; `open` is called once per pass (one-shot iterables: reopenable false). */
export function chunkSource(name: string, open: () => AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, reopenable = true): TextSource {
  return { name, reopenable, open: () => decodeUtf8(name, open()) };
}

/** Passes byte chunks through after checking they are UTF-8 text (decoding to check costs little). */
export async function* checkedUtf8(name: string, chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  for await (const chunk of chunks) {
    const text = decodeChunk(decoder, chunk, name, offset);
    offset += chunk.length;
    if (chunk.indexOf(0) >= 0 || text.includes('\0')) throw nulError(name, offset);
    yield chunk;
  }
  finishDecoding(decoder, name);
}

/** UTF-8 decoding that refuses binary data with the byte offset where it stops being text. */
export async function* decodeUtf8(name: string, chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  for await (const chunk of chunks) {
    if (typeof chunk === 'string') {
      yield chunk;
      continue;
    }
    const text = decodeChunk(decoder, chunk, name, offset);
    offset += chunk.length;
    if (text.includes('\0')) throw nulError(name, offset);
    if (text) yield text;
  }
  const rest = finishDecoding(decoder, name);
  if (rest) yield rest;
}

function decodeChunk(decoder: TextDecoder, chunk: Uint8Array, name: string, offset: number): string {
  try {
    return decoder.decode(chunk, { stream: true });
  } catch {
    throw new InputError({ file: name }, `expected UTF-8 text, found bytes that are not (binary data?) within bytes ${offset}–${offset + chunk.length}`);
  }
}

function finishDecoding(decoder: TextDecoder, name: string): string {
  try {
    return decoder.decode();
  } catch {
    throw new InputError({ file: name }, 'expected UTF-8 text, found a truncated multi-byte character at the end');
  }
}

function nulError(name: string, offset: number): InputError {
  return new InputError({ file: name }, `expected text, found a NUL byte (binary data?) within the first ${offset} bytes`);
}
