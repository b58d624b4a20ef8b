/**
 * @module cli/inspect — `capgate inspect <paths…>`: the merged topology `serve` would serve (ports,
 * REST routes with their upstream operation or forward target, MCP tools with their inputs), as a
 * table or one JSON object. It loads and plans like validate and opens no port.
 */
import { loadCapabilities } from '../documents/index.ts';
import { buildPlan } from '../plan/build.ts';
import type { McpAdapterPlan, McpToolPlan, OperationPlan, Plan } from '../plan/types.ts';
import { parseOverrides } from '../gateway/deps.ts';
import { DEFAULT_HOST, mergeMcpPorts, mergeRestPorts } from '../gateway/gateway.ts';

export type Target =
  | { readonly kind: 'call'; readonly operation: string }
  | { readonly kind: 'steps'; readonly operations: string[] }
  | { readonly kind: 'forward'; readonly namespace: string; readonly url: string | null }
  | { readonly kind: 'function'; readonly name: string }
  | { readonly kind: 'mock' };

export interface RouteView {
  readonly method: string;
  readonly path: string;
  readonly capability: string;
  readonly file: string;
  readonly adapter: string;
  readonly target: Target;
}

export interface ToolView {
  readonly name: string;
  readonly capability: string;
  readonly file: string;
  readonly target: Target;
  readonly inputs: Array<{ name: string; type?: string; required: boolean }>;
}

export interface Topology {
  /** One entry per REST listener; `url` is null for port 0 (any free port, known only once listening). */
  readonly rest: Array<{ port: number; host: string; url: string | null; adapters: string[]; routes: RouteView[] }>;
  readonly mcp: Array<{ port: number; host: string; url: string | null; adapters: string[]; tools: ToolView[] }>;
  /** MCP adapters declared with `transport: stdio` (served, with the others, by `serve --stdio`). */
  readonly stdio: Array<{ adapter: string; tools: ToolView[] }>;
}

export interface InspectSettings {
  readonly restPort?: number;
  readonly mcpPort?: number;
  readonly host?: string;
  /** Upstream base URL overrides by namespace (`--upstream`, CAPGATE_UPSTREAMS). */
  readonly overrides?: ReadonlyMap<string, string>;
}

/** What the gateway would listen on for this plan and these settings (the same port merging). */
export function inspectPlan(plan: Plan, settings: InspectSettings): Topology {
  const hostOf = (s: { address?: string }) => s.address ?? settings.host ?? DEFAULT_HOST;
  const urlOf = (host: string, port: number, suffix = '') =>
    port === 0 ? null : `http://${host.includes(':') ? `[${host}]` : host}:${port}${suffix}`;
  const target = (op: OperationPlan) => targetOf(op, settings.overrides);
  return {
    rest: mergeRestPorts(plan.rest, settings.restPort).map((s) => ({
      port: s.port,
      host: hostOf(s),
      url: urlOf(hostOf(s), s.port),
      adapters: s.adapters.map((a) => a.namespace),
      routes: s.routes.map((r) => ({
        method: r.method,
        path: r.specPath,
        capability: r.operation.capability.name,
        file: r.adapter.capability.file,
        adapter: r.adapter.namespace,
        target: target(r.operation),
      })),
    })),
    mcp: mergeMcpPorts(plan.mcp, settings.mcpPort).map((s) => ({
      port: s.port,
      host: hostOf(s),
      url: urlOf(hostOf(s), s.port, '/mcp'),
      adapters: s.adapters.map((a) => a.adapter.namespace),
      tools: s.adapters.flatMap((a) => toolViews(a, target)),
    })),
    stdio: plan.stdio.map((a) => ({ adapter: a.adapter.namespace, tools: toolViews(a, target) })),
  };
}

function toolViews(a: McpAdapterPlan, target: (op: OperationPlan) => Target): ToolView[] {
  return a.tools.map((t) => ({
    name: t.name,
    capability: t.operation.capability.name,
    file: a.adapter.capability.file,
    target: target(t.operation),
    inputs: inputsOf(t),
  }));
}

function inputsOf(t: McpToolPlan): ToolView['inputs'] {
  const props = (t.inputSchema.properties ?? {}) as Record<string, { type?: unknown }>;
  const required = new Set(Array.isArray(t.inputSchema.required) ? (t.inputSchema.required as string[]) : []);
  return Object.entries(props).map(([name, schema]) => {
    const type =
      typeof schema?.type === 'string' ? schema.type : Array.isArray(schema?.type) ? schema.type.join('|') : undefined;
    return { name, ...(type ? { type } : {}), required: required.has(name) };
  });
}

