// Output files are written whole or not at all. Every output of a command is first written to a
// temporary file beside its target; only when all of them are complete are they renamed into place.
// On failure the temporary files are removed and no target is touched.

import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { once } from 'node:events';
import { PersonasError } from '../errors.js';

/**
 * Temporary files of every OutputFiles not yet committed or aborted. While there are any (and the
 * personas binary asked for it), Ctrl-C or a kill removes them and exits 130 (SIGINT) or 143 (SIGTERM);
 * the rest of the time those signals keep Node's default, which stops the process at once even in the
 * middle of a long computation (a JS handler would wait for the event loop).
 */
const pendingTemps = new Set<string>();
let cleanupOnInterrupt = false;
const SIGNALS = [['SIGINT', 130], ['SIGTERM', 143]] as const;
const onSignal = (signal: NodeJS.Signals) => {
  for (const temp of pendingTemps) rmSync(temp, { force: true });
  process.exit(SIGNALS.find(([s]) => s === signal)![1]);
};

function track(temp: string): void {
  if (pendingTemps.size === 0 && cleanupOnInterrupt) for (const [signal] of SIGNALS) process.on(signal, onSignal);
  pendingTemps.add(temp);
}

function untrack(temp: string): void {
  if (!pendingTemps.delete(temp)) return;
  if (pendingTemps.size === 0) for (const [signal] of SIGNALS) process.off(signal, onSignal);
}

/** For the personas binary only: a library never exits. */
export function removeTemporaryFilesOnInterrupt(): void {
  cleanupOnInterrupt = true;
}

export class OutputFiles {
  private readonly staged: { temp: string; path: string; out?: WriteStream }[] = [];

  /** Streams chunks into a temporary file for `path`. */
  async add(path: string, chunks: Iterable<string> | AsyncIterable<string>): Promise<void> {
    const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${this.staged.length}.tmp`);
    this.staged.push({ temp, path });
    track(temp);
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
    const out = createWriteStream(temp, { encoding: 'utf8' });
    this.staged.push({ temp, path, out });
    track(temp);
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
        untrack(temp);
      } catch (error) {
        await this.abort();
        throw asFileError(error, path);
      }
    }
    this.staged.length = 0;
  }

  /** Removes every staged temporary file. */
  async abort(): Promise<void> {
    await Promise.all(this.staged.map(async ({ temp, out }) => {
      out?.destroy(); // a stream still open when its producer failed
      await rm(temp, { force: true });
      untrack(temp);
    }));
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
