/**
 * @module serve-args — parse `capgate serve` flags into a typed, validated object.
 */

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
  --stdio                 serve the MCP tools over stdin/stdout (logs on stderr)`;

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
