/**
 * @module cli/serve-options — the `serve` options, declared once (flag, help, environment default,
 * parser) and shared by `serve`, `demo` and `inspect`; turns parsed flags plus environment into
 * the typed ServeArgs that startServe takes.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { HttpClientOptions } from '../consume/http.ts';
import { parsePort } from './ports.ts';
import { LOG_LEVELS, type LogFormat, type LogLevel } from './logger.ts';
import { MIN_TASK_KEY_LENGTH } from '../invoke/task-handle.ts';

export interface ServeArgs {
  readonly paths: string[];
  readonly upstreams: string[];
  readonly restPort?: number;
  readonly mcpPort?: number;
  readonly host?: string;
  /** Host names answered besides the loopback ones (both ports). */
  readonly allowedHosts?: string[];
  /** Browser origins allowed to call (CORS on REST, the Origin check on both). */
  readonly allowedOrigins?: string[];
  readonly maxBodyBytes?: number;
  readonly partial: boolean;
  readonly stdio: boolean;
  /** Reload when capability files change (default on). */
  readonly watch?: boolean;
  /** Where the control listener (health, metrics, status, reload) listens when no file declares one (default 9091). */
  readonly controlPort?: number;
  /** False: no control listener at all. */
  readonly control?: boolean;
  readonly logLevel?: LogLevel;
  readonly logFormat?: LogFormat;
  /** Also append every log line, as JSON, to this file. */
  readonly logFile?: string;
  /** How long requests in flight may take to finish on SIGTERM/SIGINT, in seconds (default 10). */
  readonly shutdownTimeout?: number;
}

type OptionKey = Exclude<keyof ServeArgs, 'paths'>;

interface ServeOption {
  readonly flags: string;
  readonly help: string;
  /** Environment variable that supplies the value when the flag is absent (parsed like the flag). */
  readonly env?: string;
  readonly parse?: (value: string, previous: unknown) => unknown;
}

const collect = (value: string, previous: unknown) => [...((previous as string[] | undefined) ?? []), value];

function oneOf(what: string, allowed: readonly string[]) {
  return (value: string) => {
    if (!allowed.includes(value)) throw new InvalidArgumentError(`A ${what} is one of ${allowed.join(', ')}.`);
    return value;
  };
}

/** A repeatable flag, or a comma-separated environment value. */
function list(value: string, previous: unknown): string[] {
  return [
    ...((previous as string[] | undefined) ?? []),
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n <= 0)
    throw new InvalidArgumentError('A size is a positive whole number of bytes.');
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !Number.isFinite(n))
    throw new InvalidArgumentError('A duration is a number of seconds.');
  return n;
}

/**
 * Every serve option, one line each, keyed by its ServeArgs field (the type makes a new field need
 * its line here). CAPGATE_UPSTREAMS is not read here: startServe merges it with --upstream.
 */
