import { expect, test } from 'vitest';
import { main } from '../src/cli/main.js';
import { capture } from './cli-helpers.js';

const data = (p: string) => new URL(`../data/${p}`, import.meta.url).pathname;

test('personas inspect: the summary on stdout, as text or JSON', async () => {
  const text = capture();
  expect(await main(['inspect', data('msweb-uci/events.csv.gz'), '--top-events', '50'], text)).toBe(0);
  expect(text.out).toMatch(/users: 35,792 \(1,919 more set aside: no selected event\) · events: 50 of 286 seen .*dense/);
  const json = capture();
  expect(await main(['inspect', data('msweb-uci/events.csv.gz'), '--json'], json)).toBe(0);
  expect(JSON.parse(json.out).input).toMatchObject({ users: 37711, events: 286, nonzeros: 113845, storage: 'csr' });
});

test('progress bars go to stderr only when it is a terminal', async () => {
  const tty = { ...capture(), stderrIsTTY: true };
  const io = Object.assign(tty, { stdout: (s: string) => void (tty.out += s), stderr: (s: string) => void (tty.err += s) });
  expect(await main(['fit', data('oulad-vle/events.csv.gz'), '-k', '3'], io)).toBe(0);
  expect(io.err).toMatch(/\r\x1b\[2K\[[█·]+\] \d+% iteration/);
  const pipe = capture();
  expect(await main(['fit', data('oulad-vle/events.csv.gz'), '-k', '3'], pipe)).toBe(0);
  expect(pipe.err).not.toMatch(/\r/);
});
