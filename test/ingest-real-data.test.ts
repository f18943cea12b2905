// The real data sets in ../shared/data: users, events and non-zeros equal the numbers in each README.
import { describe, expect, test } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { ingestEvents } from '../src/index.js';
import { nodeSource } from '../src/node/file-source.js';

// Copies of ../shared/data, gzip-compressed (data/README.md).
const DATA = new URL('../data/', import.meta.url).pathname;

describe.each(['msweb-uci', 'oulad-vle', 'stackexchange-quantumcomputing'])('%s', (name) => {
  test('matches its README', async () => {
    const readme = readFileSync(`${DATA}${name}/README.md`, 'utf8');
    const numbers = /users=(\d+) events=(\d+) nonzeros=(\d+)/.exec(readme)!;
    const [users, events, nonzeros] = [1, 2, 3].map((i) => Number(numbers[i]));
    const r = await ingestEvents(await nodeSource(`${DATA}${name}/events.csv${existsSync(`${DATA}${name}/events.csv.gz`) ? '.gz' : ''}`));
    expect(r.summary).toMatchObject({ users, events, nonzeros, rowsRead: nonzeros, rowsUsed: nonzeros, skipped: {} });
    const total = Number(/total_count=(\d+)/.exec(readme)![1]);
    expect(r.counts.data.reduce((a, b) => a + b, 0)).toBe(total);
  });
});

test('the data sets are where the README says', () => {
  expect(existsSync(`${DATA}oulad-vle/events.csv.gz`)).toBe(true);
});
