// personas inspect: read an event file with the input options and print what was read — the
// check to run before a fit.

import { Command } from 'commander';
import type { Io } from '../io.js';
import { addInputOptions, readInput, type InputCliOptions } from '../input.js';
import { inputSummaryText } from '../../report/text.js';

export function inspectCommand(io: Io): Command {
  const command = new Command('inspect')
    .description('read an event file and summarize it: rows, users, events, density, skipped rows')
    .argument('<file>', 'CSV or NDJSON events or counts (.gz accepted; - for stdin)');
  addInputOptions(command, { transform: false });
  return command
    .option('--json', 'print one JSON document on stdout')
    .action(async (file: string, o: InputCliOptions & { json?: boolean }) => {
      const { result } = await readInput(file, o);
      if (o.json) io.stdout(JSON.stringify({ input: { ...result.summary, eventNames: result.events } }, null, 2) + '\n');
      else io.stdout(inputSummaryText(result.summary) + `events: ${result.events.join(', ')}\n`);
    });
}
