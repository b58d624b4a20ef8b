/**
 * @module plan/build — turn loaded documents into one frozen Plan: per-document planning,
 * then cross-document checks (port sharing, duplicate routes and tool names), then the blast
 * radius rule: elements with errors are dropped; by default so are capabilities with any error.
 */
import type { LoadedDocument } from '../documents/load.ts';
import { ProblemSink, type Problem } from '../documents/problems.ts';
import type {
  ControlPlan,
  McpAdapterPlan,
  McpServerPlan,
  Plan,
  RestRoutePlan,
  RestServerPlan,
  AdapterRef,
} from './types.ts';
import { planDocument, type DocumentPlan } from './capability.ts';

export interface BuildOptions {
  /** Serve the valid parts of capabilities that have errors (drop only the broken elements). */
  readonly partial?: boolean;
  /**
   * Check every document in its own world (no cross-file port, route or tool-name checks).
   * For validation only: the returned plan then has no servers.
   */
  readonly isolated?: boolean;
  /**
   * Document plans of earlier builds, by document: a document object seen before is not planned again (a reload
   * re-plans only the files that changed).
   */
  readonly cache?: PlanCache;
}

/** Plans of documents already planned; entries go with their documents. */
export type PlanCache = WeakMap<LoadedDocument, DocumentPlan | undefined>;

/** Where the cross-document checks of one build report a document's problems (its own sink holds only its own). */
interface MergeDoc {
  readonly file: string;
  readonly sink: ProblemSink;
}

function mergeDocOf(loaded: LoadedDocument): MergeDoc {
  return { file: loaded.file, sink: new ProblemSink(loaded.file, loaded.locate) };
}

export function buildPlan(documents: readonly LoadedDocument[], opts: BuildOptions = {}): Plan {
  if (opts.isolated) return buildIsolated(documents, opts);
  const planned: Array<{ loaded: LoadedDocument; plan?: DocumentPlan; merge: MergeDoc }> = documents.map((loaded) => ({
    loaded,
    plan: cachedPlan(loaded, opts.cache),
    merge: mergeDocOf(loaded),
  }));
  const rest = new Map<number, RestAccumulator>();
  const mcp = new Map<number, McpAccumulator>();
  const stdio: McpAdapterPlan[] = [];
  const usable = planned.filter(({ loaded, plan }) => plan && (opts.partial || !loaded.sink.hasErrors()));
  const control: { plan?: ControlPlan } = {};
  for (const { merge, plan } of usable) mergeDocument(merge, plan!, rest, mcp, stdio, control);
  const problems: Problem[] = planned.flatMap(({ loaded, merge }) => [...loaded.sink.problems, ...merge.sink.problems]);
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
    ...(control.plan ? { control: control.plan } : {}),
    problems,
    invalidFiles,
  });
}

function buildIsolated(documents: readonly LoadedDocument[], opts: BuildOptions): Plan {
  const capabilities = [];
  const mergeProblems: Problem[] = [];
  for (const loaded of documents) {
    const plan = cachedPlan(loaded, opts.cache);
    if (!plan) continue;
    const merge = mergeDocOf(loaded);
    mergeDocument(merge, plan, new Map(), new Map(), [], {});
    mergeProblems.push(...merge.sink.problems);
    capabilities.push(plan.capability);
  }
  const problems = [...documents.flatMap((d) => d.sink.problems), ...mergeProblems];
  const invalidFiles = new Set(problems.filter((p) => p.severity === 'error').map((p) => p.file));
  return Object.freeze({ capabilities, upstreams: [], rest: [], mcp: [], stdio: [], problems, invalidFiles });
}

