/**
 * @module expose/mcp/protocol/tool-list-check — start-up check that every generated tool would survive an SDK
 * client's zod validation of `tools/list` (one malformed tool would otherwise hide them all).
 */
import type { McpTool } from './types.ts';
import { compileSchema } from '../../../common/json-schema.ts';
import { isPlainObject as isObject } from '../../../common/json.ts';

/** SEP-986 tool names: 1–128 characters of A-Z a-z 0-9 _ - . */
const NAME = /^[A-Za-z0-9_.-]{1,128}$/;
const HINTS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;

function serialisable(v: unknown): boolean {
  try {
    JSON.stringify(v);
    return true;
  } catch {
    return false;
  }
}

function problemsOf(t: McpTool): string[] {
  const out: string[] = [];
  if (typeof t.name !== 'string' || !NAME.test(t.name))
    out.push(`name must be 1-128 characters of A-Z a-z 0-9 _ - . (got ${JSON.stringify(t.name)})`);
  if (typeof t.description !== 'string' || t.description.trim() === '')
    out.push('description must be a non-empty string');
  if (t.title !== undefined && typeof t.title !== 'string') out.push('title must be a string');
  if (!isObject(t.inputSchema) || t.inputSchema.type !== 'object')
    out.push('inputSchema must be a JSON Schema object with type "object" at the root');
  else if (!serialisable(t.inputSchema)) out.push('inputSchema is not JSON-serialisable');
  else {
    try {
      compileSchema(t.inputSchema);
    } catch (e) {
      out.push(`inputSchema does not compile: ${(e as Error).message}`);
    }
  }
  if (t.outputSchema !== undefined) {
    if (!isObject(t.outputSchema) || t.outputSchema.type !== 'object')
      out.push('outputSchema must be a JSON Schema object with type "object" at the root');
    else if (!serialisable(t.outputSchema)) out.push('outputSchema is not JSON-serialisable');
    else {
      try {
        compileSchema(t.outputSchema);
      } catch (e) {
        out.push(`outputSchema does not compile: ${(e as Error).message}`);
      }
    }
  }
  if (t.annotations !== undefined) {
    if (!isObject(t.annotations)) out.push('annotations must be an object');
    else {
      for (const h of HINTS) {
        const v = t.annotations[h];
        if (v !== undefined && typeof v !== 'boolean') out.push(`annotations.${h} must be a boolean`);
      }
      if (t.annotations.title !== undefined && typeof t.annotations.title !== 'string')
        out.push('annotations.title must be a string');
    }
  }
  if (typeof t.call !== 'function') out.push('call must be a function');
  return out;
}

/** Every problem of every tool (duplicates included); an empty array means the list is safe to serve. */
export function validateToolList(tools: McpTool[]): Array<{ tool: string; problem: string }> {
  const out: Array<{ tool: string; problem: string }> = [];
  const seen = new Set<string>();
  for (const t of tools) {
    const label = typeof t?.name === 'string' ? t.name : String(t?.name);
    if (!isObject(t)) {
      out.push({ tool: label, problem: 'tool must be an object' });
      continue;
    }
    for (const problem of problemsOf(t)) out.push({ tool: label, problem });
    if (seen.has(label)) out.push({ tool: label, problem: 'duplicate tool name' });
    seen.add(label);
  }
  return out;
}
