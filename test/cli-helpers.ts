import type { Io } from '../src/cli/io.js';

/** An Io that keeps what a command printed. */
export function capture(): Io & { out: string; err: string } {
  const io = { out: '', err: '', stderrIsTTY: false, stdout: (s: string) => void (io.out += s), stderr: (s: string) => void (io.err += s) };
  return io;
}
