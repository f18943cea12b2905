#!/usr/bin/env node
// Runs a benchmark suite: bundles bench/<suite>.bench.ts (which imports the library's TypeScript
// sources and the test oracles) with esbuild, then runs it in this Node process.
//   node bench/run.mjs                 the regression suite (npm run bench; bench:check compares it)
//   node bench/run.mjs kernels [--quick]
//   node bench/run.mjs fit [--users 100000] [--quick]
import { build } from 'esbuild';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [suite = 'regression', ...args] = process.argv.slice(2);
const entry = join(root, 'bench', `${suite}.bench.ts`);
const outfile = join(root, 'bench', '.out', `${suite}.mjs`);
await mkdir(dirname(outfile), { recursive: true });
await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning', target: 'node20' });
process.env.PERSONAS_ROOT = root; // bundled suites live in bench/.out: paths go from the repository root
const { main } = await import(pathToFileURL(outfile).href);
await main(args);