function targetOf(op: OperationPlan, overrides?: ReadonlyMap<string, string>): Target {
  const a = op.action;
  switch (a.kind) {
    case 'call':
      return { kind: 'call', operation: `${a.op.upstream.namespace}.${a.op.name}` };
    case 'steps':
      return {
        kind: 'steps',
        operations: a.steps.flatMap((s) => (s.kind === 'call' ? [`${s.op.upstream.namespace}.${s.op.name}`] : [])),
      };
    case 'forward': {
      const ns = a.upstream.namespace;
      return { kind: 'forward', namespace: ns, url: overrides?.get(ns) ?? a.upstream.baseUri?.source ?? null };
    }
    case 'function':
      return { kind: 'function', name: a.fn.name ?? a.fn.id };
    case 'mock':
      return { kind: 'mock' };
  }
}

function targetText(t: Target): string {
  switch (t.kind) {
    case 'call':
      return t.operation;
    case 'steps':
      return `steps ${t.operations.join(', ')}`;
    case 'forward':
      return `forward ${t.namespace} (${t.url ?? `no base URL: set --upstream ${t.namespace}=<url>`})`;
    case 'function':
      return `function ${t.name}`;
    case 'mock':
      return 'mock (no upstream)';
  }
}

/** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i].length))) ?? [];
  return rows.map((r) => `  ${r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i] + 2) : c)).join('')}`);
}

function where(port: number, host: string, url: string | null): string {
  return url ?? `port 0 on ${host} (any free port)`;
}

function toolRows(tools: readonly ToolView[]): string[] {
  const inputs = (t: ToolView) =>
    t.inputs.map((i) => `${i.name}${i.required ? '*' : ''}${i.type ? `: ${i.type}` : ''}`).join(', ') || '(no inputs)';
  return table(tools.map((t) => [t.name, t.file, inputs(t)]));
}

/** The topology as a readable table: per listener, its routes or tools. `*` marks a required input. */
export function formatTopology(t: Topology): string[] {
  const lines: string[] = [];
  for (const s of t.rest) {
    lines.push(`REST ${where(s.port, s.host, s.url)}  (${s.routes.length} routes)`);
    lines.push(...table(s.routes.map((r) => [r.method, r.path, r.file, `→ ${targetText(r.target)}`])));
  }
  for (const s of t.mcp) {
    lines.push(`MCP ${where(s.port, s.host, s.url)}  (${s.tools.length} tools)`);
    lines.push(...toolRows(s.tools));
  }
  for (const s of t.stdio) {
    lines.push(`MCP stdio ${s.adapter}  (${s.tools.length} tools; served by serve --stdio)`);
    lines.push(...toolRows(s.tools));
  }
  if (!lines.length) lines.push('nothing to serve: no valid REST or MCP adapter was loaded');
  return lines;
}

export interface InspectOptions extends InspectSettings {
  readonly json: boolean;
  readonly partial: boolean;
  readonly upstreams: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Standard output (the topology). */
  readonly write: (line: string) => void;
  /** Standard error (missing paths, files left out). */
  readonly log: (line: string) => void;
}

/** Exit 0 when every file loads cleanly, 1 when a path is missing or a file has errors, 2 for a bad --upstream. */
export async function runInspect(paths: string[], opts: InspectOptions): Promise<number> {
  const { overrides, errors } = parseOverrides([
    ...(opts.env.CAPGATE_UPSTREAMS ? [opts.env.CAPGATE_UPSTREAMS] : []),
    ...opts.upstreams,
  ]);
  for (const e of errors) opts.log(`error ${e}`);
  if (errors.length) return 2;
  const { documents, missing } = await loadCapabilities(paths);
  const plan = buildPlan(documents, { partial: opts.partial });
  for (const m of missing) opts.log(`${m}: error FILE_NOT_FOUND no such file or directory`);
  const invalid = [...plan.invalidFiles];
  if (invalid.length) {
    const how = opts.partial
      ? 'serving only their valid routes and tools'
      : 'not served (use --partial to serve their valid parts)';
    opts.log(`${invalid.length} capability file(s) with errors: ${how}; \`capgate validate\` lists the problems`);
    for (const f of invalid) opts.log(`  ${f}`);
  }
  const topology = inspectPlan(plan, { ...opts, overrides });
  if (opts.json)
    opts.write(JSON.stringify({ ...topology, files: { loaded: documents.length, invalid, missing } }, null, 2));
  else for (const line of formatTopology(topology)) opts.write(line);
  return invalid.length || missing.length ? 1 : 0;
}
