#!/usr/bin/env node
// capgate command-line entry: runs the compiled CLI in dist/ (built by `npm run build`, and by `npm ci` / `npm install` through `prepare`).
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('capgate: dist/ is missing; run `npm run build` (or `npm ci`) first\n');
  process.exit(1);
}
const { main: run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
