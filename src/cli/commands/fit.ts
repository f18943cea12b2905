// personas fit: read events, find k personas, report them; optionally save the model, the
// assignments and a report.

import { Command, InvalidArgumentError, Option } from 'commander';
import { discoverPersonas } from '../../personas/discover.js';
import { fitReportJson, fitReportText, inputSummaryText, type FitReport } from '../../report/fit-report.js';
import { MODEL_FORMAT, MODEL_VERSION, matrixRows, type PersonaModel } from '../../model/model.js';
import type { Io } from '../io.js';
import { OutputFiles } from '../files.js';
import { addInputOptions, readInput, type InputCliOptions } from '../input.js';
import { integerIn } from './demo.js';
import { assignmentRows } from '../assignments.js';
import { PersonasError } from '../../errors.js';

interface FitCommandOptions extends InputCliOptions {
  k: number;
  solver?: 'mu' | 'hals';
  loss: 'frobenius' | 'kl';
  init: 'random' | 'nndsvd' | 'nndsvda' | 'nndsvdar';
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
  json?: boolean;
  quiet?: boolean;
}

export function fitCommand(io: Io): Command {
  const command = new Command('fit')
    .description('find the personas of the users in an event file')
    .argument('<file>', 'CSV or NDJSON events or counts (.gz accepted; - for stdin)');
  addInputOptions(command);
  return command
    .requiredOption('-k <n>', 'number of personas', integerIn(1, 1000))
    .addOption(new Option('--solver <name>', 'NMF solver (default hals; mu for KL)').choices(['hals', 'mu']))
    .addOption(new Option('--loss <name>', 'NMF loss').choices(['frobenius', 'kl']).default('frobenius'))
    .addOption(new Option('--init <name>', 'initialization').choices(['random', 'nndsvd', 'nndsvda', 'nndsvdar']).default('nndsvda'))
    .addOption(new Option('--max-iter <n>', 'maximum iterations').argParser(integerIn(1, 1_000_000)).default(200))
    .addOption(new Option('--tol <x>', 'stopping tolerance').argParser(nonNegative).default(1e-4))
    .addOption(new Option('--seed <n>', 'random seed').argParser(integerIn(0, 2 ** 31 - 1)).default(0))
    .addOption(new Option('--alpha-w <x>', 'regularization of W').argParser(nonNegative).default(0))
    .addOption(new Option('--alpha-h <x>', 'regularization of H (default: as --alpha-w)').argParser(nonNegative))
    .addOption(new Option('--l1-ratio <x>', 'share of L1 in the regularization, 0..1').argParser(unitInterval).default(0))
    .option('--no-simd', 'use the scalar WebAssembly build')
    .option('--model <file.json>', 'save the model (to assign new users later)')
    .option('--assignments <file.csv>', 'save each user\'s persona: user_id,persona,persona_name,confidence')
    .option('--with-weights', 'add the persona weights w0..w{k-1} to the assignments')
    .option('--json', 'print one JSON document on stdout')
    .option('--quiet', 'no progress or summary on stderr')
    .action(async (file: string, o: FitCommandOptions) => {
      const t0 = performance.now();
      const { result: input, seconds: ingestSeconds } = await readInput(file, o);
      if (!o.quiet) io.stderr(inputSummaryText(input.summary));
      if (input.users.length === 0) throw new PersonasError('BAD_INPUT', `${input.summary.source}: no user has a selected event; nothing to fit`);
      const found = await discoverPersonas(input.counts, input.events, {
        k: o.k, solver: o.solver, loss: o.loss, init: o.init, maxIter: o.maxIter, tol: o.tol, seed: o.seed,
        alphaW: o.alphaW, alphaH: o.alphaH, l1Ratio: o.l1Ratio, simd: o.simd, transform: o.transform,
      });
      const report: FitReport = {
        input: input.summary,
        events: input.events,
        transform: found.transform,
        fit: found.fit,
        personas: found.personas,
        threads: 1,
        timings: { ingestSeconds, totalSeconds: (performance.now() - t0) / 1000 },
      };
      const outputs = new OutputFiles();
      try {
        if (o.model) {
          const model: PersonaModel = {
            format: MODEL_FORMAT, version: MODEL_VERSION, createdAt: new Date().toISOString(),
            events: input.events, transform: found.transform, k: found.fit.k,
            H: matrixRows(found.fit.H.data, found.fit.k, input.events.length),
            names: found.personas.map((p) => p.name),
            fit: {
              solver: found.fit.solver, loss: found.fit.loss, init: found.fit.init, seed: found.fit.seed,
              alphaW: o.alphaW, alphaH: o.alphaH ?? o.alphaW, l1Ratio: o.l1Ratio,
              iterations: found.fit.iterations, converged: found.fit.converged,
              reconstructionError: found.fit.reconstructionError, relativeError: found.fit.relativeError,
            },
            input: { source: input.summary.source, users: input.users.length, rows: input.summary.rowsRead },
            shares: found.personas.map((p) => p.share),
          };
          await outputs.add(o.model, [JSON.stringify(model, null, 1) + '\n']);
        }
        if (o.assignments) {
          await outputs.add(o.assignments, assignmentRows({
            users: input.users, setAside: input.setAside, persona: found.assignment.persona, confidence: found.assignment.confidence,
            names: found.personas.map((p) => p.name), weights: o.withWeights ? found.fit.W : undefined,
          }));
        }
        await outputs.commit();
      } catch (error) {
        await outputs.abort();
        throw error;
      }
      io.stdout(o.json ? JSON.stringify(fitReportJson(report), null, 2) + '\n' : fitReportText(report));
    });
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number ≥ 0, got "${value}"`);
  return n;
}

function unitInterval(value: string): number {
  const n = nonNegative(value);
  if (n > 1) throw new InvalidArgumentError(`expected a number from 0 to 1, got "${value}"`);
  return n;
}
