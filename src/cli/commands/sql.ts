// personas sql: the aggregation (user × event counts, with the windows and event selection) as SQL
// for the engine the raw events already live in; its result is an events file `fit` and `assign` read.

import { Command, Option } from 'commander';
import type { Io } from '../io.js';
import { aggregateSql, SQL_DIALECTS, type SqlDialect } from '../../sql/aggregate-sql.js';
import { writeFileAtomic } from '../files.js';
import type { InputCliOptions } from '../input.js';
import { list, positiveInteger, positiveNumber, topEvents } from '../option-parsers.js';

/** The reader's window and event-selection options, with the engine's table and columns. */
interface SqlOptions extends Pick<InputCliOptions, 'countCol' | 'since' | 'until' | 'userWindowDays' | 'events' | 'excludeEvents' | 'topEvents' | 'minUsersPerEvent'> {
  dialect: SqlDialect;
  table: string;
  userCol: string;
  eventCol: string;
  timeCol: string;
  out?: string;
}

export function sqlCommand(io: Io): Command {
  return new Command('sql')
    .description("emit the per-user event counting as SQL for your engine (its result is an events file for fit and assign)")
    .addOption(new Option('--dialect <name>', 'SQL dialect').choices([...SQL_DIALECTS]).makeOptionMandatory())
    .requiredOption('--table <name>', 'the table or view of raw events (e.g. analytics.events)')
    .option('--user-col <name>', 'user id column', 'user_id')
    .option('--event-col <name>', 'event name column', 'event')
    .option('--count-col <name>', 'a numeric column to sum (default: each row counts 1)')
    .option('--time-col <name>', 'event time column, a UTC TIMESTAMP (used by the windows)', 'timestamp')
    .option('--since <time>', 'keep events at or after this time (ISO 8601 or epoch seconds/ms)')
    .option('--until <time>', 'keep events before this time')
    .addOption(new Option('--user-window-days <n>', "keep each user's events within N days of their first").argParser(positiveNumber))
    .option('--events <list>', 'keep exactly these events (comma-separated)', list)
    .option('--exclude-events <list>', 'drop these events (comma-separated)', list)
    .addOption(new Option('--top-events <n|all>', 'keep the N events done by the most users').argParser(topEvents).default('all'))
    .addOption(new Option('--min-users-per-event <n>', 'drop events done by fewer users').argParser(positiveInteger).default(1))
    .option('--out <file.sql>', 'write the query here (default: stdout)')
    .action(async (o: SqlOptions) => {
      const sql = aggregateSql(o);
      if (o.out) await writeFileAtomic(o.out, [sql]);
      else io.stdout(sql);
    });
}
