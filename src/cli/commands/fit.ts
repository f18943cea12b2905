// personas fit: read events, find k personas, report them; optionally save the model, the
// assignments, the cohorts and a report file. Outputs are written only when everything succeeded.

import { Command, Option } from 'commander';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { discoverPersonas } from '../../personas/discover.js';
import { outcomesByPersona } from '../../personas/outcomes.js';
import { buildModel } from '../../model/build.js';
import type { ReportData } from '../../report/report-data.js';
import { reportText, inputSummaryText } from '../../report/text.js';
import { reportJson } from '../../report/json.js';
import type { Io } from '../io.js';
import { OutputFiles, asFileError } from '../files.js';
import { addInputOptions, ingestOptions, readInput, type InputCliOptions } from '../input.js';
import { assignmentRows, cohortRows } from '../../report/assignments-csv.js';
import { PersonasError } from '../../errors.js';
import { readNames, readOutcomes } from '../side-files.js';
import { carryOverIdentity, type PersonaLineage } from '../../drift/matching.js';
import { createKernelPool } from '../../node/kernel-pool.js';
import { streamedFit } from '../streamed-fit.js';
import { CHUNK_ROWS } from '../../nmf/problem.js';
import { loadModel } from './report.js';
import { parseKSpec, type KSpec } from '../k-spec.js';
import { addSurveyOptions, runSurvey, type SurveyCliOptions } from './select-k.js';
import { fitTransform } from '../../transform/transforms.js';
import type { SelectKResult } from '../../select-k/select-k.js';
import { progress, type Progress } from '../progress.js';
import { reportFormatFor, renderReport, type ReportFormat } from '../report-files.js';
import { integerIn, nonNegative, unitInterval } from '../option-parsers.js';

/** From here on an in-memory fit takes gigabytes (10M users × 40 events: see the README). */
const LARGE_TABLE_USERS = 2_000_000;

interface FitCommandOptions extends InputCliOptions, SurveyCliOptions {
  k: KSpec;
  solver?: 'mu' | 'hals';
  loss: 'frobenius' | 'kl';
  init: 'random' | 'nndsvd' | 'nndsvda' | 'nndsvdar';
  restarts: number;
  maxIter: number;
  tol: number;
  seed: number;
  alphaW: number;
  alphaH?: number;
  l1Ratio: number;
  simd: boolean;
  model?: string;
  assignments?: string;
  withWeights?: boolean;
  cohorts?: string;
  report?: string;
  outcome?: string;
  outcomeCol?: string;
  names?: string;
  matchModel?: string;
  miniBatch?: boolean;
  batchSize: number;
  sample?: number;
  json?: boolean;
  quiet?: boolean;
}

