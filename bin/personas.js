#!/usr/bin/env node
// The `personas` command. The program lives in dist/cli/main.js (built by `npm install` / `npm run build`).
import { main, removeTemporaryFilesOnInterrupt } from '../dist/cli/main.js';

removeTemporaryFilesOnInterrupt();
process.exitCode = await main(process.argv.slice(2));
