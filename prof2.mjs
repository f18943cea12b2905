import { readCsv } from './dist/ingest/read-csv.js';
import { nodeSource } from './dist/node/file-source.js';
import { ingestEvents } from './dist/index.js';
const f = 'bench/data/events10m.csv';
const which = process.argv[2];
const t0 = performance.now(); let n = 0;
if (which === 'readCsv') {
  const src = await nodeSource(f);
  for await (const batch of readCsv(src.open(), { file: f, maxRecordChars: 1 << 20, skipInvalid: false, onSkip() {} })) n += batch.length;
} else if (which === 'decode-only') {
  const src = await nodeSource(f);
  for await (const c of src.open()) n += c.length;
} else {
  const r = await ingestEvents(await nodeSource(f)); n = r.summary.rowsRead;
}
console.log(which, n, ((performance.now() - t0) / 1000).toFixed(2), 's', 'maxRSS', (process.resourceUsage().maxRSS / 1024).toFixed(0), 'MiB');
