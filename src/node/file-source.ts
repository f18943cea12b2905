// Node's sources: files (gzip when the name ends in .gz or the bytes say so) and stdin ("-").

import { createReadStream, createWriteStream } from 'node:fs';
import { open, mkdtemp, rm } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PersonasError } from '../errors.js';
import { checkedUtf8, decodeUtf8, type TextSource } from '../ingest/source.js';

/** A file path, or "-" for stdin (read once). */
export async function nodeSource(path: string): Promise<TextSource> {
  if (path === '-') return { name: '<stdin>', reopenable: false, open: () => decodeUtf8('<stdin>', gunzipIfNeeded('<stdin>', process.stdin, undefined)) };
  const gzip = await isGzip(path);
  return {
    name: path,
    reopenable: true,
    open: () => decodeUtf8(path, gunzipIfNeeded(path, createReadStream(path), gzip)),
    openBytes: () => checkedUtf8(path, gunzipIfNeeded(path, createReadStream(path), gzip)),
  };
}

/** Copies stdin to a temporary file so it can be read twice; returns the source and a cleanup. */
export async function spoolStdin(): Promise<{ source: TextSource; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'personas-stdin-'));
  const file = join(dir, 'input');
  await pipeline(process.stdin, createWriteStream(file));
  const source = await nodeSource(file);
  return { source: { ...source, name: '<stdin>' }, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

async function isGzip(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw asReadError(error, path);
  }
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return path.endsWith('.gz') || (bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b);
  } finally {
    await handle.close();
  }
}

async function* gunzipIfNeeded(name: string, stream: NodeJS.ReadableStream, gzip: boolean | undefined): AsyncGenerator<Uint8Array> {
  let decided = gzip;
  let input: AsyncIterable<Uint8Array> = stream as AsyncIterable<Uint8Array>;
  if (decided === undefined) {
    // stdin: look at the first bytes
    const it = input[Symbol.asyncIterator]();
    const first = await it.next();
    if (first.done) return;
    decided = first.value[0] === 0x1f && first.value[1] === 0x8b;
    input = (async function* () {
      yield first.value;
      for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
    })();
  }
  if (!decided) {
    yield* input;
    return;
  }
  const gunzip = createGunzip();
  const feeding = pipeline(input, gunzip).catch((error) => gunzip.destroy(error));
  try {
    for await (const chunk of gunzip) yield chunk as Uint8Array;
  } catch (error) {
    throw new PersonasError('BAD_FILE', `${name}: expected gzip-compressed data, found ${(error as Error).message} (a truncated or damaged .gz file?)`);
  }
  await feeding;
}

export function asReadError(error: unknown, path: string): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  const reasons: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'it is a directory' };
  return code && reasons[code] ? new PersonasError('BAD_FILE', `cannot read ${path}: ${reasons[code]}`) : error;
}
