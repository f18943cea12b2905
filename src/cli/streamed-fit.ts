// fit --mini-batch and fit --sample: personas of a counts table too large to hold, in memory bounded by
// a sample and a batch. Pass 1 counts users and the users of each event (event selection, tfidf
// weights) and draws a seeded uniform sample of users (a reservoir); k may be surveyed on the sample; a
// full fit on the sample gives H. --mini-batch then refines H by epochs of mini-batch steps over the
// file (MiniBatchNMF semantics, src/nmf/minibatch.ts) until it settles; --sample keeps the sample's H.
// A last pass assigns everyone, writes the assignments as it goes, and sums what the persona
// descriptions need. The table must have one row per user (as `personas sql` writes it): the in-memory
// fit adds repeated rows up, which a stream cannot, so a repeated id is refused (found by fingerprints).

import { streamCounts, type IngestOptions, type IngestSummary } from '../ingest/ingest.js';
import { FingerprintSet, fingerprint } from '../ingest/id-fingerprints.js';
import { InputError, shown } from '../ingest/errors.js';
import type { TextSource } from '../ingest/source.js';
import { nodeSource } from '../node/file-source.js';
import { selectEvents } from '../ingest/select-events.js';
import { fitNmf } from '../nmf/fit.js';
import { MiniBatchNmf } from '../nmf/minibatch.js';
import { assignWithModel } from '../personas/assign-model.js';
import { PersonaTally, suggestedName } from '../personas/describe.js';
import { klDivergenceOf, RESIDUAL_QUANTILE } from '../personas/residuals.js';
import { idfFrom, transformCounts, type CountMatrix, type FittedTransform, type TransformName } from '../transform/transforms.js';
import { matrixRows, MODEL_FORMAT, MODEL_VERSION, type PersonaModel } from '../model/model.js';
import { assignmentHeader, assignmentLines } from '../report/assignments-csv.js';
import { PersonasError } from '../errors.js';
import type { NmfInit, NmfLoss, NmfSolver } from '../nmf/options.js';
import type { RowPool } from '../wasm/row-pool.js';
import type { SelectKResult } from '../select-k/select-k.js';
import { Random } from '../random.js';

export interface StreamedFitOptions {
  /** A number of personas, or a survey run on the (transformed) sample that returns one. */
  readonly k: number | ((sample: CountMatrix) => Promise<SelectKResult>);
  /** 'mini-batch' refines the sample's H over the whole stream; 'sample' keeps it. */
  readonly method: 'mini-batch' | 'sample';
  readonly batchSize: number;
  readonly loss: NmfLoss;
  readonly solver: NmfSolver;
  readonly transform: TransformName;
  /** Mini-batch epochs at most (--mini-batch), or the sample fit's iterations (--sample). */
  readonly maxIter: number;
  readonly init: Extract<NmfInit, string>;
  readonly tol: number;
  readonly seed: number;
  readonly alphaW: number;
  readonly alphaH: number;
  readonly l1Ratio: number;
  readonly simd: boolean;
  readonly names?: readonly string[];
  readonly withWeights: boolean;
  readonly pool?: RowPool;
  /** Users in the seeded uniform sample whose fit gives (or starts) H. */
  readonly sampleUsers: number;
}

/** Where the assignments go, opened only for the last pass. */
export interface AssignmentsWriter {
  write(text: string): Promise<void>;
  end(): Promise<void>;
}

export interface StreamedFitResult {
  readonly model: PersonaModel;
  readonly survey?: SelectKResult;
  /** Users drawn into the sample, before dropping those with none of the selected events. */
  readonly drawn: number;
  readonly summary: IngestSummary;
  readonly epochs: number;
  readonly steps: number;
  /** count: pass 1; init and iterate: the sample fit's (--sample), or the sample fit and the epochs (--mini-batch); assign: the last pass. */
  readonly seconds: { readonly count: number; readonly init: number; readonly iterate: number; readonly assign: number };
}

const CHUNK = 16_384;

class Stop extends Error {}

