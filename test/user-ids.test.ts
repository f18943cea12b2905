// User ids at scale: IdMap, the readers' id dictionary, past one Map's 2²⁴ entries and a dictionary
// object's ~8M-key slowdown (20M ids would take a minute here, so the test fills just past one inner
// Map of 2²³ and checks both sides of the boundary); FingerprintSet, the streamed fits' repeated-id check.
import { expect, test } from 'vitest';
import { IdMap } from '../src/ingest/id-map.js';
import { FingerprintSet, fingerprint } from '../src/ingest/id-fingerprints.js';

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

test('fingerprints: 52-bit integers; repeated() finds the ids seen twice among a million and nothing else', () => {
  const ids = new FingerprintSet();
  for (let i = 0; i < 1_000_000; i++) ids.add(`user-${i}@example.com`);
  expect(ids.repeated().size).toBe(0);
  ids.add('user-17@example.com');
  ids.add('user-999999@example.com');
  expect(ids.repeated()).toEqual(new Set([fingerprint('user-17@example.com'), fingerprint('user-999999@example.com')]));
  for (const id of ['', 'u', 'ü', 'a much longer id with spaces and ünïcödé']) {
    const f = fingerprint(id);
    expect(Number.isInteger(f) && f >= 0 && f < 2 ** 52).toBe(true);
  }
});
