// The assignments CSV (../shared/CLI.md), for the CLI and the explorer page: user_id,persona,persona_name,confidence[,w0..w{k-1}].
// Users with no selected event are listed as persona −1, "unassigned".

import type { Float32Matrix } from '../types.js';

export interface AssignmentTable {
  readonly users: readonly string[];
  readonly setAside: readonly string[];
  readonly persona: Int32Array;
  readonly confidence: Float32Array;
  readonly names: readonly string[];
  readonly weights?: Float32Matrix;
}

export function assignmentHeader(k: number, withWeights: boolean): string {
  return `user_id,persona,persona_name,confidence${withWeights ? Array.from({ length: k }, (_, i) => `,w${i}`).join('') : ''}\n`;
}

/** The CSV lines of users [from, to) of a table (no header). */
export function assignmentLines(t: AssignmentTable, from = 0, to = t.users.length): string {
  const k = t.names.length;
  let out = '';
  for (let u = from; u < to; u++) {
    const p = t.persona[u]!;
    out += `${csvField(t.users[u]!)},${p},${csvField(p >= 0 ? t.names[p]! : 'unassigned')},${round(t.confidence[u]!)}`;
    if (t.weights) for (let c = 0; c < k; c++) out += `,${round(t.weights.data[u * k + c]!)}`;
    out += '\n';
  }
  return out;
}

/** Lines for users with no selected event: persona −1, "unassigned". */
export function unassignedLines(ids: readonly string[], k: number, withWeights: boolean, from = 0, to = ids.length): string {
  const zeros = withWeights ? ',0'.repeat(k) : '';
  let out = '';
  for (let i = from; i < to; i++) out += `${csvField(ids[i]!)},-1,unassigned,0${zeros}\n`;
  return out;
}

/** The whole assignments CSV, in chunks. */
export function* assignmentRows(t: AssignmentTable): Generator<string> {
  const k = t.names.length, step = 2048;
  yield assignmentHeader(k, Boolean(t.weights));
  for (let u = 0; u < t.users.length; u += step) yield assignmentLines(t, u, Math.min(t.users.length, u + step));
  for (let i = 0; i < t.setAside.length; i += step) yield unassignedLines(t.setAside, k, Boolean(t.weights), i, Math.min(t.setAside.length, i + step));
}

/** Quotes a field when it holds a comma, quote or line break (RFC 4180). */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function round(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(6).replace(/\.?0+$/, '').replace(/\.?0+e/, 'e');
}

/** One persona's users: user_id,confidence, most confident first. */
export function* cohortRows(users: readonly string[], persona: Int32Array, confidence: Float32Array, id: number): Generator<string> {
  const members: number[] = [];
  for (let u = 0; u < users.length; u++) if (persona[u] === id) members.push(u);
  members.sort((a, b) => confidence[b]! - confidence[a]! || a - b);
  yield 'user_id,confidence\n';
  let chunk = '';
  for (const u of members) {
    chunk += `${csvField(users[u]!)},${round(confidence[u]!)}\n`;
    if (chunk.length > 1 << 16) { yield chunk; chunk = ''; }
  }
  if (chunk) yield chunk;
}
