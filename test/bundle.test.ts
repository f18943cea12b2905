// The library bundles for browsers as is: esbuild, platform browser, no configuration, and no node:*
// module anywhere in the graph of its browser entries (the library, the worker client, the worker).
import { expect, test } from 'vitest';
import { build } from 'esbuild';

test.each(['index.ts', 'browser/index.ts', 'browser/persona-worker.ts'])('src/%s bundles for the browser without any node:* import', async (entry) => {
  const result = await build({
    entryPoints: [new URL(`../src/${entry}`, import.meta.url).pathname],
    bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile!.inputs);
  expect(inputs.some((i) => i.startsWith('node:'))).toBe(false);
  const imports = Object.values(result.metafile!.inputs).flatMap((i) => i.imports.map((x) => x.path));
  expect(imports.filter((p) => p.startsWith('node:') || ['fs', 'path', 'os', 'zlib'].includes(p))).toEqual([]);
  expect(result.outputFiles![0]!.text).toMatch(/AGFzbQ/); // the kernels travel inside the bundle (base64 of "\0asm")
});

test('the browser bundle (csv-parse\'s browser build included) reads CSV and NDJSON and fits', async () => {
  const entry = `
    import { ingestEvents, textSource, discoverPersonas } from ${JSON.stringify(new URL('../src/index.ts', import.meta.url).pathname)};
    const csv = 'user_id,event,count\\n' + Array.from({ length: 60 }, (_, i) => 'u' + i + ',' + (i % 3 === 0 ? 'a' : i % 3 === 1 ? 'b' : 'c') + ',' + (1 + (i % 4))).join('\\n') + '\\n"u0",b,1\\n';
    const r = await ingestEvents(textSource(csv, 'x.csv'));
    const j = await ingestEvents(textSource('{"userId":"u1","event":"a"}\\n{"userId":"u2","event":"b"}\\n', 'x.ndjson'));
    const p = await discoverPersonas(r.counts, r.events, { k: 3 });
    globalThis.__result = { users: r.summary.users, nonzeros: r.summary.nonzeros, vendor: j.summary.vendor, k: p.personas.length, simd: p.fit.simd };
  `;
  const out = await build({ stdin: { contents: entry, resolveDir: new URL('.', import.meta.url).pathname, loader: 'ts' }, bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' });
  const code = out.outputFiles![0]!.text;
  await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  expect((globalThis as Record<string, unknown>).__result).toEqual({ users: 60, nonzeros: 61, vendor: 'segment', k: 3, simd: true });
});