export async function streamedFit(
  file: string, read: IngestOptions, o: StreamedFitOptions,
  openAssignments: (() => Promise<AssignmentsWriter>) | undefined, progress: (what: string, done: number, total?: number) => void,
): Promise<StreamedFitResult> {
  const flag = `--${o.method}`;
  if (read.since !== undefined || read.until !== undefined || read.userWindowDays !== undefined) {
    throw new PersonasError('BAD_OPTION', `--since, --until and --user-window select rows by time, and ${flag} reads a counts table, which has no time; apply the window when counting (\`personas sql --since …\`) or fit the event log without ${flag}`);
  }
  const t0 = performance.now();
  const source = await nodeSource(file);
  const scan = await firstPass(source, read, o, progress);
  if (!scan) {
    throw new PersonasError('BAD_INPUT', `${file}: ${flag} streams a counts table (one row per user, one column per event), and this is not one; aggregate raw events with \`personas sql\` (or fit without ${flag})`);
  }
  await refuseRepeatedUsers(source, read, scan.repeated, file, flag);

  // The selected events, in the in-memory fit's order; a listed event the table lacks is a zero column.
  const selection = selectEvents(scan.events, Int32Array.from(scan.df), read);
  const columns = selection.chosen, names = selection.names, m = names.length;
  if (m === 0 || scan.active === 0) throw new PersonasError('BAD_INPUT', `${file}: no user has a selected event; nothing to fit`);
  const from = scan.events.length;
  const pick = (data: Float32Array, rows: number): DenseCounts => {
    const out = new Float32Array(rows * m);
    for (let r = 0; r < rows; r++) for (let j = 0; j < m; j++) if (columns[j]! >= 0) out[r * m + j] = data[r * from + columns[j]!]!;
    return { format: 'dense', rows, cols: m, data: out };
  };
  // tfidf's idf and mini-batch's forgetting need the users with a selected event: every user with an
  // event, unless the selection dropped a column someone used (then one more pass counts them).
  const dropsUsedColumn = scan.df.some((d, e) => d > 0 && !columns.includes(e));
  const needUsers = o.transform === 'tfidf' || o.method === 'mini-batch';
  const fittedUsers = !needUsers ? 0 : dropsUsedColumn ? await countUsersWithAny(source, read, pick) : scan.active;
  const transform: FittedTransform = o.transform === 'tfidf'
    ? { name: 'tfidf', idf: idfFrom(columns.map((e) => (e >= 0 ? scan.df[e]! : 0)), fittedUsers) }
    : { name: o.transform };
  const t1 = performance.now();

  // H from a full fit on the sample (for --mini-batch, its start: scikit-learn starts MiniBatchNMF
  // from NNDSVD of the data). k, when not given, is surveyed on the same sample.
  const sample = transformCounts(transform, withoutEmptyRows(pick(scan.reservoir, scan.drawn)));
  const sampled = sample.rows;
  const survey = typeof o.k === 'number' ? undefined : await o.k(sample);
  const k = survey ? survey.recommended : (o.k as number);
  if (k > m) throw new PersonasError('BAD_K', `k = ${k} is more than the ${m} selected events; choose a smaller -k`);
  if (k > sampled) throw new PersonasError('BAD_K', `k = ${k} is more than the ${sampled} sampled users with a selected event; sample more users or choose a smaller -k`);
  const start = await fitNmf(sample, {
    k, solver: o.solver, loss: o.loss, seed: o.seed, simd: o.simd, alphaW: o.alphaW, alphaH: o.alphaH, l1Ratio: o.l1Ratio, pool: o.pool,
    init: o.init, ...(o.method === 'sample' ? { maxIter: o.maxIter, tol: o.tol } : {}),
  });
  const t2 = performance.now();

  // --mini-batch: epochs of mini-batch steps, until H settles.
  let Hdata = start.H.data, epochs = 0, steps = 0, batchSize = 0, converged = start.converged;
  if (o.method === 'mini-batch') {
    const online = new MiniBatchNmf(start.H.data, m, {
      k, loss: o.loss, users: fittedUsers, batchSize: o.batchSize, tol: o.tol, alphaW: o.alphaW, alphaH: o.alphaH, l1Ratio: o.l1Ratio, simd: o.simd, pool: o.pool,
    });
    while (!online.converged && epochs < o.maxIter) {
      epochs++;
      try {
        await streamCounts(source, read, online.batchSize, async (b) => {
          await online.step(transformCounts(transform, withoutEmptyRows(pick(b.counts.data, b.users.length))));
          progress(`epoch ${epochs}, mini-batch steps`, online.steps);
          if (online.converged) throw new Stop();
        });
      } catch (error) {
        if (!(error instanceof Stop)) throw error;
      }
    }
    Hdata = online.H;
    steps = online.steps;
    batchSize = online.batchSize;
    converged = online.converged;
  }
  const t3 = performance.now();

  // Last pass: assign everyone, write the assignments, sum the descriptions' statistics.
  const H = { rows: k, cols: m, data: Hdata };
  const draft: PersonaModel = {
    format: MODEL_FORMAT, version: MODEL_VERSION, createdAt: new Date().toISOString(), events: names, transform, k,
    H: matrixRows(Hdata, k, m), names: o.names ?? suggestedNames(Hdata, k, names),
    fit: {
      solver: o.solver, loss: o.loss, init: o.method === 'mini-batch' ? 'mini-batch' : o.init, seed: o.seed, alphaW: o.alphaW, alphaH: o.alphaH, l1Ratio: o.l1Ratio,
      iterations: o.method === 'mini-batch' ? epochs : start.iterations, converged, reconstructionError: 0, relativeError: 0,
    },
    input: { source: scan.summary.source, users: 0, usersSetAside: 0, rows: scan.summary.rowsRead }, personas: [],
  };
  const last = await lastPass(source, read, draft, pick, o, openAssignments, (done) => progress('users assigned', done, scan.summary.usersSeen));
  const t4 = performance.now();

  const notInPersonas = last.withoutEvents + last.unrepresented;
  const personas = last.tally.describe({ events: names, H, names: o.names, usersSetAside: notInPersonas });
  const warnings = [...scan.summary.warnings];
  if (selection.missing.length > 0) warnings.push(`${read.events?.length ? 'listed' : 'excluded'} events that never occur: ${selection.missing.join(', ')}`);
  if (last.unrepresented > 0) warnings.push(`${last.unrepresented} users have only events that carry no weight in the personas learned from the sample; they are written as unassigned`);
  const users = scan.summary.usersSeen - last.withoutEvents;
  const summary: IngestSummary = {
    ...scan.summary, users, usersWithoutSelectedEvents: last.withoutEvents, events: m, eventsDropped: selection.dropped,
    nonzeros: last.nonzeros, density: users * m > 0 ? last.nonzeros / (users * m) : 0, warnings,
  };
  const model: PersonaModel = {
    ...draft, names: personas.map((p) => p.name), personas,
    fit: { ...draft.fit, reconstructionError: Math.sqrt(o.loss === 'kl' ? 2 * Math.max(0, last.divergence) : last.residualSq), relativeError: last.norm > 0 ? Math.sqrt(last.residualSq / last.norm) : 0 },
    input: { ...draft.input, users: last.assigned, usersSetAside: notInPersonas },
    calibration: { residualQuantile: RESIDUAL_QUANTILE, residualThreshold: quantileOf(last.bins, RESIDUAL_QUANTILE) },
    ...(survey ? { survey } : {}),
    ...(o.method === 'mini-batch'
      ? { miniBatch: { batchSize, epochs, steps, sampleUsers: sampled } }
      : { sample: { users: sampled, seed: o.seed } }),
  };
  return {
    model, survey, drawn: scan.drawn, summary, epochs, steps,
    seconds: {
      count: (t1 - t0) / 1000,
      init: o.method === 'sample' ? start.timings.initSeconds : (t2 - t1) / 1000,
      iterate: o.method === 'sample' ? start.timings.iterateSeconds : (t3 - t2) / 1000,
      assign: (t4 - t3) / 1000,
    },
  };
}

