/** @module expose/mcp/protocol/prompts — `prompts/list` and `prompts/get` over the endpoints a request may see. */
import { invalidParams } from './jsonrpc.ts';
import { isPlainObject } from '../../../common/json.ts';
import { toRpcError } from './errors.ts';
import type { EndpointView } from './view.ts';
import type { JsonObject, McpPrompt, ToolCallContext } from './types.ts';
import { readContents } from './resources.ts';

export function listPrompts(view: EndpointView): JsonObject {
  const prompts = [...view.prompts.values()].map((p) => {
    const d: JsonObject = { name: p.name };
    if (p.title !== undefined) d.title = p.title;
    if (p.description !== undefined) d.description = p.description;
    d.arguments = p.arguments.map((a) => {
      const arg: JsonObject = { name: a.name };
      if (a.title !== undefined) arg.title = a.title;
      if (a.description !== undefined) arg.description = a.description;
      arg.required = a.required;
      return arg;
    });
    return d;
  });
  return { prompts };
}

/** A rendered message: text, or a resource embedded as an image/audio block (by its type) or as a resource. */
async function contentOf(
  view: EndpointView,
  m: Awaited<ReturnType<McpPrompt['render']>>[number],
  ctx: ToolCallContext,
): Promise<JsonObject> {
  if ('text' in m) return { type: 'text', text: m.text };
  const c = await readContents(view, m.resource, ctx);
  const type = (c.mimeType ?? '').split(';')[0].trim().toLowerCase();
  if ('blob' in c && (type.startsWith('image/') || type.startsWith('audio/')))
    return { type: type.startsWith('image/') ? 'image' : 'audio', data: c.blob, mimeType: type };
  return { type: 'resource', resource: c };
}

/** Argument values are stringified (the reference engine does the same); required ones must be present. */
export async function getPrompt(view: EndpointView, params: unknown, ctx: ToolCallContext): Promise<JsonObject> {
  const name = isPlainObject(params) ? params.name : undefined;
  if (typeof name !== 'string' || name === '') throw invalidParams('name is required');
  const prompt = view.prompts.get(name);
  if (!prompt) throw invalidParams(`Unknown prompt: ${name}`);
  const raw = isPlainObject(params) && isPlainObject(params.arguments) ? params.arguments : {};
  const args: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v !== undefined && v !== null) args[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  for (const a of prompt.arguments) {
    if (a.required && args[a.name] === undefined) throw invalidParams(`Missing required argument: ${a.name}`);
  }
  let messages;
  try {
    messages = await prompt.render(args);
  } catch (err) {
    throw toRpcError(err);
  }
  const out: JsonObject = {
    messages: await Promise.all(messages.map(async (m) => ({ role: m.role, content: await contentOf(view, m, ctx) }))),
  };
  if (prompt.description !== undefined) out.description = prompt.description;
  return out;
}