/** The document's plan: from the cache when this very document was planned before, else planned now (and cached). */
function cachedPlan(loaded: LoadedDocument, cache: PlanCache | undefined): DocumentPlan | undefined {
  if (cache?.has(loaded)) return cache.get(loaded);
  const plan = safePlan(loaded);
  cache?.set(loaded, plan);
  return plan;
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

/**
 * A REST port being merged: its routes, and each route's key (method and path shape) so a duplicate is found with one
 * look-up; a reload merges every document again, so a scan of the routes so far would make merging quadratic.
 */
interface RestAccumulator {
  readonly address?: string;
  readonly adapters: AdapterRef[];
  readonly routes: RestRoutePlan[];
  readonly keys: Map<string, RestRoutePlan>;
  readonly owner: string;
}

/** An MCP port being merged: its adapters, and the file serving each tool name so far. */
interface McpAccumulator {
  readonly address?: string;
  readonly adapters: McpAdapterPlan[];
  readonly toolFiles: Map<string, string>;
  readonly owner: string;
}

type PortKinds = Map<number, { type: 'rest' | 'mcp' | 'control'; file: string }>;
const portKinds = new WeakMap<object, PortKinds>();

function mergeDocument(
  doc: MergeDoc,
  plan: DocumentPlan,
  rest: Map<number, RestAccumulator>,
  mcp: Map<number, McpAccumulator>,
  stdio: McpAdapterPlan[],
  control: { plan?: ControlPlan },
): void {
  const kinds = kindsFor(rest);
  for (const c of plan.control) {
    if (control.plan) {
      doc.sink.warn(
        'CONTROL_DUPLICATE',
        c.adapter.source.pointer,
        `a control adapter is already served (${control.plan.adapter.source.file}); this one is not`,
        'declare one control adapter per gateway',
      );
      continue;
    }
    if (claimPort(doc, kinds, c.port, 'control', c.adapter)) control.plan = c;
  }
  for (const { adapter, routes } of plan.rest) {
    const port = adapter.port ?? 8080;
    if (!claimPort(doc, kinds, port, 'rest', adapter)) continue;
    const server = rest.get(port) ?? {
      address: adapter.address,
      adapters: [],
      routes: [],
      keys: new Map<string, RestRoutePlan>(),
      owner: doc.file,
    };
    rest.set(port, server);
    server.adapters.push(adapter);
    for (const r of routes) addRoute(doc, server, r);
  }
  for (const a of plan.mcp) {
    if (a.transport === 'stdio') {
      stdio.push(a);
      continue;
    }
    const port = a.adapter.port ?? 9090;
    if (!claimPort(doc, kinds, port, 'mcp', a.adapter)) continue;
    const server = mcp.get(port) ?? {
      address: a.adapter.address,
      adapters: [],
      toolFiles: new Map<string, string>(),
      owner: doc.file,
    };
    mcp.set(port, server);
    const tools = a.tools.filter((t) => {
      const other = server.toolFiles.get(t.name);
      if (!other) return true;
      doc.sink.error(
        'TOOL_DUPLICATE',
        t.operation.source.pointer,
        `MCP tool name '${t.name}' on port ${port} is already served by ${other}`,
        'tool names must be unique per MCP port; rename one of them',
      );
      return false;
    });
    for (const t of tools) server.toolFiles.set(t.name, a.adapter.source.file);
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
  doc: MergeDoc,
  kinds: PortKinds,
  port: number,
  type: 'rest' | 'mcp' | 'control',
  adapter: AdapterRef,
): boolean {
  const prev = kinds.get(port);
  if (prev && prev.type !== type) {
    doc.sink.error(
      'PORT_CONFLICT',
      `${adapter.source.pointer}/port`,
      `port ${port} is already used by a ${prev.type} adapter (${prev.file}); a ${type} adapter cannot share it`,
      'give each adapter type its own port (REST 8080, MCP 9090 by convention)',
    );
    return false;
  }
  kinds.set(port, prev ?? { type, file: doc.file });
  return true;
}

function addRoute(doc: MergeDoc, server: RestAccumulator, r: RestRoutePlan): void {
  const key = routeKey(r);
  const clash = server.keys.get(key);
  if (clash) {
    doc.sink.error(
      'ROUTE_DUPLICATE',
      r.operation.source.pointer,
      `${r.method} ${r.specPath} is already served on port ${r.adapter.port ?? 8080} by ${clash.adapter.source.file}`,
      'method + path must be unique per REST port; prefix paths per capability',
    );
    return;
  }
  server.keys.set(key, r);
  server.routes.push(r);
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