interface FirstPass {
  readonly summary: IngestSummary;
  readonly events: readonly string[];
  /** Users per table column. */
  readonly df: Float64Array;
  /** Users with at least one event. */
  readonly active: number;
  /** The sample: `drawn` rows of the table's columns. */
  readonly reservoir: Float32Array;
  readonly drawn: number;
  /** Fingerprints of user ids seen more than once (candidates for repeated users). */
  readonly repeated: Set<number>;
}

/**
 * Pass 1: users per event, and a uniform sample of the users with an event (reservoir sampling, seeded:
 * the file's order — by signup date, say — does not bias it). Undefined when the input is not a counts
 * table.
 */
async function firstPass(source: TextSource, read: IngestOptions, o: StreamedFitOptions, progress: (what: string, done: number) => void): Promise<FirstPass | undefined> {
  let events: readonly string[] = [], df = new Float64Array(0), reservoir: Float32Array = new Float32Array(0);
  let active = 0, seen = 0;
  const rng = new Random(o.seed);
  const ids = new FingerprintSet();
  const summary = await streamCounts(source, read, CHUNK, (b) => {
    const m = b.events.length;
    if (seen === 0) { events = b.events; df = new Float64Array(m); }
    for (let u = 0; u < b.users.length; u++) {
      ids.add(b.users[u]!);
      const row = b.counts.data.subarray(u * m, (u + 1) * m);
      let any = false;
      for (let j = 0; j < m; j++) if (row[j]! > 0) { df[j]!++; any = true; }
      if (!any) continue; // no event at all: set aside, as in the in-memory fit
      const slot = active < o.sampleUsers ? active : rng.nextInt(active + 1);
      if (slot < o.sampleUsers) {
        if ((slot + 1) * m > reservoir.length) reservoir = grown(reservoir, Math.min(o.sampleUsers, Math.max(1024, 2 * (slot + 1))) * m, o.sampleUsers, m);
        reservoir.set(row, slot * m);
      }
      active++;
    }
    seen += b.users.length;
    progress('users counted', seen);
  });
  if (!summary) return undefined;
  return { summary, events, df, active, reservoir, drawn: Math.min(active, o.sampleUsers), repeated: ids.repeated() };
}

