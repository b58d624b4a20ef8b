/**
 * @module plan/build — turn loaded documents into one frozen Plan: per-document planning,
 * then cross-document checks (port sharing, duplicate routes and tool names), then the blast
 * radius rule: elements with errors are dropped; by default so are capabilities with any error.
 */
import type { LoadedDocument } from '../documents/load.ts';
import type { Problem } from '../documents/problems.ts';
import type { McpAdapterPlan, McpServerPlan, Plan, RestRoutePlan, RestServerPlan, AdapterRef } from './types.ts';
import { planDocument, type DocumentPlan } from './capability.ts';

export interface BuildOptions {
  /** Serve the valid parts of capabilities that have errors (drop only the broken elements). */
  readonly partial?: boolean;
  /**
   * Check every document in its own world (no cross-file port, route or tool-name checks).
   * For validation only: the returned plan then has no servers.
   */
  readonly isolated?: boolean;
}

export function buildPlan(documents: readonly LoadedDocument[], opts: BuildOptions = {}): Plan {
  if (opts.isolated) return buildIsolated(documents);
  const planned: Array<{ loaded: LoadedDocument; plan?: DocumentPlan }> = documents.map((loaded) => ({
    loaded,
    plan: safePlan(loaded),
  }));
  const rest = new Map<number, { address?: string; adapters: AdapterRef[]; routes: RestRoutePlan[]; owner: string }>();
  const mcp = new Map<number, { address?: string; adapters: McpAdapterPlan[]; owner: string }>();
  const stdio: McpAdapterPlan[] = [];
  const usable = planned.filter(({ loaded, plan }) => plan && (opts.partial || !loaded.sink.hasErrors()));
  for (const { loaded, plan } of usable) mergeDocument(loaded, plan!, rest, mcp, stdio);
  const problems: Problem[] = planned.flatMap(({ loaded }) => loaded.sink.problems);
  const invalidFiles = new Set(problems.filter((p) => p.severity === 'error').map((p) => p.file));
  const idx = errorIndex(problems);
  return Object.freeze({
    capabilities: usable.map(({ plan }) => plan!.capability),
    upstreams: usable.flatMap(({ plan }) => plan!.upstreams),
    rest: [...rest.entries()].map(([port, s]): RestServerPlan => ({
      port,
      address: s.address,
      adapters: s.adapters,
      routes: dropBroken(s.routes, idx),
    })),
    mcp: [...mcp.entries()].map(([port, s]): McpServerPlan => ({
      port,
      address: s.address,
      adapters: s.adapters.map((a) => dropBrokenTools(a, idx)),
    })),
    stdio,
    problems,
    invalidFiles,
  });
}

function buildIsolated(documents: readonly LoadedDocument[]): Plan {
  const capabilities = [];
  for (const loaded of documents) {
    const plan = safePlan(loaded);
    if (!plan) continue;
    mergeDocument(loaded, plan, new Map(), new Map(), []);
    capabilities.push(plan.capability);
  }
  const problems = documents.flatMap((d) => d.sink.problems);
  const invalidFiles = new Set(problems.filter((p) => p.severity === 'error').map((p) => p.file));
  return Object.freeze({ capabilities, upstreams: [], rest: [], mcp: [], stdio: [], problems, invalidFiles });
}

/**
 * Plan one document; an exception is a capgate bug, never the user's: the problem says which
 * document could not be planned and that it is ours to fix, in the user's words. The exception
 * itself (message and stack) stays on the problem as its non-enumerable `cause`, for debugging;
 * it is never shown.
 */
function safePlan(loaded: LoadedDocument): DocumentPlan | undefined {
  try {
    return planDocument(loaded);
  } catch (err) {
    const after = loaded.schemaValid ? '' : ' after its schema errors';
    loaded.sink.internalError(
      'PLAN_FAILED',
      '',
      `internal error: capgate could not check and compile this capability${after} (a capgate bug, not a problem in your file); none of it is served`,
      err,
      loaded.schemaValid
        ? 'please report it as a capgate bug with this file; the other files are not affected'
        : 'fix the errors above and validate again; please also report this as a capgate bug with this file',
    );
    return undefined;
  }
}

type PortKinds = Map<number, { type: 'rest' | 'mcp'; file: string }>;
const portKinds = new WeakMap<object, PortKinds>();

