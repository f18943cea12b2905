// IdMap: the user-id dictionary of the readers, past one Map's 2²⁴ entries and a dictionary object's
// ~8M-key slowdown. 20M ids would take a minute here, so the test fills just past one inner Map
// (2²³ ids) and checks lookups and updates on both sides of the boundary.
import { expect, test } from 'vitest';
import { IdMap } from '../src/ingest/id-map.js';

test('ids past one inner Map are found, updated and counted once', () => {
  const map = new IdMap();
  const n = (1 << 23) + 1000;
  for (let i = 0; i < n; i++) map.add(`u${i}`, i);
  expect(map.size).toBe(n);
  for (const i of [0, 1, (1 << 23) - 1, 1 << 23, n - 1]) expect(map.get(`u${i}`)).toBe(i);
  expect(map.get('nobody')).toBeUndefined();
  map.set('u5', -5); // in the first inner Map
  map.set(`u${n - 1}`, -1); // in the second
  map.set('new', 42);
  expect([map.get('u5'), map.get(`u${n - 1}`), map.get('new'), map.size]).toEqual([-5, -1, 42, n + 1]);
}, 60_000);
