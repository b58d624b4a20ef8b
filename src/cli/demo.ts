/**
 * @module cli/demo — `capgate simulate` (the offline vendor simulator alone) and `capgate demo`
 * (simulator + gateway on the bundled capabilities, wired through upstream overrides and demo
 * tokens), so a fresh clone shows working REST and MCP endpoints with no keys and no network.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AMBA_PROJECT_ID,
  AMPERSAND_PROJECT,
  BCTRL_WATCH_ID,
  SIMULATOR_BASE_PATHS,
  SIMULATOR_TOKENS,
  startSimulator,
  type RunningSimulator,
} from '../simulator/index.ts';
import type { Plan } from '../plan/types.ts';
import { runUntilStopped, startServe, type Started } from './serve.ts';
import { createLogger } from './logger.ts';
import type { ServeArgs } from './serve-options.ts';
import { listenFailure } from './ports.ts';

type Log = (line: string) => void;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SIM_HOST = '127.0.0.1';

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

/** Start the simulator, or say in one line why it cannot listen. */
async function simulator(port: number, log: Log): Promise<RunningSimulator | undefined> {
  try {
    return await startSimulator({ port, host: SIM_HOST });
  } catch (err) {
    log(`error ${listenFailure(err, SIM_HOST, port)}`);
    return undefined;
  }
}

export async function runSimulate(port: number, log: Log): Promise<number> {
  const sim = await simulator(port, log);
  if (!sim) return 1;
  log(`capgate simulator listening on ${sim.url}`);
  for (const [vendor, p] of Object.entries(SIMULATOR_BASE_PATHS))
    log(`  ${vendor.padEnd(10)} ${sim.url}${p}  (token ${SIMULATOR_TOKENS[vendor as keyof typeof SIMULATOR_TOKENS]})`);
  await signal();
  await sim.close();
  return 0;
}

/** `capgate demo`: the simulator, then serve wired to it (the bundled capabilities unless paths are given). */
export async function runDemo(args: ServeArgs, simPort: number, env: NodeJS.ProcessEnv, log: Log): Promise<number> {
  const sim = await simulator(simPort, log);
  if (!sim) return 1;
  const bundled = !args.paths.length;
  const logger = createLogger({ level: args.logLevel, format: args.logFormat, file: args.logFile });
  const started = await startServe(
    {
      ...args,
      paths: bundled ? [path.join(ROOT, 'capabilities')] : args.paths,
      upstreams: [...args.upstreams, ...demoOverrides(sim.url)],
    },
    demoEnv(env),
    { log: logger },
  );
  if (typeof started === 'number') {
    await sim.close();
    return started;
  }
  log(demoBanner(started, sim.url, bundled).join('\n'));
  await runUntilStopped(started, logger, (args.shutdownTimeout ?? 10) * 1000);
  await sim.close();
  return 0;
}

/** Where the demo listens, and, on the bundled capabilities, commands to try that use those URLs. */
export function demoBanner(started: Pick<Started, 'plan' | 'urls'>, simUrl: string, bundled: boolean): string[] {
  const mcpUrls = started.urls.filter((u) => u.endsWith('/mcp'));
  const restUrls = started.urls.filter((u) => !u.endsWith('/mcp'));
  const lines = [
    'capgate demo is ready (Ctrl-C stops it):',
    ...restUrls.map((u) => `  REST       ${u}`),
    ...mcpUrls.map((u) => `  MCP        ${u}`),
    `  simulator  ${simUrl}`,
  ];
  if (!bundled) return lines;
  const ampersand = `/v1/projects/${AMPERSAND_PROJECT.name}/operations/3efc0f0f-4bb9-498f-996c-9893d98ca4b5`;
  const watch = `/operations/bctrl/${BCTRL_WATCH_ID}`;
  const rest = (p: string) => `${restUrlFor(started.plan, restUrls, p)}${p}`;
  const purchase = `/amba/projects/${AMBA_PROJECT_ID}/domains/purchase`;
  const inspector = `npx -y @modelcontextprotocol/inspector --cli ${mcpUrls[0]} --transport http`;
  lines.push(
    'try it:',
    '  # one REST route (an Ampersand operation, served from the simulator)',
    `  curl -s ${rest(ampersand)}`,
    '  # watch a bctrl browser run: the answer waits until it settles (about 7 s, steps 1 to 6)',
    `  curl -s -H 'Prefer: wait=15' ${rest(watch)}`,
    '  # start a domain purchase as a task: 202 with a Location to poll (add Prefer: wait=10 there to wait)',
    `  curl -si -X POST ${rest(purchase)} -H 'Prefer: respond-async' -H 'content-type: application/json' -d '{"domain":"acme-robotics.dev"}'`,
  );
  if (mcpUrls.length)
    lines.push(
      "  # MCP with the MCP Inspector's command-line mode; the wait tool reports each step as progress",
      `  ${inspector} --method tools/list`,
      `  ${inspector} --method tools/call --tool-name bctrl-wait-for-operation --tool-arg id=${BCTRL_WATCH_ID} --tool-arg maxWaitSeconds=15`,
    );
  return lines;
}

/** The REST listener that serves `path`: the only one, or the one on the port whose routes include it. */
function restUrlFor(plan: Plan, restUrls: readonly string[], path: string): string {
  if (restUrls.length <= 1) return restUrls[0] ?? '';
  const server = plan.rest.find((s) =>
    s.routes.some((r) => new RegExp(`^${r.path.replace(/:[^/]+/g, '[^/]+')}$`).test(path)),
  );
  return restUrls.find((u) => server && new URL(u).port === String(server.port)) ?? restUrls[0];
}

function signal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
