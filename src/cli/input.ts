// The input options every command that reads events shares (../shared/CLI.md), and reading with them.

import { Command, Option } from 'commander';
import { ingestEvents, type IngestOptions, type IngestResult } from '../ingest/ingest.js';
import { nodeSource, spoolStdin } from '../node/file-source.js';
import { DEFAULT_TRANSFORM, TRANSFORMS, type TransformName } from '../transform/transforms.js';
import { list, positiveInteger, positiveNumber, topEvents } from './option-parsers.js';

export interface InputCliOptions {
  format: 'auto' | 'events' | 'counts' | 'ndjson';
  userCol?: string;
  eventCol?: string;
  countCol?: string;
  timeCol?: string;
  since?: string;
  until?: string;
  userWindowDays?: number;
  events?: string[];
  excludeEvents?: string[];
  topEvents: number | 'all';
  minUsersPerEvent: number;
  skipInvalid?: boolean;
  transform: TransformName;
}


export function addInputOptions(command: Command, { transform = true, selection = true } = {}): Command {
  command
    .addOption(new Option('--format <format>', 'input format').choices(['auto', 'events', 'counts', 'ndjson']).default('auto'))
    .option('--user-col <name>', 'user id column, or NDJSON path (default user_id; NDJSON exports of Segment, Amplitude, Mixpanel are recognized)')
    .option('--event-col <name>', 'event name column or path (default event)')
    .option('--count-col <name>', 'count column or path (default count; absent: each row counts 1)')
    .option('--time-col <name>', 'time column or path (default timestamp)')
    .option('--since <time>', 'keep events at or after this time (ISO 8601 or epoch seconds/ms)')
    .option('--until <time>', 'keep events before this time')
    .addOption(new Option('--user-window-days <n>', "keep each user's events within N days of their first").argParser(positiveNumber))
    .option('--skip-invalid', 'skip malformed rows (counted by reason) instead of failing');
  if (selection) {
    command
      .option('--events <list>', 'keep exactly these events (comma-separated)', list)
      .option('--exclude-events <list>', 'drop these events (comma-separated)', list)
      .addOption(new Option('--top-events <n|all>', 'keep the N events done by the most users').argParser(topEvents).default('all'))
      .addOption(new Option('--min-users-per-event <n>', 'drop events done by fewer users').argParser(positiveInteger).default(1));
  }
  if (transform) {
    command.addOption(new Option('--transform <name>', 'how counts become the factorized matrix').choices([...TRANSFORMS]).default(DEFAULT_TRANSFORM));
  }
  return command;
}

export function ingestOptions(o: InputCliOptions, onProgress?: (rows: number) => void, periodOf?: (timeMs: number) => string): IngestOptions {
  return {
    periodOf,
    format: o.format, userCol: o.userCol, eventCol: o.eventCol, countCol: o.countCol, timeCol: o.timeCol,
    since: o.since, until: o.until, userWindowDays: o.userWindowDays,
    events: o.events, excludeEvents: o.excludeEvents, topEvents: o.topEvents, minUsersPerEvent: o.minUsersPerEvent,
    skipInvalid: o.skipInvalid ?? false, onProgress,
  };
}

/** Reads `file` ("-" for stdin) with the input options; `periodOf` counts each user per period. */
export async function readInput(file: string, o: InputCliOptions, onProgress?: (rows: number) => void, periodOf?: (timeMs: number) => string): Promise<{ result: IngestResult; seconds: number }> {
  const t0 = performance.now();
  const spooled = file === '-' && o.userWindowDays !== undefined ? await spoolStdin() : undefined;
  try {
    const source = spooled?.source ?? (await nodeSource(file));
    const result = await ingestEvents(source, ingestOptions(o, onProgress, periodOf));
    return { result, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await spooled?.cleanup();
  }
}




