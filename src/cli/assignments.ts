// The assignments CSV (../shared/CLI.md): user_id,persona,persona_name,confidence[,w0..w{k-1}].
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

export function* assignmentRows(t: AssignmentTable): Generator<string> {
  const k = t.names.length;
  const weightHeader = t.weights ? Array.from({ length: k }, (_, i) => `,w${i}`).join('') : '';
  yield `user_id,persona,persona_name,confidence${weightHeader}\n`;
  let chunk = '';
  for (let u = 0; u < t.users.length; u++) {
    const p = t.persona[u]!;
    chunk += `${csvField(t.users[u]!)},${p},${csvField(p >= 0 ? t.names[p]! : 'unassigned')},${round(t.confidence[u]!)}`;
    if (t.weights) for (let c = 0; c < k; c++) chunk += `,${round(t.weights.data[u * k + c]!)}`;
    chunk += '\n';
    if (chunk.length > 1 << 16) { yield chunk; chunk = ''; }
  }
  const zeros = t.weights ? ',0'.repeat(k) : '';
  for (const id of t.setAside) {
    chunk += `${csvField(id)},-1,unassigned,0${zeros}\n`;
    if (chunk.length > 1 << 16) { yield chunk; chunk = ''; }
  }
  if (chunk) yield chunk;
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
