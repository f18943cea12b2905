// personas compare: the persona mix across periods with a saved model — two files (before, after) or
// one timestamped log split by --period — with share changes and their significance, who moved
// between personas, and users the model no longer explains (an emerging persona).

import { Command, Option } from 'commander';
import type { Io } from '../io.js';
import { addInputOptions, readInput, type InputCliOptions } from '../input.js';
import { loadModel } from './report.js';
import { comparePeriods, ALARM_Z } from '../../drift/compare.js';
import { PERIOD_UNITS, periodLabel, splitPeriods, type PeriodCounts, type PeriodUnit } from '../../drift/periods.js';
import { compareHtml, compareJson, compareMarkdown, compareText } from '../../report/drift.js';
import { inputSummaryText } from '../../report/text.js';
import { PersonasError } from '../../errors.js';
import { writeFileAtomic } from '../files.js';
import { reportFormatFor } from '../report-files.js';
import { progress } from '../progress.js';
import { integerIn, positiveNumber } from '../option-parsers.js';

interface CompareOptions extends InputCliOptions {
  model: string;
  period?: PeriodUnit;
  alarmZ: number;
  refit: boolean;
  seed: number;
  simd: boolean;
  report?: string;
  json?: boolean;
  quiet?: boolean;
}

export function compareCommand(io: Io): Command {
  const command = new Command('compare')
    .description('compare the persona mix between periods with a saved model: changes, transitions, emerging personas')
    .requiredOption('--model <file.json>', 'the model saved by personas fit --model')
    .argument('<files...>', 'two files (before, after), or one timestamped event log with --period');
  addInputOptions(command, { transform: false, selection: false });
  return command
    .addOption(new Option('--period <unit>', 'split one event log into periods by its time column (UTC; ISO weeks)').choices([...PERIOD_UNITS]))
    .addOption(new Option('--alarm-z <z>', 'standard errors above the calibrated level at which the poorly-explained share alarms').argParser(positiveNumber).default(ALARM_Z))
    .option('--no-refit', 'skip the k + 1 refit that describes a newcomer')
    .addOption(new Option('--seed <n>', 'random seed of the refits').argParser(integerIn(0, 2 ** 31 - 1)).default(0))
    .option('--no-simd', 'use the scalar WebAssembly build')
    .option('--report <file>', 'save the comparison: .html (with the time chart), .md or .json')
    .option('--json', 'print one JSON document on stdout')
    .option('--quiet', 'no progress or summary on stderr')
    .action(async (files: string[], o: CompareOptions) => {
      if (o.period && files.length !== 1) throw new PersonasError('BAD_OPTION', `--period splits one timestamped event log; got ${files.length} files (give one, or two files without --period)`);
      if (!o.period && files.length !== 2) throw new PersonasError('BAD_OPTION', `compare needs two files (before, after), or one event log with --period day|week|month; got ${files.length}`);
      const format = o.report ? reportFormatFor(o.report) : undefined;
      const model = await loadModel(o.model);
      const bar = progress(io, !o.quiet);
      const read = { ...o, topEvents: 'all' as const, minUsersPerEvent: 1, transform: model.transform.name };
      let periods: PeriodCounts[];
      if (o.period) {
        const { result } = await readInput(files[0]!, read, (rows) => bar.update('rows read', rows), periodLabel(o.period));
        bar.done();
        if (!o.quiet) io.stderr(inputSummaryText(result.summary));
        periods = splitPeriods(result);
        if (periods.length < 2) throw new PersonasError('BAD_INPUT', `${files[0]}: all events fall in one ${o.period} (${periods[0]?.label ?? 'none'}); nothing to compare`);
      } else {
        periods = [];
        for (const file of files) {
          const { result } = await readInput(file, read, (rows) => bar.update('rows read', rows));
          bar.done();
          if (!o.quiet) io.stderr(inputSummaryText(result.summary));
          periods.push({ label: file, events: result.events, users: result.users, setAside: result.setAside, counts: result.counts });
        }
      }
      const result = await comparePeriods(model, periods, { alarmZ: o.alarmZ, refit: o.refit, seed: o.seed, simd: o.simd });
      const source = { model: o.model, inputs: files };
      if (o.report) {
        const title = `Personas over time: ${o.period ? `${files[0]} by ${o.period}` : `${files[0]} → ${files[1]}`}`;
        const text = format === 'json' ? JSON.stringify(compareJson(result, source), null, 2) + '\n'
          : format === 'md' ? compareMarkdown(result)
          : format === 'html' ? compareHtml(result, title)
          : compareText(result);
        await writeFileAtomic(o.report, [text]);
      }
      io.stdout(o.json ? JSON.stringify(compareJson(result, source), null, 2) + '\n' : compareText(result));
    });
}
