// The library bundles for browsers as is: esbuild, platform browser, no configuration, and no node:*
// module anywhere in the graph of src/index.ts.
import { expect, test } from 'vitest';
import { build } from 'esbuild';

test('src/index.ts bundles for the browser without any node:* import', async () => {
  const result = await build({
    entryPoints: [new URL('../src/index.ts', import.meta.url).pathname],
    bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile!.inputs);
  expect(inputs.some((i) => i.startsWith('node:'))).toBe(false);
  const imports = Object.values(result.metafile!.inputs).flatMap((i) => i.imports.map((x) => x.path));
  expect(imports.filter((p) => p.startsWith('node:') || ['fs', 'path', 'os', 'zlib'].includes(p))).toEqual([]);
  expect(result.outputFiles![0]!.text).toMatch(/AGFzbQ/); // the kernels travel inside the bundle (base64 of "\0asm")
});
