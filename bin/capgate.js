#!/usr/bin/env node
// capgate CLI launcher: registers the TypeScript loader, then hands argv to src/cli.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
