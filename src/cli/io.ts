// Where a command writes: injected, so tests run commands in-process and read what they printed.

export interface Io {
  /** The command's result (a report, or one JSON document with --json). */
  stdout(text: string): void;
  /** Progress, warnings, errors. */
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress bars only then). */
  readonly stderrIsTTY: boolean;
}

export const processIo: Io = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  stderrIsTTY: Boolean(process.stderr.isTTY),
};
