// personas assign: assign the users of an event file to a saved model's personas, a chunk of users at
// a time, and write user_id,persona,persona_name,confidence. A counts table (one row per user) is
// streamed: memory is bounded by the chunk, whatever the file's size. An event log is first counted
// per user (a user's events may be anywhere in it), then assigned chunk by chunk.

import { Command, Option } from 'commander';
import type { Io } from '../io.js';
import { addInputOptions, ingestOptions, readInput, type InputCliOptions } from '../input.js';
import { assignWithModel, type ModelAssignment } from '../../personas/assign-model.js';
import { streamCounts, type IngestSummary } from '../../ingest/ingest.js';
import { nodeSource } from '../../node/file-source.js';
import { inputSummaryText } from '../../report/text.js';
import { count, percent } from '../../report/format.js';
import { assignmentHeader, assignmentLines, unassignedLines } from '../../report/assignments-csv.js';
import { OutputFiles } from '../files.js';
import { loadModel } from './report.js';
import { progress } from '../progress.js';
import type { CountMatrix } from '../../transform/transforms.js';
import type { PersonaModel } from '../../model/model.js';
import { integerIn, shardSpec } from '../option-parsers.js';
import { shardOf, type ShardSpec } from '../../personas/shard.js';
import { selectRows, sliceRows } from '../../transform/rows.js';

/** Users per assignment chunk: bounds the working memory whatever the input size. */
export const ASSIGN_CHUNK_USERS = 65_536;

interface AssignOptions extends InputCliOptions {
  model: string;
  out?: string;
  withWeights?: boolean;
  chunkUsers: number;
  shard?: ShardSpec;
  simd: boolean;
  json?: boolean;
  quiet?: boolean;
}

export function assignCommand(io: Io): Command {
  const command = new Command('assign')
    .description("assign the users of an event file to a saved model's personas")
    .requiredOption('--model <file.json>', 'the model saved by personas fit --model')
    .argument('<file>', 'CSV or NDJSON events or counts (.gz accepted; - for stdin)');
  addInputOptions(command, { transform: false, selection: false });
  return command
    .option('--out <file.csv>', 'write the assignments here (default: stdout)')
    .option('--with-weights', 'add the persona weights w0..w{k-1}')
    .addOption(new Option('--chunk-users <n>', 'users assigned per chunk (bounds memory)').argParser(integerIn(1, 10_000_000)).default(ASSIGN_CHUNK_USERS))
    .addOption(new Option('--shard <i/n>', 'assign only shard i of n (users split by a hash of their id); the n runs together equal one').argParser(shardSpec))
    .option('--no-simd', 'use the scalar WebAssembly build')
    .option('--json', 'print a JSON summary on stdout (then --out is needed for the assignments)')
    .option('--quiet', 'no progress or summary on stderr')
    .action(async (file: string, o: AssignOptions) => {
      const model = await loadModel(o.model);
      const bar = progress(io, !o.quiet);
      const outputs = new OutputFiles();
      try {
        const target = o.out ? await outputs.stream(o.out) : { write: async (s: string) => { if (!o.json) io.stdout(s); }, end: async () => {} };
        const tally = new Tally(model);
        await target.write(assignmentHeader(model.k, Boolean(o.withWeights)));
        const inShard = o.shard ? (user: string) => shardOf(user, o.shard!.count) === o.shard!.index - 1 : undefined;
        const assignChunk = async (allUsers: readonly string[], allCounts: CountMatrix, events: readonly string[]) => {
          let users = allUsers, counts = allCounts;
          if (inShard) {
            const rows = allUsers.flatMap((u, r) => (inShard(u) ? [r] : []));
            users = rows.map((r) => allUsers[r]!);
            counts = selectRows(allCounts, rows);
          }
          const a = await assignWithModel(model, counts, events, { simd: o.simd });
          tally.add(a);
          await target.write(assignmentLines({ users, setAside: [], persona: a.persona, confidence: a.confidence, names: model.names, weights: o.withWeights ? a.W : undefined }));
          bar.update('users assigned', tally.users);
        };
        const readOptions = ingestOptions({ ...o, topEvents: 'all', minUsersPerEvent: 1, transform: model.transform.name }, (rows) => bar.update('rows read', rows));
        // A counts table streams; anything else is counted per user first.
        let summary: IngestSummary | undefined = file === '-' ? undefined : await streamCounts(await nodeSource(file), readOptions, o.chunkUsers, (b) => assignChunk(b.users, b.counts, b.events));
        const streamed = summary !== undefined;
        if (!summary) {
          const { result: input } = await readInput(file, { ...o, topEvents: 'all', minUsersPerEvent: 1, transform: model.transform.name }, (rows) => bar.update('rows read', rows));
          summary = input.summary;
          for (let start = 0; start < input.users.length; start += o.chunkUsers) {
            const rows = Math.min(o.chunkUsers, input.users.length - start);
            await assignChunk(input.users.slice(start, start + rows), sliceRows(input.counts, start, rows), input.events);
          }
          const setAside = inShard ? input.setAside.filter(inShard) : input.setAside;
          await target.write(unassignedLines(setAside, model.k, Boolean(o.withWeights)));
          tally.unassigned += setAside.length;
          tally.users += setAside.length;
        }
        await target.end();
        await outputs.commit();
        bar.done();
        const report = { ...tally.summary(o.model, summary), streamed, ...(o.shard ? { shard: `${o.shard.index}/${o.shard.count}` } : {}) };
        if (!o.quiet) {
          io.stderr(inputSummaryText(summary));
          io.stderr(`assigned ${count(report.users - report.unassigned)} of ${count(report.users)} users; ${count(report.unassigned)} unassigned (no event the model knows)` +
            (tally.unknown.size ? `; ${tally.unknown.size} events unknown to the model ignored (${[...tally.unknown.keys()].slice(0, 5).join(', ')}${tally.unknown.size > 5 ? ', …' : ''})` : '') + '\n');
          io.stderr(report.personas.map((p) => `  #${p.id} ${p.name}: ${count(p.users)} (${percent(p.share)}; at fit ${percent(p.modelShare)})`).join('\n') + '\n');
        }
        if (o.json) io.stdout(JSON.stringify(report, null, 2) + '\n');
      } catch (error) {
        bar.done();
        await outputs.abort();
        throw error;
      }
    });
}

/** Counts per persona and unknown events across chunks. */
class Tally {
  users = 0;
  unassigned = 0;
  readonly perPersona: number[];
  readonly unknown = new Map<string, number>();
  constructor(private readonly model: PersonaModel) {
    this.perPersona = new Array<number>(model.k).fill(0);
  }
  add(a: ModelAssignment): void {
    this.users += a.persona.length;
    this.unassigned += a.unassigned;
    for (const p of a.persona) if (p >= 0) this.perPersona[p]!++;
    for (const [e, c] of a.unknownEvents) this.unknown.set(e, (this.unknown.get(e) ?? 0) + c);
  }
  summary(modelFile: string, input: IngestSummary) {
    const total = this.users;
    return {
      model: modelFile, input, users: total, unassigned: this.unassigned,
      unknownEvents: Object.fromEntries([...this.unknown].sort((a, b) => b[1] - a[1])),
      personas: this.model.names.map((name, id) => ({ id, name, users: this.perPersona[id]!, share: total ? this.perPersona[id]! / total : 0, modelShare: this.model.personas[id]!.share })),
    };
  }
}
