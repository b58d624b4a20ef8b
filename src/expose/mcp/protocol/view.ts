/**
 * @module expose/mcp/protocol/view — the merged, read-only picture of the endpoints one request may see (tools,
 * resources, prompts, capabilities), built once per endpoint list and cached.
 */
import type { McpCacheHints, McpEndpoint, McpPrompt, McpResource, McpTool, JsonObject } from './types.ts';

export interface TemplateMatcher {
  resource: McpResource;
  regex: RegExp;
  vars: string[];
}

export interface EndpointView {
  endpoints: readonly McpEndpoint[];
  tools: Map<string, McpTool>;
  toolDescriptors: JsonObject[];
  staticResources: McpResource[];
  templates: TemplateMatcher[];
  prompts: Map<string, McpPrompt>;
  capabilities: JsonObject;
  instructions?: string;
  cacheHints: McpCacheHints;
}

const DEFAULT_HINTS: McpCacheHints = { ttlMs: 0, cacheScope: 'private' };

/** The `tools/list` entry of one tool: only the fields MCP defines, absent ones left out. */
export function toolDescriptor(t: McpTool): JsonObject {
  const d: JsonObject = { name: t.name };
  if (t.title !== undefined) d.title = t.title;
  d.description = t.description;
  d.inputSchema = t.inputSchema;
  if (t.outputSchema !== undefined) d.outputSchema = t.outputSchema;
  if (t.annotations !== undefined && Object.keys(t.annotations).length > 0) d.annotations = t.annotations;
  // 2025-11-25 clients ask for a task only where a tool says it takes one.
  if (t.task !== undefined) d.execution = { taskSupport: t.task.required ? 'required' : 'optional' };
  return d;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compile `scheme://a/{x}/b` into a matcher whose variables each match exactly one path segment. */
export function compileUriTemplate(resource: McpResource, template: string): TemplateMatcher {
  const vars: string[] = [];
  let pattern = '^';
  let last = 0;
  for (const m of template.matchAll(/\{([^{}]+)\}/g)) {
    pattern += escapeRegex(template.slice(last, m.index)) + '([^/?#]+)';
    vars.push(m[1]);
    last = m.index + m[0].length;
  }
  pattern += escapeRegex(template.slice(last)) + '$';
  return { resource, regex: new RegExp(pattern), vars };
}

/** Intersect cache hints: the shortest ttl, and private as soon as one endpoint is private. */
function mergeHints(endpoints: readonly McpEndpoint[]): McpCacheHints {
  if (endpoints.length === 0) return DEFAULT_HINTS;
  let ttlMs = Infinity;
  let scope: McpCacheHints['cacheScope'] = 'public';
  for (const e of endpoints) {
    const h = e.cacheHints ?? DEFAULT_HINTS;
    ttlMs = Math.min(ttlMs, h.ttlMs);
    if (h.cacheScope === 'private') scope = 'private';
  }
  return { ttlMs, cacheScope: scope };
}

/** One endpoint: its own instructions; several: one line per endpoint so an agent knows what each offers. */
function mergeInstructions(endpoints: readonly McpEndpoint[]): string | undefined {
  if (endpoints.length === 1) return endpoints[0].instructions ?? endpoints[0].title;
  const lines = endpoints
    .map((e) =>
      (e.instructions ?? e.title) === undefined ? undefined : `${e.namespace}: ${e.instructions ?? e.title}`,
    )
    .filter((l): l is string => l !== undefined);
  return lines.length > 0 ? lines.join('\n') : undefined;
}

export function buildView(endpoints: readonly McpEndpoint[]): EndpointView {
  const tools = new Map<string, McpTool>();
  const prompts = new Map<string, McpPrompt>();
  const staticResources: McpResource[] = [];
  const templates: TemplateMatcher[] = [];
  for (const e of endpoints) {
    for (const t of e.tools) if (!tools.has(t.name)) tools.set(t.name, t);
    for (const p of e.prompts) if (!prompts.has(p.name)) prompts.set(p.name, p);
    for (const r of e.resources) {
      if (r.uriTemplate !== undefined) templates.push(compileUriTemplate(r, r.uriTemplate));
      else if (r.uri !== undefined) staticResources.push(r);
    }
  }
  // Every list can change while serving (a reloaded capability file), and clients can listen for it: an empty
  // list is declared too, so a client knows to ask again when a reload adds the first resource or prompt.
  const capabilities: JsonObject = {
    tools: { listChanged: true },
    resources: { listChanged: true },
    prompts: { listChanged: true },
    completions: {},
  };
  const instructions = mergeInstructions(endpoints);
  return {
    endpoints,
    tools,
    toolDescriptors: [...tools.values()].map(toolDescriptor),
    staticResources,
    templates,
    prompts,
    capabilities,
    cacheHints: mergeHints(endpoints),
    ...(instructions !== undefined && { instructions }),
  };
}

/**
 * Views are cached per endpoint-list identity (the registry swaps the whole list on reload, so an old
 * list and its views are simply garbage-collected) and per subset key (which endpoints auth let through).
 */
const cache = new WeakMap<readonly McpEndpoint[], Map<string, EndpointView>>();

export function viewFor(all: readonly McpEndpoint[], subset: readonly McpEndpoint[], key: string): EndpointView {
  let byKey = cache.get(all);
  if (!byKey) {
    byKey = new Map();
    cache.set(all, byKey);
  }
  let v = byKey.get(key);
  if (!v) {
    v = buildView(subset);
    byKey.set(key, v);
  }
  return v;
}
