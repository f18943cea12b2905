// Small input files beside the events: outcomes per user, and persona names.

import { readFile } from 'node:fs/promises';
import { PersonasError } from '../errors.js';
import { readCsv } from '../ingest/read-csv.js';
import { nodeSource, asReadError } from '../node/file-source.js';
import { InputError, shown } from '../ingest/errors.js';

/** user id → outcome text, from a CSV with a user column and an outcome column. */
export async function readOutcomes(file: string, o: { userCol?: string; outcomeCol?: string }): Promise<{ values: Map<string, string>; column: string }> {
  const source = await nodeSource(file);
  const values = new Map<string, string>();
  let user = -1, outcome = -1, header: string[] | undefined;
  for await (const batch of readCsv(source.openBytes?.() ?? source.open(), { file, maxRecordChars: 1 << 20, skipInvalid: false, onSkip() {} })) {
    for (const record of batch) {
      if (!header) {
        header = record.fields.map((f) => f.trim());
        user = header.indexOf(o.userCol ?? 'user_id');
        if (user < 0 && o.userCol === undefined) user = 0;
        outcome = o.outcomeCol !== undefined ? header.indexOf(o.outcomeCol) : header.indexOf('outcome') >= 0 ? header.indexOf('outcome') : user === 0 ? 1 : 0;
        if (user < 0) throw new InputError({ file, line: 1 }, `expected a user id column named ${shown(o.userCol)}, found ${header.map((h) => shown(h)).join(', ')}`);
        if (outcome < 0 || outcome >= header.length || outcome === user) {
          throw new InputError({ file, line: 1 }, `expected an outcome column${o.outcomeCol ? ` named ${shown(o.outcomeCol)}` : ' (named "outcome", or the second column)'}, found ${header.map((h) => shown(h)).join(', ')}; name it with --outcome-col`);
        }
        continue;
      }
      const id = record.fields[user], value = record.fields[outcome];
      if (id === undefined || value === undefined) throw new InputError({ file, line: record.line }, `expected ${header.length} fields as in the header, found ${record.fields.length}`);
      if (value.trim() === '') continue; // no outcome for this user
      if (values.has(id) && values.get(id) !== value) {
        throw new InputError({ file, line: record.line, column: user + 1 }, `expected one outcome per user, found ${shown(id)} again with another value`);
      }
      values.set(id, value);
    }
  }
  if (!header) throw new InputError({ file }, 'expected a header line, found an empty file');
  return { values, column: header[outcome]! };
}

/** k persona names: one per line in persona order, or a CSV with an id,name header. */
export async function readNames(file: string, k: number): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw asReadError(error, file);
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const names = new Array<string | undefined>(k);
  if (/^\s*id\s*,\s*name\s*$/i.test(lines[0] ?? '')) {
    lines.slice(1).forEach((line, i) => {
      if (line.trim() === '') return;
      const comma = line.indexOf(',');
      const id = Number(line.slice(0, comma));
      if (comma < 0 || !Number.isInteger(id) || id < 0 || id >= k) {
        throw new InputError({ file, line: i + 2 }, `expected "id,name" with an id from 0 to ${k - 1}, found ${shown(line)}`);
      }
      names[id] = line.slice(comma + 1).trim().replace(/^"(.*)"$/, '$1');
    });
  } else {
    lines.map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')).forEach((name, i) => { names[i] = name; });
  }
  const given = names.filter((n) => n !== undefined).length;
  if (given !== k || names.length !== k) {
    throw new PersonasError('BAD_INPUT', `${file}: expected ${k} persona names (one per line, or id,name rows), found ${names.filter(Boolean).length}`);
  }
  return names as string[];
}