export function fitCommand(io: Io): Command {
  const command = new Command('fit')
    .description('find the personas of the users in an event file')
    .argument('<file>', 'CSV or NDJSON events or counts (.gz accepted; - for stdin)');
  addInputOptions(command);
  command
    .requiredOption('-k <n|auto|A..B>', 'number of personas, or auto / a range to survey (see select-k) and take the recommended k', parseKSpec)
    .addOption(new Option('--solver <name>', 'NMF solver (default hals; mu for KL)').choices(['hals', 'mu']))
    .addOption(new Option('--loss <name>', 'NMF loss').choices(['frobenius', 'kl']).default('frobenius'))
    .addOption(new Option('--init <name>', 'initialization').choices(['random', 'nndsvd', 'nndsvda', 'nndsvdar']).default('nndsvda'))
    .addOption(new Option('--restarts <n>', 'fit from N starts (the first from --init, then random) and keep the best').argParser(integerIn(1, 1000)).default(1))
    .addOption(new Option('--max-iter <n>', 'maximum iterations').argParser(integerIn(1, 1_000_000)).default(200))
    .addOption(new Option('--tol <x>', 'stopping tolerance').argParser(nonNegative).default(1e-4))
    .addOption(new Option('--seed <n>', 'random seed (also of the k survey)').argParser(integerIn(0, 2 ** 31 - 1)).default(0))
    .addOption(new Option('--alpha-w <x>', 'regularization of W').argParser(nonNegative).default(0))
    .addOption(new Option('--alpha-h <x>', 'regularization of H (default: as --alpha-w)').argParser(nonNegative))
    .addOption(new Option('--l1-ratio <x>', 'share of L1 in the regularization, 0..1').argParser(unitInterval).default(0))
    .option('--no-simd', 'use the scalar WebAssembly build')
    .option('--model <file.json>', 'save the model (to assign new users and re-render reports)')
    .option('--assignments <file.csv>', "save each user's persona: user_id,persona,persona_name,confidence")
    .option('--with-weights', 'add the persona weights w0..w{k-1} to the assignments')
    .option('--cohorts <dir>', 'save one user list per persona: <dir>/persona-<id>.csv')
    .option('--report <file>', 'save a report: .html (self-contained page), .md or .json')
    .option('--outcome <file.csv>', 'per-user outcomes (user_id,outcome: boolean, numeric or categorical) to rate per persona')
    .option('--outcome-col <name>', 'the outcome column (default "outcome", else the second column)')
    .option('--names <file>', 'persona names: one per line in persona order, or id,name rows')
    .option('--mini-batch', 'learn H by mini-batch steps over a streamed counts table (memory bounded by a batch, for data larger than memory)')
    .addOption(new Option('--batch-size <n>', 'users per mini-batch step (--mini-batch)').argParser(integerIn(1, 10_000_000)).default(1024))
    .addOption(new Option('--sample <n>', 'learn H on a seeded uniform sample of N users of a counts table, then assign everyone in one streamed pass').argParser(integerIn(2, 50_000_000)))
    .option('--match-model <file.json>', "carry over an earlier model's persona names and ids by matching event profiles; report new and vanished personas")
    .option('--json', 'print one JSON document on stdout')
    .option('--quiet', 'no progress or summary on stderr');
  addSurveyOptions(command);
  return command
    .action(async (file: string, o: FitCommandOptions) => {
      const t0 = performance.now();
      const reportFormat = o.report ? reportFormatFor(o.report) : undefined; // refuse a bad extension before any work
      const bar = progress(io, !o.quiet && !o.json);
      if (o.miniBatch || o.sample !== undefined) return fitStreamed(file, o, io, bar, reportFormat, t0);
      const fixedK = 'fixed' in o.k ? o.k.fixed : undefined;
      const names = o.names && fixedK !== undefined ? await readNames(o.names, fixedK) : undefined;
      if (o.names && fixedK === undefined) throw new PersonasError('BAD_OPTION', '--names needs a fixed -k (the number of names must match it)');
      const outcomeFile = o.outcome ? await readOutcomes(o.outcome, { outcomeCol: o.outcomeCol }) : undefined;
      const { result: input, seconds: ingestSeconds } = await readInput(file, o, (rows) => bar.update('rows read', rows));
      bar.done();
      if (!o.quiet) io.stderr(inputSummaryText(input.summary));
      if (input.users.length === 0) throw new PersonasError('BAD_INPUT', `${input.summary.source}: no user has a selected event; nothing to fit`);
      if (!o.quiet && input.summary.format === 'counts' && input.users.length >= LARGE_TABLE_USERS) {
        io.stderr(`note: this fit holds all ${input.users.length.toLocaleString('en-US')} users in memory; --sample 100000 or --mini-batch streams the table in a few hundred MiB instead\n`);
      }
      let survey: SelectKResult | undefined;
      if (fixedK === undefined) {
        const range = o.k as { from: number; to: number };
        survey = await runSurvey(fitTransform(o.transform, input.counts).matrix, range, o, bar);
        if (!o.quiet && !o.json) io.stderr(`k survey: ${survey.reason}\n`);
      }
      const k = fixedK ?? survey!.recommended;
      if (k > Math.min(input.users.length, input.events.length)) {
        throw new PersonasError('BAD_K', `k = ${k} is more than min(users, events) = min(${input.users.length}, ${input.events.length}); choose a smaller -k`);
      }
      const previous = o.matchModel ? await loadModel(o.matchModel) : undefined;
      // Kernel threads for the fit's row passes, when there is more than one chunk of rows to share.
      const pool = o.threads > 1 && input.users.length > CHUNK_ROWS ? createKernelPool(o.threads) : undefined;
      let found = await discoverPersonas(input.counts, input.events, {
        pool,
        k, solver: o.solver, loss: o.loss, init: o.init, restarts: o.restarts, maxIter: o.maxIter, tol: o.tol, seed: o.seed,
        alphaW: o.alphaW, alphaH: o.alphaH, l1Ratio: o.l1Ratio, simd: o.simd, transform: o.transform, names,
        usersSetAside: input.setAside.length,
        onIteration: (i) => bar.update('iteration', i.iteration, i.maxIter),
      }).finally(() => pool?.close());
      bar.done();
      let lineage: PersonaLineage | undefined;
      if (previous) {
        ({ found, lineage } = carryOverIdentity(found, input.events, previous));
        // Names given with --names still win, in the new persona order.
        if (names) found = { ...found, personas: found.personas.map((p) => ({ ...p, name: names[p.id]! })) };
      }
      const outcomes = outcomeFile
        ? { ...outcomesByPersona(input.users, found.assignment.persona, k, outcomeFile.values), source: o.outcome!, column: outcomeFile.column }
        : undefined;
      const model = buildModel({
        found, events: input.events, outcomes, survey, lineage,
        input: { source: input.summary.source, users: input.users.length, usersSetAside: input.setAside.length, rows: input.summary.rowsRead },
        regularization: { alphaW: o.alphaW, alphaH: o.alphaH ?? o.alphaW, l1Ratio: o.l1Ratio },
      });
      const f = found.fit;
      const data: ReportData = {
        model, input: input.summary, survey,
        run: { simd: f.simd, threads: f.threads, timings: { ingestSeconds, initSeconds: f.timings.initSeconds, iterateSeconds: f.timings.iterateSeconds, totalSeconds: (performance.now() - t0) / 1000 } },
      };
      const outputs = new OutputFiles();
      try {
        if (o.model) await outputs.add(o.model, [JSON.stringify(model) + '\n']);
        if (o.assignments) {
          await outputs.add(o.assignments, assignmentRows({
            users: input.users, setAside: input.setAside, persona: found.assignment.persona, confidence: found.assignment.confidence,
            names: model.names, weights: o.withWeights ? f.W : undefined,
          }));
        }
        if (o.cohorts) {
          await mkdir(o.cohorts, { recursive: true }).catch((e) => { throw asFileError(e, o.cohorts!); });
          for (let t = 0; t < k; t++) {
            await outputs.add(join(o.cohorts, `persona-${t}.csv`), cohortRows(input.users, found.assignment.persona, found.assignment.confidence, t));
          }
        }
        if (o.report) await outputs.add(o.report, [renderReport(reportFormat!, data)]);
        await outputs.commit();
      } catch (error) {
        await outputs.abort();
        throw error;
      }
      io.stdout(o.json ? JSON.stringify(reportJson(data), null, 2) + '\n' : reportText(data));
    });
}