/** The reservoir, grown as users come (a large --sample on a small file costs what the file holds). */
function grown(reservoir: Float32Array, length: number, sampleUsers: number, m: number): Float32Array {
  let next: Float32Array;
  try {
    next = new Float32Array(length);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new PersonasError('BAD_OPTION', `a sample of ${sampleUsers.toLocaleString('en-US')} users × ${m} events (${Math.ceil((sampleUsers * m * 4) / 2 ** 20)} MiB) does not fit in memory here; sample fewer users`);
  }
  next.set(reservoir);
  return next;
}

/** Equal fingerprints are checked against the ids themselves: a repeated user is refused, naming both lines. */
export async function refuseRepeatedUsers(source: TextSource, read: IngestOptions, repeated: Set<number>, file: string, flag: string): Promise<void> {
  if (repeated.size === 0) return;
  const firstLine = new Map<string, number>();
  await streamCounts(source, read, CHUNK, (b) => {
    for (let u = 0; u < b.users.length; u++) {
      const id = b.users[u]!;
      if (!repeated.has(fingerprint(id))) continue;
      const first = firstLine.get(id);
      if (first !== undefined) {
        throw new InputError({ file, line: b.lines[u]! }, `user ${shown(id)} has a second row (the first is line ${first}); ${flag} needs one row per user, as \`personas sql\` writes them (a fit without ${flag} adds such rows up)`);
      }
      firstLine.set(id, b.lines[u]!);
    }
  });
}

/** Users with at least one of the selected events (one more pass; needed only when the selection dropped a used column). */
async function countUsersWithAny(source: TextSource, read: IngestOptions, pick: (data: Float32Array, rows: number) => DenseCounts): Promise<number> {
  let users = 0;
  await streamCounts(source, read, CHUNK, (b) => {
    const { data, rows, cols } = pick(b.counts.data, b.users.length);
    for (let r = 0; r < rows; r++) if (data.subarray(r * cols, (r + 1) * cols).some((v) => v > 0)) users++;
  });
  return users;
}

interface LastPass {
  readonly tally: PersonaTally;
  readonly bins: Float64Array;
  readonly assigned: number;
  /** Users with none of the selected events (set aside, as in memory). */
  readonly withoutEvents: number;
  /** Users with events, none of which carries weight in H (written as unassigned). */
  readonly unrepresented: number;
  readonly residualSq: number;
  readonly norm: number;
  readonly divergence: number;
  readonly nonzeros: number;
}

