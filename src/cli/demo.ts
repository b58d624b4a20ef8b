/**
 * @module cli/demo — `capgate simulate` (the offline vendor simulator alone) and `capgate demo`
 * (simulator + gateway on the bundled capabilities, wired through upstream overrides and demo
 * tokens), so a fresh clone shows working REST and MCP endpoints with no keys and no network.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator, SIMULATOR_BASE_PATHS, SIMULATOR_TOKENS } from '../simulator/index.ts';
import { startServe } from './serve.ts';
import { parseServeArgs } from './serve-options.ts';

const log = (line: string) => process.stderr.write(line + '\n');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Consumed namespace of the bundled capabilities → simulator path, and the token env var. */
export const DEMO_WIRING = [
  { namespace: 'ampersand-operation', vendor: 'ampersand', env: 'AMPERSAND_API_KEY' },
  { namespace: 'amba', vendor: 'amba', env: 'AMBA_API_TOKEN' },
  { namespace: 'chainloop', vendor: 'chainloop', env: 'CHAINLOOP_API_TOKEN' },
  { namespace: 'bctrl', vendor: 'bctrl', env: 'BCTRL_API_TOKEN' },
] as const;

export function demoOverrides(simUrl: string): string[] {
  return DEMO_WIRING.map((w) => `${w.namespace}=${simUrl}${SIMULATOR_BASE_PATHS[w.vendor]}`);
}

export function demoEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...base };
  for (const w of DEMO_WIRING) env[w.env] = SIMULATOR_TOKENS[w.vendor];
  return env;
}

function portArg(argv: string[], flag: string, fallback: number): number {
  const i = argv.indexOf(flag);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
}

export async function runSimulate(argv: string[]): Promise<number> {
  const sim = await startSimulator({ port: portArg(argv, '--port', 8787) });
  log(`capgate simulator listening on ${sim.url}`);
  for (const [vendor, p] of Object.entries(SIMULATOR_BASE_PATHS))
    log(`  ${vendor.padEnd(10)} ${sim.url}${p}  (token ${SIMULATOR_TOKENS[vendor as keyof typeof SIMULATOR_TOKENS]})`);
  await signal();
  await sim.close();
  return 0;
}

export async function runDemo(argv: string[]): Promise<number> {
  const sim = await startSimulator({ port: portArg(argv, '--sim-port', 8787) });
  log(`capgate demo: simulator on ${sim.url}`);
  const rest = argv.filter((a, i) => a !== '--sim-port' && argv[i - 1] !== '--sim-port');
  const wired = [...rest, ...demoOverrides(sim.url).flatMap((o) => ['--upstream', o])];
  const own = parseServeArgs(wired);
  // Without paths of its own, the demo serves the bundled capabilities.
  const args =
    'error' in own && own.error.startsWith('no capability paths')
      ? parseServeArgs([...wired, path.join(ROOT, 'capabilities')])
      : own;
  if ('error' in args) {
    log(args.error);
    await sim.close();
    return 2;
  }
  const started = await startServe(args, demoEnv(process.env));
  if (typeof started === 'number') {
    await sim.close();
    return started;
  }
  log('try:  curl -s http://127.0.0.1:8080/v1/projects/demo-project/operations/3efc0f0f-4bb9-498f-996c-9893d98ca4b5');
  await signal();
  await started.stop();
  await sim.close();
  return 0;
}

function signal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
