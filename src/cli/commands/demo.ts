// personas demo: the embedded CRM product, end to end, with how well the found personas match the
// planted ones.

import { Command, Option } from 'commander';
import { generateCrmDemo, type DemoData } from '../../demo/crm.js';
import { discoverPersonas, type DiscoverResult } from '../../personas/discover.js';
import { adjustedRandIndex } from '../../personas/agreement.js';
import { DEFAULT_TRANSFORM, TRANSFORMS, type TransformName } from '../../transform/transforms.js';
import type { Io } from '../io.js';
import { writeFileAtomic } from '../files.js';
import { generateCrmTimeline, timelineLog } from '../../demo/timeline.js';
import { count, percent } from '../../report/format.js';
import { fitLine, personasTable } from '../../report/text.js';
import { reportJson } from '../../report/json.js';
import type { ReportData } from '../../report/report-data.js';
import { buildModel } from '../../model/build.js';
import { integerIn } from '../option-parsers.js';

interface DemoCommandOptions {
  users: number;
  seed: number;
  k: number;
  solver: 'mu' | 'hals';
  loss: 'frobenius' | 'kl';
  transform: TransformName;
  simd: boolean;
  json: boolean;
  quiet: boolean;
  writeData?: string;
  writeTimeline?: string;
}

export function demoCommand(io: Io): Command {
  return new Command('demo')
    .description('run the whole pipeline on the embedded demo product (a CRM with 40 events and 7 planted personas)')
    .addOption(new Option('--users <n>', 'users to generate').argParser(integerIn(50, 5_000_000)).default(20_000))
    .addOption(new Option('--seed <n>', 'seed of the data and of the fit').argParser(integerIn(0, 2 ** 31 - 1)).default(1))
    .addOption(new Option('-k <n>', 'number of personas to find').argParser(integerIn(1, 40)).default(7))
    .addOption(new Option('--solver <name>', 'NMF solver').choices(['hals', 'mu']).default('hals'))
    .addOption(new Option('--loss <name>', 'NMF loss').choices(['frobenius', 'kl']).default('frobenius'))
    .addOption(new Option('--transform <name>', 'how counts become the factorized matrix').choices([...TRANSFORMS]).default(DEFAULT_TRANSFORM))
    .option('--no-simd', 'use the scalar WebAssembly build')
    .option('--json', 'print one JSON document on stdout')
    .option('--quiet', 'no progress on stderr')
    .option('--write-data <file>', 'also write the generated events as CSV (user_id,event,count)')
    .option('--write-timeline <file>', 'also write 8 weeks of the product as an event log (user_id,event,count,timestamp) in which a Lead Manager persona appears in week 4 (1 %, then +1 point a week)')
    .action(async (o: DemoCommandOptions) => {
      const data = generateCrmDemo({ users: o.users, seed: o.seed });
      if (o.writeData) await writeFileAtomic(o.writeData, eventRows(data));
      if (o.writeTimeline) await writeFileAtomic(o.writeTimeline, timelineLog(generateCrmTimeline({ seed: o.seed, emerging: { from: 3 } })));
      if (!o.quiet && !o.json) io.stderr(`fitting ${o.k} personas to ${count(o.users)} demo users…\n`);
      const t0 = performance.now();
      const result = await discoverPersonas({ format: 'dense', rows: data.users.length, cols: data.events.length, data: data.counts }, data.events, {
        k: o.k, seed: o.seed, solver: o.loss === 'kl' ? 'mu' : o.solver, loss: o.loss, transform: o.transform, simd: o.simd,
      });
      const seconds = (performance.now() - t0) / 1000;
      const match = matchPlanted(data, result);
      if (o.json) io.stdout(JSON.stringify(demoJson(data, result, match, seconds), null, 2) + '\n');
      else io.stdout(demoText(data, result, match, seconds, o));
    });
}

interface PlantedMatch {
  /** ARI between found and planted personas over active, non-outlier users. */
  ari: number;
  /** Per found persona: the planted persona most of its users have, and that share. */
  perPersona: { planted: string; purity: number }[];
}

function matchPlanted(data: DemoData, result: DiscoverResult): PlantedMatch {
  const found = Array.from(result.assignment.persona, (p, u) => (data.kind[u] === 'active' ? p : -1));
  const ari = adjustedRandIndex(found, data.planted);
  const perPersona = result.personas.map((persona) => {
    const tally = new Map<number, number>();
    let members = 0;
    found.forEach((p, u) => {
      if (p !== persona.id || data.planted[u]! < 0) return;
      members++;
      tally.set(data.planted[u]!, (tally.get(data.planted[u]!) ?? 0) + 1);
    });
    let best = -1, bestCount = 0;
    for (const [label, c] of tally) if (c > bestCount) { best = label; bestCount = c; }
    return { planted: best >= 0 ? data.plantedNames[best]! : '—', purity: members > 0 ? bestCount / members : 0 };
  });
  return { ari, perPersona };
}

function demoReport(data: DemoData, r: DiscoverResult, seconds: number): ReportData {
  const f = r.fit;
  return {
    model: buildModel({
      found: r, events: data.events,
      input: { source: 'demo CRM', users: data.users.length, usersSetAside: 0, rows: data.users.length },
      regularization: { alphaW: 0, alphaH: 0, l1Ratio: 0 },
    }),
    run: { simd: f.simd, threads: 1, timings: { ingestSeconds: 0, initSeconds: f.timings.initSeconds, iterateSeconds: f.timings.iterateSeconds, totalSeconds: seconds } },
  };
}

function demoText(data: DemoData, r: DiscoverResult, match: PlantedMatch, seconds: number, o: DemoCommandOptions): string {
  const inactive = data.kind.filter((k) => k === 'inactive').length, outliers = data.kind.filter((k) => k === 'outlier').length;
  return [
    `Demo CRM: ${count(data.users.length)} users (${count(inactive)} inactive, ${count(outliers)} bots and power users), ${data.events.length} events, 7 planted personas, seed ${o.seed}`,
    fitLine(demoReport(data, r, seconds)),
    '',
    personasTable(r.personas, [{ header: 'planted persona (purity)', cell: (p) => `${match.perPersona[p.id]!.planted} (${percent(match.perPersona[p.id]!.purity, 0)})` }]),
    `Agreement with the planted personas (adjusted Rand index, active users without outliers): ${match.ari.toFixed(3)}`,
    '',
  ].join('\n');
}

function demoJson(data: DemoData, r: DiscoverResult, match: PlantedMatch, seconds: number) {
  return {
    ...reportJson(demoReport(data, r, seconds)),
    planted: {
      adjustedRandIndex: match.ari,
      personas: data.plantedNames,
      matches: match.perPersona.map((m, id) => ({ id, planted: m.planted, purity: m.purity })),
    },
  };
}

function* eventRows(data: DemoData): Generator<string> {
  const m = data.events.length;
  yield 'user_id,event,count\n';
  let chunk = '';
  for (let u = 0; u < data.users.length; u++) {
    for (let j = 0; j < m; j++) {
      const c = data.counts[u * m + j]!;
      if (c > 0) chunk += `${data.users[u]},${data.events[j]},${c}\n`;
    }
    if (chunk.length > 1 << 16) { yield chunk; chunk = ''; }
  }
  if (chunk) yield chunk;
}

