/**
 * @module cli/serve — `capgate serve`: load and plan the files, report every problem (located) before any port
 * opens, start the servers, then run: reload when the files change (and on SIGHUP), stop gracefully on SIGTERM or
 * SIGINT (no new connections, requests in flight may finish, upstream connections closed).
 */
import type { Logger } from '../common/log.ts';
import type { Plan } from '../plan/types.ts';
import { parseOverrides } from '../gateway/deps.ts';
import { Service, type ReloadReport } from '../gateway/service.ts';
import { startStdio } from '../gateway/stdio.ts';
import { watchFiles, type FileWatcher } from '../gateway/watch.ts';
import { createHttpClient } from '../consume/http.ts';
import { createLogger } from './logger.ts';
import { authOptionsFromEnv, httpOptionsFromEnv, taskOptionsFromEnv, type ServeArgs } from './serve-options.ts';

/** `capgate serve` with parsed arguments: start, then run until SIGINT or SIGTERM. */
export async function runServe(args: ServeArgs, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const log = createLogger({ level: args.logLevel, format: args.logFormat, file: args.logFile });
  const started = await startServe(args, env, { log });
  if (typeof started === 'number') return started;
  await runUntilStopped(started, log, (args.shutdownTimeout ?? 10) * 1000);
  return 0;
}

export interface Started {
  /** The plan being served now (it changes with reloads). */
  readonly plan: Plan;
  readonly urls: string[];
  readonly service: Service;
  reload(reason?: string): Promise<ReloadReport>;
  /** Stop accepting, let requests in flight finish for at most `graceMs`, close everything. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  readonly log?: Logger;
}

/** Load, plan, report and start; returns an exit code when nothing can be served. */
export async function startServe(
  args: ServeArgs,
  env: NodeJS.ProcessEnv = process.env,
  opts: StartOptions = {},
): Promise<Started | number> {
  const log = opts.log ?? createLogger({ level: args.logLevel, format: args.logFormat, file: args.logFile });
  const { overrides, errors } = parseOverrides([
    ...(env.CAPGATE_UPSTREAMS ? [env.CAPGATE_UPSTREAMS] : []),
    ...args.upstreams,
  ]);
  for (const e of errors) log.error(`error ${e}`);
  if (errors.length) return 2;
  const httpOptions = httpOptionsFromEnv(env);
  if ('error' in httpOptions) {
    log.error(`error ${httpOptions.error}`);
    return 2;
  }
  const authOptions = authOptionsFromEnv(env);
  if ('error' in authOptions) {
    log.error(`error ${authOptions.error}`);
    return 2;
  }
  const taskOptions = taskOptionsFromEnv(env);
  if ('error' in taskOptions) {
    log.error(`error ${taskOptions.error}`);
    return 2;
  }
  const service = await Service.create({
    paths: args.paths,
    partial: args.partial,
    env,
    deps: { overrides, http: createHttpClient(httpOptions) },
    gateway: {
      restPort: args.restPort,
      mcpPort: args.mcpPort,
      host: args.host,
      allowedHosts: args.allowedHosts,
      allowedOrigins: args.allowedOrigins,
      maxRestBodyBytes: args.maxBodyBytes,
      ...authOptions,
      ...taskOptions,
    },
    log,
    control: args.control === false ? false : { port: args.controlPort },
  });
  reportSkipped(service.plan, args.partial, log);
  if (args.stdio) return startStdio(service.plan, service.deps, (line) => log.info(line));
  let listeners;
  try {
    listeners = await service.start();
  } catch (err) {
    log.error(`error ${(err as Error).message}`);
    await service.stop();
    return 1;
  }
  const adapters = listeners.filter((l) => l.kind !== 'control');
  if (!adapters.length && args.watch === false) {
    log.error('nothing to serve: no valid REST or MCP adapter was loaded');
    await service.stop();
    return 1;
  }
  if (!listeners.length)
    log.warn('nothing to serve yet: no valid REST or MCP adapter was loaded; watching for capability files');
  for (const l of listeners)
    log.info({ kind: l.kind, url: l.url }, `capgate ${l.kind.toUpperCase()} listening on ${l.url}`);
  const watcher = args.watch === false ? undefined : startWatching(args.paths, service, log);
  return {
    get plan() {
      return service.plan;
    },
    // The adapters' URLs (the control listener is logged with the others, and in the service's status).
    urls: listeners.filter((l) => l.kind !== 'control').map((l) => l.url),
    service,
    reload: (reason = 'request') => service.reload([], reason),
    async stop(graceMs = 0) {
      await watcher?.close();
      await service.stop(graceMs);
    },
  };
}

/** Reload on every batch of file changes, and watch the files each reload found imported. */
function startWatching(paths: readonly string[], service: Service, log: Logger): FileWatcher {
  const watcher: FileWatcher = watchFiles(
    [...paths, ...service.files],
    (changed) => {
      service
        .reload(changed, 'files changed')
        .then(() => watcher.add(service.files))
        .catch(() => undefined); // the service has logged why
    },
    { onError: (err) => log.warn({ err }, 'file watching failed') },
  );
  return watcher;
}

/** Serve until SIGTERM or SIGINT (then stop gracefully); SIGHUP reloads. */
export function runUntilStopped(started: Started, log: Logger, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const reload = () => void started.reload('SIGHUP').catch(() => undefined);
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        // A second signal (Ctrl-C twice) means "now": do not wait for requests in flight.
        log.warn({ signal }, `${signal} again: exiting without waiting`);
        process.exit(1);
      }
      stopping = true;
      process.off('SIGHUP', reload);
      log.info({ signal, graceMs }, `${signal}: stopping (requests in flight may take up to ${graceMs} ms)`);
      void started.stop(graceMs).then(() => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        log.info('stopped');
        resolve();
      });
    };
    process.on('SIGHUP', reload);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function reportSkipped(plan: Plan, partial: boolean, log: Logger): void {
  if (!plan.invalidFiles.size) return;
  const how = partial
    ? 'serving only their valid routes and tools'
    : 'not served (use --partial to serve their valid parts)';
  log.warn({ files: plan.invalidFiles.size }, `${plan.invalidFiles.size} capability file(s) with errors: ${how}`);
}