// prettier-ignore
export const SERVE_OPTIONS: { readonly [K in OptionKey]: ServeOption } = {
  upstreams: { flags: '--upstream <ns=url>', help: 'point a consumed namespace at another base URL (repeatable; env CAPGATE_UPSTREAMS="ns=url,ns2=url" adds more)', parse: collect },
  restPort: { flags: '--rest-port <port>', help: 'serve every REST adapter on this port (they merge; 0 = any free port)', env: 'CAPGATE_REST_PORT', parse: parsePort },
  mcpPort: { flags: '--mcp-port <port>', help: 'serve every MCP adapter on this port (they merge; 0 = any free port)', env: 'CAPGATE_MCP_PORT', parse: parsePort },
  host: { flags: '--host <addr>', help: "bind address for adapters that declare no 'address' (default 127.0.0.1)", env: 'CAPGATE_HOST' },
  allowedHosts: { flags: '--allowed-host <name>', help: 'a Host name (name or name:port) the ports answer besides the loopback names (repeatable; env CAPGATE_ALLOWED_HOSTS, comma-separated)', env: 'CAPGATE_ALLOWED_HOSTS', parse: list },
  allowedOrigins: { flags: '--allowed-origin <origin>', help: 'a browser origin allowed to call (repeatable; env CAPGATE_ALLOWED_ORIGINS, comma-separated)', env: 'CAPGATE_ALLOWED_ORIGINS', parse: list },
  maxBodyBytes: { flags: '--max-body-bytes <n>', help: 'largest REST request body (default 10485760); larger ones get 413', env: 'CAPGATE_MAX_BODY_BYTES', parse: positiveInteger },
  partial: { flags: '--partial', help: 'serve the valid routes and tools of files that have errors (by default such a file is not served)' },
  stdio: { flags: '--stdio', help: 'serve the MCP tools over stdin/stdout (newline-delimited JSON-RPC; logs on stderr)' },
  controlPort: { flags: '--control-port <port>', help: 'port of the control listener: /health/live, /health/ready, /metrics, /status, POST /reload (default 9091, on 127.0.0.1)', env: 'CAPGATE_CONTROL_PORT', parse: parsePort },
  control: { flags: '--no-control', help: 'open no control listener' },
  watch: { flags: '--no-watch', help: 'do not reload when capability files change (SIGHUP still reloads)' },
  logLevel: { flags: '--log-level <level>', help: `log level: ${LOG_LEVELS.join(', ')} (default info)`, env: 'CAPGATE_LOG_LEVEL', parse: oneOf('log level', LOG_LEVELS) },
  logFormat: { flags: '--log-format <format>', help: 'json (one object per line) or pretty (default: pretty on a terminal, json otherwise)', env: 'CAPGATE_LOG_FORMAT', parse: oneOf('log format', ['json', 'pretty']) },
  logFile: { flags: '--log-file <path>', help: 'also append every log line, as JSON, to this file', env: 'CAPGATE_LOG_FILE' },
  shutdownTimeout: { flags: '--shutdown-timeout <seconds>', help: 'on SIGTERM/SIGINT, how long requests in flight may take to finish (default 10)', env: 'CAPGATE_SHUTDOWN_TIMEOUT', parse: seconds },
};

/** The environment variables of the upstream HTTP client, shown after the serve options. */
export const UPSTREAM_ENV_HELP = `
Upstream client limits (environment):
  CAPGATE_UPSTREAM_TIMEOUT_MS   upstream request timeout (default 30000)
  CAPGATE_CONNECT_TIMEOUT_MS    upstream connect timeout (default 5000)
  CAPGATE_UPSTREAM_CONNECTIONS  keep-alive sockets per upstream origin (default 256)
  CAPGATE_MAX_RESPONSE_BYTES    largest upstream body accepted (default 10485760)
Digest adapters (environment): CAPGATE_DIGEST_KEY signs nonces, the same on every replica (default: random)
Tasks (environment): CAPGATE_TASK_KEY signs task ids and status URLs, the same on every replica (32+ characters;
  default: random per process, with a warning)`;

const ALL_KEYS = Object.keys(SERVE_OPTIONS) as OptionKey[];

/** Declare the serve options (all, or the listed ones) on a command. */
export function addServeOptions(cmd: Command, keys: readonly OptionKey[] = ALL_KEYS): Command {
  for (const key of keys) {
    const spec: ServeOption = SERVE_OPTIONS[key];
    const option = new Option(spec.flags, spec.env ? `${spec.help} (env ${spec.env})` : spec.help);
    if (spec.parse) option.argParser(spec.parse);
    cmd.addOption(option);
  }
  return cmd;
}

/**
 * The ServeArgs of a parsed command: its flags, and for each flag not given on the command line
 * the environment variable declared for it. A bad environment value is an error naming the variable.
 */
export function serveArgsFrom(cmd: Command, paths: string[], env: NodeJS.ProcessEnv): ServeArgs | { error: string } {
  const out: Record<string, unknown> = { paths, upstreams: [], partial: false, stdio: false };
  for (const key of ALL_KEYS) {
    const spec: ServeOption = SERVE_OPTIONS[key];
    const option = cmd.options.find((o) => o.flags === spec.flags);
    if (!option) continue;
    const name = option.attributeName();
    const value = cmd.getOptionValue(name) as unknown;
    const raw = spec.env ? env[spec.env] : undefined;
    if (cmd.getOptionValueSource(name) !== 'cli' && spec.env && raw !== undefined && raw !== '') {
      try {
        out[key] = spec.parse ? spec.parse(raw, undefined) : raw;
      } catch (err) {
        const why = err instanceof InvalidArgumentError ? ` ${err.message}` : '';
        return { error: `environment variable ${spec.env} '${raw}' is invalid.${why}` };
      }
    } else if (value !== undefined) out[key] = value;
  }
  return out as unknown as ServeArgs;
}

