/**
 * @module expose/mcp/protocol/resources — `resources/list`, `resources/templates/list` and `resources/read` over the
 * endpoints a request may see.
 */
import { INVALID_PARAMS, RpcError, invalidParams } from './jsonrpc.ts';
import { isPlainObject } from '../../../common/json.ts';
import { toRpcError } from './errors.ts';
import type { EndpointView } from './view.ts';
import type { JsonObject, McpResource, ResourceContents, ToolCallContext } from './types.ts';

function describe(r: McpResource, uri: string, mimeType: string | undefined): JsonObject {
  const d: JsonObject = { uri, name: r.name };
  if (r.title !== undefined) d.title = r.title;
  if (r.description !== undefined) d.description = r.description;
  const mt = mimeType ?? r.mimeType;
  if (mt !== undefined) d.mimeType = mt;
  return d;
}

export async function listResources(view: EndpointView): Promise<JsonObject> {
  const resources: JsonObject[] = [];
  for (const r of view.staticResources) {
    if (r.list) {
      try {
        for (const item of await r.list()) resources.push(describe(r, item.uri, item.mimeType));
      } catch (err) {
        throw toRpcError(err);
      }
    } else {
      resources.push(describe(r, r.uri!, undefined));
    }
  }
  return { resources };
}

export function listTemplates(view: EndpointView): JsonObject {
  return {
    resourceTemplates: view.templates.map(({ resource: r }) => {
      const d: JsonObject = { uriTemplate: r.uriTemplate, name: r.name };
      if (r.title !== undefined) d.title = r.title;
      if (r.description !== undefined) d.description = r.description;
      if (r.mimeType !== undefined) d.mimeType = r.mimeType;
      return d;
    }),
  };
}

/** Exact URI first, then directory-backed prefixes (`<uri>/<path>`), then templates in declaration order. */
function resolve(view: EndpointView, uri: string): { resource: McpResource; vars: Record<string, string> } | undefined {
  for (const r of view.staticResources) if (r.uri === uri) return { resource: r, vars: {} };
  for (const r of view.staticResources) if (r.list && uri.startsWith(`${r.uri}/`)) return { resource: r, vars: {} };
  for (const t of view.templates) {
    const m = t.regex.exec(uri);
    if (!m) continue;
    const vars: Record<string, string> = {};
    t.vars.forEach((name, i) => {
      vars[name] = m[i + 1];
    });
    return { resource: t.resource, vars };
  }
  return undefined;
}

export async function readResource(view: EndpointView, params: unknown, ctx: ToolCallContext): Promise<JsonObject> {
  const uri = isPlainObject(params) ? params.uri : undefined;
  if (typeof uri !== 'string' || uri === '') throw invalidParams('uri is required');
  return { contents: [await readContents(view, uri, ctx)] };
}

/** One resource's contents (text, or binary as base64 `blob`); an unknown URI is -32602 naming it. */
export async function readContents(view: EndpointView, uri: string, ctx: ToolCallContext): Promise<ResourceContents> {
  const hit = resolve(view, uri);
  if (!hit) throw new RpcError(INVALID_PARAMS, `Invalid params: Unknown resource URI: ${uri}`, { uri });
  try {
    const out = await hit.resource.read(uri, hit.vars, ctx);
    const mimeType = out.mimeType ?? hit.resource.mimeType ?? 'application/json';
    return 'blob' in out ? { uri, mimeType, blob: out.blob } : { uri, mimeType, text: out.text };
  } catch (err) {
    throw toRpcError(err);
  }
}

/** The resource a URI names (static, directory-backed or templated) and the template's variables. */
export function resourceFor(view: EndpointView, uri: string): McpResource | undefined {
  return resolve(view, uri)?.resource;
}