/** fit --mini-batch / --sample: H learned on a sample (and refined over the stream); assignments written as users stream by. */
async function fitStreamed(file: string, o: FitCommandOptions, io: Io, bar: Progress, reportFormat: ReportFormat | undefined, t0: number): Promise<void> {
  if (o.miniBatch && o.sample !== undefined) throw new PersonasError('BAD_OPTION', '--mini-batch and --sample are two ways to fit a large table; choose one');
  const flag = o.miniBatch ? '--mini-batch' : '--sample';
  if (o.names && !('fixed' in o.k)) throw new PersonasError('BAD_OPTION', '--names needs a fixed -k (the number of names must match it)');
  for (const [given, name] of [[o.cohorts, '--cohorts'], [o.outcome, '--outcome'], [o.matchModel, '--match-model']] as const) {
    if (given) throw new PersonasError('BAD_OPTION', `${name} is not available with ${flag} (users are streamed, not kept)`);
  }
  if (o.restarts > 1) throw new PersonasError('BAD_OPTION', `--restarts is not available with ${flag}`);
  if (file === '-') throw new PersonasError('BAD_OPTION', `${flag} reads its input several times; give a file, not stdin`);
  const names = o.names && 'fixed' in o.k ? await readNames(o.names, o.k.fixed) : undefined;
  const k = 'fixed' in o.k ? o.k.fixed : async (sample: Parameters<typeof runSurvey>[0]) => {
    const survey = await runSurvey(sample, o.k as { from: number; to: number }, o, bar);
    if (!o.quiet && !o.json) io.stderr(`k survey (on the sample): ${survey.reason}\n`);
    return survey;
  };
  const pool = o.threads > 1 ? createKernelPool(o.threads) : undefined;
  const outputs = new OutputFiles();
  try {
    const result = await streamedFit(file, ingestOptions(o), {
      k, method: o.miniBatch ? 'mini-batch' : 'sample', batchSize: o.batchSize, loss: o.loss, solver: o.solver ?? (o.loss === 'kl' ? 'mu' : 'hals'),
      transform: o.transform, init: o.init, maxIter: o.maxIter, tol: o.tol, seed: o.seed, alphaW: o.alphaW, alphaH: o.alphaH ?? o.alphaW, l1Ratio: o.l1Ratio,
      simd: o.simd, names, withWeights: Boolean(o.withWeights), pool, sampleUsers: o.sample ?? Math.max(20 * o.batchSize, 20_000),
    }, o.assignments ? () => outputs.stream(o.assignments!) : undefined, (what, done, total) => bar.update(what, done, total));
    bar.done();
    if (!o.quiet && !o.json) {
      io.stderr(inputSummaryText(result.summary));
      const users = result.model.input.users + result.model.input.usersSetAside;
      const kept = result.model.miniBatch?.sampleUsers ?? result.model.sample?.users ?? 0;
      // Drawn users with none of the selected events leave the sample.
      const sampled = kept.toLocaleString('en-US') + (kept < result.drawn ? ` (of ${result.drawn.toLocaleString('en-US')} drawn; the others have none of the selected events)` : '');
      io.stderr(result.model.miniBatch
        ? `mini-batch: ${result.epochs} epoch(s), ${result.steps} steps of ${result.model.miniBatch.batchSize} users; started from a fit on a uniform sample of ${sampled} users (seed ${o.seed})\n`
        : `sample: H learned on a uniform sample of ${sampled} of ${users.toLocaleString('en-US')} users (seed ${o.seed}); everyone assigned in one streamed pass\n`);
    }
    const data: ReportData = {
      model: result.model, input: result.summary, survey: result.survey,
      run: { simd: o.simd, threads: pool?.threads ?? 1, timings: { ingestSeconds: result.seconds.count, initSeconds: result.seconds.init, iterateSeconds: result.seconds.iterate, totalSeconds: (performance.now() - t0) / 1000 } },
    };
    if (o.model) await outputs.add(o.model, [JSON.stringify(result.model) + '\n']);
    if (o.report) await outputs.add(o.report, [renderReport(reportFormat!, data)]);
    await outputs.commit();
    io.stdout(o.json ? JSON.stringify(reportJson(data), null, 2) + '\n' : reportText(data));
  } catch (error) {
    bar.done();
    await outputs.abort();
    throw error;
  } finally {
    await pool?.close();
  }
}