/** The `serve` command's shape: description, paths, options and help (used by the program and by parseServeArgs). */
export function declareServe(cmd: Command): Command {
  cmd
    .summary('serve the REST and MCP adapters of capability files')
    .description(
      'serve every REST and MCP adapter of the capability files; every problem is printed before a port opens',
    )
    .argument('<paths...>', 'capability files or folders (recursive *.yml / *.yaml)');
  addServeOptions(cmd);
  return cmd.addHelpText('after', UPSTREAM_ENV_HELP);
}

/**
 * `capgate serve` arguments to ServeArgs without running anything: the same declaration the
 * program uses, for callers that start the gateway in process (tests, tools).
 */
export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeArgs | { error: string } {
  let result: ServeArgs | { error: string } = { error: 'no capability paths given' };
  const cmd = declareServe(new Command('serve'))
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined })
    .action((paths: string[], _opts: unknown, self: Command) => {
      result = serveArgsFrom(self, paths, env);
    });
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (err) {
    return { error: (err as Error).message.replace(/^error: /, '') };
  }
  return result;
}

const HTTP_ENV: Array<[keyof HttpClientOptions, string]> = [
  ['requestTimeoutMs', 'CAPGATE_UPSTREAM_TIMEOUT_MS'],
  ['totalTimeoutMs', 'CAPGATE_UPSTREAM_TOTAL_TIMEOUT_MS'],
  ['connectTimeoutMs', 'CAPGATE_CONNECT_TIMEOUT_MS'],
  ['connectionsPerOrigin', 'CAPGATE_UPSTREAM_CONNECTIONS'],
  ['maxResponseBytes', 'CAPGATE_MAX_RESPONSE_BYTES'],
];

/** Upstream client limits from the environment; unset keeps the defaults, nonsense is an error. */
export function httpOptionsFromEnv(env: NodeJS.ProcessEnv): HttpClientOptions | { error: string } {
  const out: Record<string, number> = {};
  for (const [key, name] of HTTP_ENV) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0) return { error: `${name} must be a positive integer (got '${raw}')` };
    out[key] = n;
  }
  return out as HttpClientOptions;
}

/** Shortest CAPGATE_DIGEST_KEY accepted: a key that signs nonces should not be guessable. */
const MIN_DIGEST_KEY_LENGTH = 16;

/**
 * Adapter authentication settings from the environment: CAPGATE_DIGEST_KEY, the key that signs Digest nonces,
 * the same on every replica. Unset keeps a random key per process. The value is never echoed.
 */
export function authOptionsFromEnv(env: NodeJS.ProcessEnv): { digestKey?: string } | { error: string } {
  const key = env.CAPGATE_DIGEST_KEY;
  if (key === undefined || key === '') return {};
  if (key.length < MIN_DIGEST_KEY_LENGTH)
    return { error: `CAPGATE_DIGEST_KEY must be at least ${MIN_DIGEST_KEY_LENGTH} characters long` };
  return { digestKey: key };
}

/**
 * The key that signs task ids and REST task status URLs (CAPGATE_TASK_KEY), the same on every replica so any of them
 * answers for a task another started. Unset keeps a random key per process (the service warns). Never echoed.
 */
export function taskOptionsFromEnv(env: NodeJS.ProcessEnv): { taskKey?: string } | { error: string } {
  const key = env.CAPGATE_TASK_KEY;
  if (key === undefined || key === '') return {};
  if (key.length < MIN_TASK_KEY_LENGTH)
    return { error: `CAPGATE_TASK_KEY must be at least ${MIN_TASK_KEY_LENGTH} characters long` };
  return { taskKey: key };
}
