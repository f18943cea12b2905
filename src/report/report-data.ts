// What every report renders: the model (personas, their descriptions, outcomes) and, when the report
// comes straight from a fit, what was read and how the run went.

import type { PersonaModel } from '../model/model.js';
import type { IngestSummary } from '../ingest/ingest.js';
import type { SelectKResult } from '../select-k/select-k.js';

export interface ReportData {
  readonly model: PersonaModel;
  /** The k survey, when k was chosen by one (also kept in the model). */
  readonly survey?: SelectKResult;
  /** The input summary, when the report comes from a fit (not from a saved model). */
  readonly input?: IngestSummary;
  readonly run?: {
    readonly simd: boolean;
    readonly threads: number;
    readonly timings: { readonly ingestSeconds: number; readonly initSeconds: number; readonly iterateSeconds: number; readonly totalSeconds: number };
  };
}

/** An outcome statistic as text: "31.2 % [29.0–33.5]" or "412 [398–426]". */
export function formatOutcome(kind: 'boolean' | 'numeric' | 'categorical', s: { value: number; low: number; high: number; n: number }): string {
  if (s.n === 0) return '–';
  if (kind === 'numeric') return `${round(s.value)} [${round(s.low)}–${round(s.high)}]`;
  return `${(100 * s.value).toFixed(1)} % [${(100 * s.low).toFixed(1)}–${(100 * s.high).toFixed(1)}]`;
}

function round(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3);
}

/** Which outcome columns a report shows: for categorical outcomes, each category. */
export function outcomeColumns(model: PersonaModel): { label: string; stat: (id: number | 'all') => string }[] {
  const o = model.outcomes;
  if (!o) return [];
  const labels = o.kind === 'categorical' ? o.categories.map((c) => `${o.column}: ${c}`) : [o.kind === 'boolean' ? `${o.column} rate` : `mean ${o.column}`];
  return labels.map((label, i) => ({
    label,
    stat: (id) => formatOutcome(o.kind, (id === 'all' ? o.overall : o.perPersona[id]!)[i]!),
  }));
}
