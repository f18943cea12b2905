// personas select-k: survey a range of k and recommend one, with the evidence for each.

import { Command, Option } from 'commander';
import type { Io } from '../io.js';
import { addInputOptions, readInput, type InputCliOptions } from '../input.js';
import { inputSummaryText } from '../../report/text.js';
import { surveyText, surveyJson, surveyMarkdown } from '../../report/survey.js';
import { selectK, type SelectKOptions, type SelectKResult } from '../../select-k/select-k.js';
import { fitTransform } from '../../transform/transforms.js';
import { surveyPool, defaultThreads } from '../../node/survey-pool.js';
import { writeFileAtomic } from '../files.js';
import { parseKRange } from '../k-spec.js';
import { progress, type Progress } from '../progress.js';
import { PersonasError } from '../../errors.js';
import { reportFormatFor } from '../report-files.js';
import { escapeHtml, htmlPage } from '../../report/html.js';
import { surveySvg } from '../../report/survey.js';
import { integerIn, entryShare, positiveSeconds } from '../option-parsers.js';

export interface SurveyCliOptions {
  method: 'all' | 'cv' | 'consensus';
  runs?: number;
  replicates?: number;
  holdout: number;
  sampleUsers: number;
  null?: boolean;
  seed: number;
  threads: number;
  timeBudget?: number;
  simd: boolean;
}

/** The options a k survey takes (select-k, and fit with -k auto or A..B). */
export function addSurveyOptions(command: Command): Command {
  return command
    .addOption(new Option('--method <name>', 'cv: cross-validation; consensus: Brunet\'s cophenetic rule; all: both, recommended by cross-validation').choices(['all', 'cv', 'consensus']).default('all'))
    .addOption(new Option('--runs <n>', 'fits from random starts per k (consensus, stability)').argParser(integerIn(2, 1000)))
    .addOption(new Option('--replicates <n>', 'cross-validation replicates per k').argParser(integerIn(2, 100)))
    .addOption(new Option('--holdout <x>', 'share of entries held out per replicate').argParser(entryShare).default(0.2))
    .addOption(new Option('--sample-users <n>', 'users surveyed (a seeded sample when there are more)').argParser(integerIn(50, 10_000_000)).default(5_000))
    .option('--null', 'also survey a column-shuffled copy of the data (no personas in it)')
    .addOption(new Option('--threads <n>', 'worker threads (the survey\'s runs; a fit\'s row passes); results do not depend on it').argParser(integerIn(1, 256)).default(defaultThreads()))
    .addOption(new Option('--time-budget <seconds>', 'start no new k after this long').argParser(positiveSeconds));
}

export async function runSurvey(matrix: Parameters<typeof selectK>[0], range: { from: number; to: number }, o: SurveyCliOptions, bar: Progress): Promise<SelectKResult> {
  const kMax = Math.min(range.to, matrix.rows, matrix.cols);
  if (range.from > kMax) throw new PersonasError('BAD_K', `the k range ${range.from}..${range.to} starts above min(users, events) = ${Math.min(matrix.rows, matrix.cols)}`);
  const options: SelectKOptions = {
    kMin: range.from, kMax, method: o.method, runs: o.runs, replicates: o.replicates, holdout: o.holdout, sampleUsers: o.sampleUsers,
    null: o.null, seed: o.seed, simd: o.simd, timeBudgetSeconds: o.timeBudget,
    executor: surveyPool(o.threads, o.simd),
    onProgress: (done, total, k) => bar.update(`surveying k = ${k}`, done, total),
  };
  const result = await selectK(matrix, options);
  bar.done();
  return result;
}

export function selectKCommand(io: Io): Command {
  const command = new Command('select-k')
    .description('survey k = A..B and recommend a number of personas, with the evidence')
    .argument('<file>', 'CSV or NDJSON events or counts (.gz accepted; - for stdin)');
  addInputOptions(command);
  addSurveyOptions(command);
  return command
    .requiredOption('--k <A..B>', 'the range of k to survey, or auto (2..12)', parseKRange)
    .addOption(new Option('--seed <n>', 'random seed').argParser(integerIn(0, 2 ** 31 - 1)).default(0))
    .option('--no-simd', 'use the scalar WebAssembly build')
    .option('--report <file>', 'save the survey: .html, .md or .json')
    .option('--json', 'print one JSON document on stdout')
    .option('--quiet', 'no progress or summary on stderr')
    .action(async (file: string, o: InputCliOptions & SurveyCliOptions & { k: { from: number; to: number }; report?: string; json?: boolean; quiet?: boolean }) => {
      const format = o.report ? reportFormatFor(o.report) : undefined;
      const bar = progress(io, !o.quiet);
      const { result: input } = await readInput(file, o, (rows) => bar.update('rows read', rows));
      bar.done();
      if (!o.quiet) io.stderr(inputSummaryText(input.summary));
      if (input.users.length === 0) throw new PersonasError('BAD_INPUT', `${input.summary.source}: no user has a selected event; nothing to survey`);
      const { matrix } = fitTransform(o.transform, input.counts);
      const survey = await runSurvey(matrix, o.k, o, bar);
      if (o.report) {
        const text = format === 'json' ? JSON.stringify(surveyJson(survey), null, 2) + '\n'
          : format === 'md' ? `# Choosing k for ${input.summary.source}\n\n${surveyMarkdown(survey)}`
          : format === 'html' ? surveyPage(input.summary.source, survey)
          : surveyText(survey);
        await writeFileAtomic(o.report, [text]);
      }
      io.stdout(o.json ? JSON.stringify(surveyJson(survey), null, 2) + '\n' : surveyText(survey));
    });
}

function surveyPage(source: string, survey: SelectKResult): string {
  const css = 'body{font:15px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1000px;color:#1d2433}.chart{width:100%;height:auto}.tick{font-size:11px;fill:#5c6478}.lbl{font-size:13px}.legend{display:flex;gap:14px;flex-wrap:wrap;font-size:12.5px}.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px}pre{white-space:pre-wrap}';
  return htmlPage(`Choosing k for ${source}`, css, `<h1>Choosing k for ${escapeHtml(source)}</h1>${surveySvg(survey)}<pre>${escapeHtml(surveyText(survey))}</pre>`);
}