/** Assigns every user with H fixed, writes the assignments, and sums the descriptions' statistics. */
async function lastPass(
  source: TextSource, read: IngestOptions, draft: PersonaModel, pick: (data: Float32Array, rows: number) => DenseCounts, o: StreamedFitOptions,
  openAssignments: (() => Promise<AssignmentsWriter>) | undefined, progress: (done: number) => void,
): Promise<LastPass> {
  const k = draft.k, m = draft.events.length;
  const H = { rows: k, cols: m, data: Float32Array.from(draft.H.flat()) };
  const tally = new PersonaTally(k, m);
  const bins = new Float64Array(RESIDUAL_BINS);
  let assigned = 0, withoutEvents = 0, unrepresented = 0, residualSq = 0, norm = 0, divergence = 0, nonzeros = 0;
  // Opened only now, so an interrupt before this pass has no file to clean up.
  const target = openAssignments ? await openAssignments() : undefined;
  if (target) await target.write(assignmentHeader(k, o.withWeights));
  await streamCounts(source, read, CHUNK, async (b) => {
    const counts = pick(b.counts.data, b.users.length);
    const a = await assignWithModel(draft, counts, draft.events, { simd: o.simd, residuals: true });
    const matrix = a.matrix!;
    if (o.loss === 'kl') divergence += klDivergenceOf(matrix, a.W, H);
    const keep: number[] = [];
    for (let u = 0; u < counts.rows; u++) {
      let v2 = 0, any = false;
      for (let j = 0; j < m; j++) {
        v2 += matrix.data[u * m + j]! ** 2;
        if (counts.data[u * m + j]! > 0) { nonzeros++; any = true; }
      }
      if (!any) { withoutEvents++; continue; }
      // Every user with an event counts in the error and the residual calibration, as in memory.
      const r = a.residual![u]!;
      residualSq += r * r * v2;
      norm += v2;
      bins[Math.min(RESIDUAL_BINS - 1, Math.floor(r * RESIDUAL_BINS))]!++;
      if (a.persona[u]! < 0) unrepresented++;
      else keep.push(u);
    }
    assigned += keep.length;
    const kept = { format: 'dense' as const, rows: keep.length, cols: m, data: new Float32Array(keep.length * m) };
    keep.forEach((u, i) => kept.data.set(counts.data.subarray(u * m, (u + 1) * m), i * m));
    tally.add(kept, { persona: Int32Array.from(keep, (u) => a.persona[u]!), confidence: Float32Array.from(keep, (u) => a.confidence[u]!) });
    if (target) {
      await target.write(assignmentLines({ users: b.users, setAside: [], persona: a.persona, confidence: a.confidence, names: draft.names, weights: o.withWeights ? a.W : undefined }));
    }
    progress(assigned + withoutEvents + unrepresented);
  });
  await target?.end();
  return { tally, bins, assigned, withoutEvents, unrepresented, residualSq, norm, divergence, nonzeros };
}

type DenseCounts = { readonly format: 'dense'; readonly rows: number; readonly cols: number; readonly data: Float32Array };

/** The rows with at least one count (a sampled user may have none of the selected events). */
function withoutEmptyRows(counts: DenseCounts): DenseCounts {
  const m = counts.cols, keep: number[] = [];
  for (let r = 0; r < counts.rows; r++) if (counts.data.subarray(r * m, (r + 1) * m).some((v) => v > 0)) keep.push(r);
  if (keep.length === counts.rows) return counts;
  const data = new Float32Array(keep.length * m);
  keep.forEach((r, i) => data.set(counts.data.subarray(r * m, (r + 1) * m), i * m));
  return { format: 'dense', rows: keep.length, cols: m, data };
}

/** The describer's suggested names (the two heaviest events of each row of H), known before the last pass. */
function suggestedNames(H: Float32Array, k: number, events: readonly string[]): string[] {
  const m = events.length;
  return Array.from({ length: k }, (_, t) => {
    const top = events.map((_, j) => j).sort((a, b) => H[t * m + b]! - H[t * m + a]! || a - b).slice(0, 2);
    return suggestedName(top.map((j) => ({ event: events[j]!, weight: 0, lift: 0, specificity: 0 })));
  });
}

/** Residuals in [0, 1] (relative), binned finely enough for a quantile to 10⁻⁴. */
const RESIDUAL_BINS = 10_000;

function quantileOf(bins: Float64Array, q: number): number {
  const total = bins.reduce((a, b) => a + b, 0);
  let seen = 0;
  for (let i = 0; i < bins.length; i++) {
    seen += bins[i]!;
    if (seen >= q * total) return (i + 1) / bins.length;
  }
  return 1;
}