function mergeDocument(
  loaded: LoadedDocument,
  plan: DocumentPlan,
  rest: Map<number, { address?: string; adapters: AdapterRef[]; routes: RestRoutePlan[]; owner: string }>,
  mcp: Map<number, { address?: string; adapters: McpAdapterPlan[]; owner: string }>,
  stdio: McpAdapterPlan[],
): void {
  const kinds = kindsFor(rest);
  for (const { adapter, routes } of plan.rest) {
    const port = adapter.port ?? 8080;
    if (!claimPort(loaded, kinds, port, 'rest', adapter)) continue;
    const server = rest.get(port) ?? { address: adapter.address, adapters: [], routes: [], owner: loaded.file };
    rest.set(port, server);
    server.adapters.push(adapter);
    for (const r of routes) addRoute(loaded, server.routes, r);
  }
  for (const a of plan.mcp) {
    if (a.transport === 'stdio') {
      stdio.push(a);
      continue;
    }
    const port = a.adapter.port ?? 9090;
    if (!claimPort(loaded, kinds, port, 'mcp', a.adapter)) continue;
    const server = mcp.get(port) ?? { address: a.adapter.address, adapters: [], owner: loaded.file };
    mcp.set(port, server);
    const taken = new Map(server.adapters.flatMap((x) => x.tools.map((t) => [t.name, x.adapter.source.file] as const)));
    const tools = a.tools.filter((t) => {
      const other = taken.get(t.name);
      if (!other) return true;
      loaded.sink.error(
        'TOOL_DUPLICATE',
        t.operation.source.pointer,
        `MCP tool name '${t.name}' on port ${port} is already served by ${other}`,
        'tool names must be unique per MCP port; rename one of them',
      );
      return false;
    });
    server.adapters.push({ ...a, tools });
  }
}

function kindsFor(key: object): PortKinds {
  let k = portKinds.get(key);
  if (!k) portKinds.set(key, (k = new Map()));
  return k;
}

/** Different adapter types cannot share a port; the same type merges. */
function claimPort(
  loaded: LoadedDocument,
  kinds: PortKinds,
  port: number,
  type: 'rest' | 'mcp',
  adapter: AdapterRef,
): boolean {
  const prev = kinds.get(port);
  if (prev && prev.type !== type) {
    loaded.sink.error(
      'PORT_CONFLICT',
      `${adapter.source.pointer}/port`,
      `port ${port} is already used by a ${prev.type} adapter (${prev.file}); a ${type} adapter cannot share it`,
      'give each adapter type its own port (REST 8080, MCP 9090 by convention)',
    );
    return false;
  }
  kinds.set(port, prev ?? { type, file: loaded.file });
  return true;
}

function addRoute(loaded: LoadedDocument, routes: RestRoutePlan[], r: RestRoutePlan): void {
  const key = routeKey(r);
  const clash = routes.find((x) => routeKey(x) === key);
  if (clash) {
    loaded.sink.error(
      'ROUTE_DUPLICATE',
      r.operation.source.pointer,
      `${r.method} ${r.specPath} is already served on port ${r.adapter.port ?? 8080} by ${clash.adapter.source.file}`,
      'method + path must be unique per REST port; prefix paths per capability',
    );
    return;
  }
  routes.push(r);
}

/** Path variables are positional: `/a/{x}` and `/a/{y}` are the same route. */
function routeKey(r: RestRoutePlan): string {
  return `${r.method} ${r.path.replace(/:[^/]+/g, ':')}`;
}

/** Error pointers per file, for the "is this element broken" test. */
function errorIndex(problems: readonly Problem[]): Map<string, string[]> {
  const idx = new Map<string, string[]>();
  for (const p of problems)
    if (p.severity === 'error') (idx.get(p.file) ?? idx.set(p.file, []).get(p.file)!).push(p.pointer);
  return idx;
}

function isBroken(pointer: string, file: string, idx: Map<string, string[]>): boolean {
  const list = idx.get(file);
  return !!list && list.some((p) => p === pointer || p.startsWith(`${pointer}/`));
}

function dropBroken(routes: RestRoutePlan[], idx: Map<string, string[]>): RestRoutePlan[] {
  return routes.filter((r) => !isBroken(r.operation.source.pointer, r.operation.source.file, idx));
}

function dropBrokenTools(a: McpAdapterPlan, idx: Map<string, string[]>): McpAdapterPlan {
  return { ...a, tools: a.tools.filter((t) => !isBroken(t.operation.source.pointer, t.operation.source.file, idx)) };
}
