// Builds the persona explorer page into web/dist/ (esbuild: the page script and the persona worker
// as two ES modules, plus the HTML and CSS), and measures what a web app pays to ship the library:
// gzip sizes of the library's browser entry and of the page, written to web/dist/sizes.json.
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'web/dist');
const common = { bundle: true, platform: 'browser', format: 'esm', target: 'es2022', minify: true, sourcemap: true, logLevel: 'warning' };

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  ...common,
  entryPoints: { app: join(root, 'web/app.ts'), 'persona-worker': join(root, 'src/browser/persona-worker.ts') },
  outdir: out,
});
for (const file of ['index.html', 'app.css']) await copyFile(join(root, 'web', file), join(out, file));

// The library as an app would ship it: everything the browser entry exports, minified.
const library = await build({ ...common, sourcemap: false, entryPoints: [join(root, 'src/browser/index.ts')], write: false, metafile: true });
const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
const page = await Promise.all(['index.html', 'app.css', 'app.js', 'persona-worker.js'].map((f) => readFile(join(out, f))));
const sizes = {
  library: { bytes: library.outputFiles[0].contents.length, gzip: gz(library.outputFiles[0].contents), parts: parts(library.metafile) },
  page: {
    bytes: page.reduce((s, b) => s + b.length, 0),
    gzip: page.reduce((s, b) => s + gz(b), 0),
    files: Object.fromEntries(['index.html', 'app.css', 'app.js', 'persona-worker.js'].map((f, i) => [f, { bytes: page[i].length, gzip: gz(page[i]) }])),
  },
};
/** Minified bytes by origin: each dependency, each embedded kernel binary, and our own code. */
function parts(metafile) {
  const bytes = {};
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const part = input.startsWith('node_modules/') ? input.split('/')[1] : input.startsWith('src/wasm/binaries/') ? `kernels (${input.slice(18, -3)}, base64)` : 'personas';
      bytes[part] = (bytes[part] ?? 0) + bytesInOutput;
    }
  }
  return Object.fromEntries(Object.entries(bytes).sort((a, b) => b[1] - a[1]));
}
await writeFile(join(out, 'sizes.json'), JSON.stringify(sizes, null, 2) + '\n');
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`web/dist: library ${kb(sizes.library.gzip)} gzip (${kb(sizes.library.bytes)}), page ${kb(sizes.page.gzip)} gzip (${kb(sizes.page.bytes)})`);
