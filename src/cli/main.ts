// The `personas` command line (../shared/CLI.md). Builds the commander program, runs one command, and
// maps the outcome to an exit code here and nowhere else; commands never call process.exit.

import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { processIo, type Io } from './io.js';
import { describeError, exitCodeFor, EXIT_OK } from './exit-codes.js';
import { demoCommand } from './commands/demo.js';
import { fitCommand } from './commands/fit.js';
import { inspectCommand } from './commands/inspect.js';
import { assignCommand } from './commands/assign.js';
import { reportCommand } from './commands/report.js';
import { selectKCommand } from './commands/select-k.js';
import { compareCommand } from './commands/compare.js';
import { sqlCommand } from './commands/sql.js';

export { removeTemporaryFilesOnInterrupt } from './files.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

export function buildProgram(io: Io): Command {
  const program = new Command('personas')
    .description('Behavioral personas of a product\'s users from their usage events (NMF, WebAssembly SIMD core)')
    .version(version)
    .showHelpAfterError('(run personas --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .exitOverride();
  for (const command of [demoCommand(io), fitCommand(io), selectKCommand(io), assignCommand(io), reportCommand(io), compareCommand(io), sqlCommand(io), inspectCommand(io)]) {
    program.addCommand(command.exitOverride().showHelpAfterError(`(run personas ${command.name()} --help for usage)`).configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) }));
  }
  return program;
}

/** Runs the command line; resolves to the exit code. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof CommanderError)) io.stderr(describeError(error));
    return exitCodeFor(error);
  }
}
