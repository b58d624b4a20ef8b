/**
 * @module expose/mcp/protocol/tool-call — runs one `tools/call`: argument validation, the tool itself, and the
 * shaping of its result for the client's protocol era.
 */
import { isPlainObject } from '../../../common/json.ts';
import { invalidParams } from './jsonrpc.ts';
import {
  invalidArgumentsResult,
  nonConformingOutputResult,
  thrownToolResult,
  toolErrorResult,
  type CallToolResult,
} from './errors.ts';
import { describeErrors } from '../../../common/json-schema.ts';
import { validatorsOf } from './schema-validation.ts';
import type { EndpointView } from './view.ts';
import type { JsonObject, McpTool, ToolCallContext, ToolResult } from './types.ts';
import type { Era } from './versions.ts';

export type { CallToolResult } from './errors.ts';

/** Resolve the tool and its arguments, or throw the JSON-RPC error the spec asks for. */
export function resolveCall(view: EndpointView, params: unknown): { tool: McpTool; args: JsonObject } {
  if (!isPlainObject(params)) throw invalidParams('missing params');
  const name = params.name;
  if (typeof name !== 'string' || name === '') throw invalidParams('name is required');
  const tool = view.tools.get(name);
  if (!tool) throw invalidParams(`Unknown tool: ${name}`);
  const args = params.arguments ?? {};
  if (!isPlainObject(args)) throw invalidParams('arguments must be an object');
  return { tool, args };
}

/**
 * Raw strings (e.g. a non-JSON upstream body) go out as-is unless they are structured output, whose text mirror must
 * be JSON.
 */
function textOf(value: unknown, text: string | undefined, structured: boolean): string {
  if (text !== undefined) return text;
  if (typeof value === 'string' && !structured) return value;
  return JSON.stringify(value) ?? '';
}

/** structuredContent is allowed only when it conforms; 2025-era clients also require a JSON object. */
function conforms(tool: McpTool, value: unknown, era: Era): { ok: true } | { ok: false; why: string } {
  const out = validatorsOf(tool).output;
  if (!out) return { ok: true };
  if (era === 'legacy' && !isPlainObject(value)) return { ok: false, why: 'structured output must be a JSON object' };
  if (out(value)) return { ok: true };
  return { ok: false, why: describeErrors(out.errors, 'field') };
}

/** Turn what the tool returned into the wire result. */
export function shapeResult(tool: McpTool, r: ToolResult, era: Era): CallToolResult {
  if (!r.ok) {
    const res = toolErrorResult(r.error, r.text);
    if (tool.outputSchema && r.value !== undefined && conforms(tool, r.value, era).ok) res.structuredContent = r.value;
    return res;
  }
  const res: CallToolResult = {
    content: r.content ?? [{ type: 'text', text: textOf(r.value, r.text, tool.outputSchema !== undefined) }],
  };
  if (tool.outputSchema) {
    const c = conforms(tool, r.value, era);
    if (!c.ok) return nonConformingOutputResult(tool.name, c.why);
    res.structuredContent = r.value;
  }
  return res;
}

/** Validate, call, shape. Unexpected exceptions become a generic isError result (no internals leak). */
export async function runTool(
  tool: McpTool,
  args: JsonObject,
  ctx: ToolCallContext,
  era: Era,
): Promise<CallToolResult> {
  const { input } = validatorsOf(tool);
  if (!input(args)) {
    return invalidArgumentsResult(tool.name, describeErrors(input.errors));
  }
  let r: ToolResult;
  try {
    r = await tool.call(args, ctx);
  } catch (err) {
    return thrownToolResult(err, tool.name);
  }
  try {
    return shapeResult(tool, r, era);
  } catch (err) {
    return thrownToolResult(err, tool.name);
  }
}
