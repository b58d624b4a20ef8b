/**
 * @module cli/serve-options — parse `capgate serve` flags and environment into typed, validated options.
 */
import type { HttpClientOptions } from '../consume/http.ts';

export interface ServeArgs {
  readonly paths: string[];
  readonly upstreams: string[];
  readonly restPort?: number;
  readonly mcpPort?: number;
  readonly host?: string;
  readonly partial: boolean;
  readonly stdio: boolean;
}

export const SERVE_USAGE = `usage: capgate serve [options] <paths…>
  --upstream <ns>=<url>   point a consumed namespace at another base URL (repeatable;
                          env CAPGATE_UPSTREAMS="ns=url,ns2=url")
  --rest-port <n>         serve every REST adapter on this port (env CAPGATE_REST_PORT)
  --mcp-port <n>          serve every MCP adapter on this port (env CAPGATE_MCP_PORT)
  --host <addr>           bind address for adapters without 'address' (default 127.0.0.1)
  --partial               serve the valid routes/tools of files that have errors
  --stdio                 serve the MCP tools over stdin/stdout (logs on stderr)
upstream limits (environment): CAPGATE_UPSTREAM_TIMEOUT_MS (30000), CAPGATE_CONNECT_TIMEOUT_MS (5000),
  CAPGATE_UPSTREAM_CONNECTIONS per origin (256), CAPGATE_MAX_RESPONSE_BYTES (10485760)`;

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

export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeArgs | { error: string } {
  const paths: string[] = [];
  const upstreams: string[] = [];
  let restPort = portOf(env.CAPGATE_REST_PORT);
  let mcpPort = portOf(env.CAPGATE_MCP_PORT);
  let host = env.CAPGATE_HOST;
  let partial = false;
  let stdio = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--upstream') upstreams.push(next() ?? '');
    else if (a === '--rest-port') restPort = portOf(next()) ?? NaN;
    else if (a === '--mcp-port') mcpPort = portOf(next()) ?? NaN;
    else if (a === '--host') host = next();
    else if (a === '--partial') partial = true;
    else if (a === '--stdio') stdio = true;
    else if (a.startsWith('--')) return { error: `unknown option ${a}` };
    else paths.push(a);
  }
  if (Number.isNaN(restPort) || Number.isNaN(mcpPort)) return { error: 'ports must be integers between 0 and 65535' };
  if (!paths.length) return { error: 'no capability paths given' };
  return { paths, upstreams, restPort, mcpPort, host, partial, stdio };
}

function portOf(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : NaN;
}
