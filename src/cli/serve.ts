/**
 * @module cli/serve — `capgate serve`, `capgate simulate` and `capgate demo`: load, report
 * every problem (located) before any port opens, start the servers, stop cleanly on signals.
 */
import { loadCapabilities } from '../documents/index.ts';
import { formatProblem } from '../documents/problems.ts';
import { buildPlan } from '../plan/build.ts';
import type { Plan } from '../plan/types.ts';
import { createDeps, parseOverrides } from '../gateway/deps.ts';
import { createGateway } from '../gateway/gateway.ts';
import { startStdio } from '../gateway/stdio.ts';
import { missingSecretProblems } from '../secrets/report.ts';
import {
  authOptionsFromEnv,
  httpOptionsFromEnv,
  parseServeArgs,
  SERVE_USAGE,
  type ServeArgs,
} from './serve-options.ts';
import { createHttpClient } from '../consume/http.ts';

const log = (line: string) => process.stderr.write(line + '\n');

export async function runServe(argv: string[]): Promise<number> {
  const parsed = parseServeArgs(argv);
  if ('error' in parsed) {
    log(`${parsed.error}\n${SERVE_USAGE}`);
    return 2;
  }
  const started = await startServe(parsed);
  if (typeof started === 'number') return started;
  await waitForSignal();
  await started.stop();
  return 0;
}

export interface Started {
  stop(): Promise<void>;
  readonly plan: Plan;
  readonly urls: string[];
}

/** Load, plan, report and start; returns an exit code when nothing can be served. */
export async function startServe(args: ServeArgs, env: NodeJS.ProcessEnv = process.env): Promise<Started | number> {
  const { documents, missing } = await loadCapabilities(args.paths);
  for (const m of missing) log(`${m}: error FILE_NOT_FOUND no such file or directory`);
  const plan = buildPlan(documents, { partial: args.partial });
  const { overrides, errors } = parseOverrides([
    ...(env.CAPGATE_UPSTREAMS ? [env.CAPGATE_UPSTREAMS] : []),
    ...args.upstreams,
  ]);
  for (const e of errors) log(`error ${e}`);
  if (errors.length) return 2;
  const shown = plan.problems.filter((p) => p.severity !== 'info');
  for (const p of shown) log(formatProblem(p));
  for (const p of await missingSecretProblems(plan.capabilities, env, 'error')) log(formatProblem(p));
  reportSkipped(plan, args.partial);
  const httpOptions = httpOptionsFromEnv(env);
  if ('error' in httpOptions) {
    log(`error ${httpOptions.error}`);
    return 2;
  }
  const authOptions = authOptionsFromEnv(env);
  if ('error' in authOptions) {
    log(`error ${authOptions.error}`);
    return 2;
  }
  const deps = await createDeps(plan, { env, overrides, http: createHttpClient(httpOptions) });
  if (args.stdio) return startStdio(plan, deps, log);
  const gateway = createGateway(plan, deps, {
    restPort: args.restPort,
    mcpPort: args.mcpPort,
    host: args.host,
    log,
    ...authOptions,
  });
  let listeners;
  try {
    listeners = await gateway.start();
  } catch (err) {
    log(`error ${(err as Error).message}`);
    await gateway.stop();
    return 1;
  }
  if (!listeners.length) {
    log('nothing to serve: no valid REST or MCP adapter was loaded');
    return 1;
  }
  for (const l of listeners) log(`capgate ${l.kind.toUpperCase()} listening on ${l.url}`);
  return {
    plan,
    urls: listeners.map((l) => l.url),
    stop: async () => {
      await gateway.stop();
      await deps.http.close();
    },
  };
}

function reportSkipped(plan: Plan, partial: boolean): void {
  if (!plan.invalidFiles.size) return;
  const how = partial
    ? 'serving only their valid routes and tools'
    : 'not served (use --partial to serve their valid parts)';
  log(`${plan.invalidFiles.size} capability file(s) with errors: ${how}`);
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
