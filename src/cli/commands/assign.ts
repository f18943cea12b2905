// personas assign: assign the users of an event file to a saved model's personas, a chunk of users at
// a time, and write user_id,persona,persona_name,confidence.

import { Command } from 'commander';
import type { Io } from '../io.js';
import { addInputOptions, readInput, type InputCliOptions } from '../input.js';
import { assignWithModel } from '../../personas/assign-model.js';
import { inputSummaryText } from '../../report/text.js';
import { count, percent } from '../../report/format.js';
import { assignmentRows } from '../assignments.js';
import { writeFileAtomic } from '../files.js';
import { loadModel } from './report.js';
import { progress } from '../progress.js';
import type { CountMatrix } from '../../transform/transforms.js';

/** Users per assignment chunk: bounds the WebAssembly working memory whatever the input size. */
export const ASSIGN_CHUNK_USERS = 65_536;

interface AssignOptions extends InputCliOptions {
  model: string;
  out?: string;
  withWeights?: boolean;
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
    .option('--no-simd', 'use the scalar WebAssembly build')
    .option('--json', 'print a JSON summary on stdout (then --out is needed for the assignments)')
    .option('--quiet', 'no progress or summary on stderr')
    .action(async (file: string, o: AssignOptions) => {
      const model = await loadModel(o.model);
      const bar = progress(io, !o.quiet);
      const { result: input } = await readInput(file, { ...o, topEvents: 'all', minUsersPerEvent: 1, transform: model.transform.name }, (rows) => bar.update('rows read', rows));
      bar.done();
      if (!o.quiet) io.stderr(inputSummaryText(input.summary));
      const n = input.users.length, k = model.k;
      const persona = new Int32Array(n), confidence = new Float32Array(n);
      const weights = o.withWeights ? new Float32Array(n * k) : undefined;
      const unknown = new Map<string, number>();
      for (let start = 0; start < n; start += ASSIGN_CHUNK_USERS) {
        const rows = Math.min(ASSIGN_CHUNK_USERS, n - start);
        const chunk = await assignWithModel(model, sliceRows(input.counts, start, rows), input.events, { simd: o.simd });
        persona.set(chunk.persona, start);
        confidence.set(chunk.confidence, start);
        weights?.set(chunk.W.data, start * k);
        for (const [e, c] of chunk.unknownEvents) unknown.set(e, (unknown.get(e) ?? 0) + c);
        bar.update('users assigned', start + rows, n);
      }
      bar.done();
      const table = { users: input.users, setAside: input.setAside, persona, confidence, names: model.names, weights: weights && { rows: n, cols: k, data: weights } };
      if (o.out) await writeFileAtomic(o.out, assignmentRows(table));
      const perPersona = Array.from({ length: k }, (_, t) => persona.reduce((c, p) => c + (p === t ? 1 : 0), 0));
      const unassigned = persona.reduce((c, p) => c + (p < 0 ? 1 : 0), 0) + input.setAside.length;
      const total = n + input.setAside.length;
      const summary = {
        model: o.model, input: input.summary, users: total, unassigned,
        unknownEvents: Object.fromEntries([...unknown].sort((a, b) => b[1] - a[1])),
        personas: model.names.map((name, id) => ({ id, name, users: perPersona[id]!, share: total ? perPersona[id]! / total : 0, modelShare: model.personas[id]!.share })),
      };
      if (!o.quiet) {
        io.stderr(`assigned ${count(total - unassigned)} of ${count(total)} users; ${count(unassigned)} unassigned (no event the model knows)` +
          (unknown.size ? `; ${unknown.size} events unknown to the model ignored (${[...unknown.keys()].slice(0, 5).join(', ')}${unknown.size > 5 ? ', …' : ''})` : '') + '\n');
        io.stderr(summary.personas.map((p) => `  #${p.id} ${p.name}: ${count(p.users)} (${percent(p.share)}; at fit ${percent(p.modelShare)})`).join('\n') + '\n');
      }
      if (o.json) io.stdout(JSON.stringify(summary, null, 2) + '\n');
      else if (!o.out) for (const chunk of assignmentRows(table)) io.stdout(chunk);
    });
}

/** Rows [start, start + rows) of a count matrix, without copying the data. */
export function sliceRows(m: CountMatrix, start: number, rows: number): CountMatrix {
  if (m.format === 'csr') {
    const base = m.indptr[start]!;
    const indptr = Int32Array.from(m.indptr.subarray(start, start + rows + 1), (z) => z - base);
    const end = m.indptr[start + rows]!;
    return { format: 'csr', rows, cols: m.cols, indptr, indices: m.indices.subarray(base, end), data: m.data.subarray(base, end) };
  }
  return { format: 'dense', rows, cols: m.cols, data: m.data.subarray(start * m.cols, (start + rows) * m.cols) };
}
