// Output files are written whole or not at all. Every output of a command is first written to a
// temporary file beside its target; only when all of them are complete are they renamed into place.
// On failure the temporary files are removed and no target is touched.

import { createWriteStream, rmSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { once } from 'node:events';
import { PersonasError } from '../errors.js';

/** Temporary files of every OutputFiles not yet committed or aborted, for removal on interruption. */
const pendingTemps = new Set<string>();

/**
 * Ctrl-C or a kill mid-write removes the temporary files and exits 130 (SIGINT) or 143 (SIGTERM), so an
 * interrupted run leaves nothing behind either. For the personas binary only: a library never exits.
 */
export function removeTemporaryFilesOnInterrupt(): void {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      for (const temp of pendingTemps) rmSync(temp, { force: true });
      process.exit(code);
    });
  }
}

export class OutputFiles {
  private readonly staged: { temp: string; path: string }[] = [];

  /** Streams chunks into a temporary file for `path`. */
  async add(path: string, chunks: Iterable<string> | AsyncIterable<string>): Promise<void> {
    const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${this.staged.length}.tmp`);
    this.staged.push({ temp, path });
    pendingTemps.add(temp);
    const out = createWriteStream(temp, { encoding: 'utf8' });
    const failed = once(out, 'error').then(([e]) => { throw e; });
    try {
      await Promise.race([failed, (async () => {
        await once(out, 'open');
        for await (const chunk of chunks) if (!out.write(chunk)) await once(out, 'drain');
        out.end();
        await once(out, 'finish');
      })()]);
    } catch (error) {
      out.destroy();
      throw asFileError(error, path);
    }
  }

  /** A temporary file for `path` to write piece by piece (await each write); renamed on commit. */
  async stream(path: string): Promise<{ write(text: string): Promise<void>; end(): Promise<void> }> {
    const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${this.staged.length}.tmp`);
    this.staged.push({ temp, path });
    pendingTemps.add(temp);
    const out = createWriteStream(temp, { encoding: 'utf8' });
    let failure: unknown;
    out.on('error', (e) => { failure = e; });
    try {
      await once(out, 'open');
    } catch (error) {
      throw asFileError(error, path);
    }
    return {
      async write(text: string) {
        if (failure) throw asFileError(failure, path);
        if (!out.write(text)) await once(out, 'drain');
      },
      async end() {
        out.end();
        await once(out, 'finish');
        if (failure) throw asFileError(failure, path);
      },
    };
  }

  /** Renames every staged file into place. */
  async commit(): Promise<void> {
    for (const { temp, path } of this.staged) {
      try {
        await rename(temp, path);
        pendingTemps.delete(temp);
      } catch (error) {
        await this.abort();
        throw asFileError(error, path);
      }
    }
    this.staged.length = 0;
  }

  /** Removes every staged temporary file. */
  async abort(): Promise<void> {
    await Promise.all(this.staged.map(async ({ temp }) => { await rm(temp, { force: true }); pendingTemps.delete(temp); }));
    this.staged.length = 0;
  }
}

/** Writes one file atomically. */
export async function writeFileAtomic(path: string, chunks: Iterable<string> | AsyncIterable<string>): Promise<void> {
  const files = new OutputFiles();
  try {
    await files.add(path, chunks);
    await files.commit();
  } catch (error) {
    await files.abort();
    throw error;
  }
}

/** A file-system failure on a path the user gave becomes a bad-input error naming the path. */
export function asFileError(error: unknown, path: string): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  const reasons: Record<string, string> = {
    ENOENT: 'its directory does not exist',
    EACCES: 'permission denied',
    EISDIR: 'it is a directory',
    ENOTDIR: 'a parent is not a directory',
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
  };
  return code && reasons[code] ? new PersonasError('BAD_FILE', `cannot write ${path}: ${reasons[code]}`) : error;
}
