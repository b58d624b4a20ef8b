/**
 * @module gateway/mcp-endpoints — adapt planned MCP adapters to the MCP layer's endpoint
 * contract: each tool/resource calls the shared `invoke`; results and errors are translated to
 * tool results here, in one place.
 */
import type { McpAdapterPlan, McpToolPlan, McpResourcePlan, McpPromptPlan } from '../../plan/types.ts';
import type { McpEndpoint, McpTool, McpResource, McpPrompt, ToolResult, ToolCallContext } from './protocol/types.ts';
import type { InvokeResult } from '../../invoke/types.ts';
import type { Runtime } from '../../invoke/deps.ts';
import { invoke } from '../../invoke/invoke.ts';
import { asGatewayError, GatewayError } from '../../common/errors.ts';
import { listDirectory, readDirectoryResource } from './file-resources.ts';
import { readFile } from 'node:fs/promises';

export const VERSION = '0.1.0';

export function toEndpoint(a: McpAdapterPlan, rt: Runtime, authenticate?: (req: Request) => Promise<Response | undefined>): McpEndpoint {
  return {
    namespace: a.adapter.namespace,
    title: a.adapter.capability.label,
    version: VERSION,
    instructions: a.adapter.description ?? a.adapter.capability.description,
    tools: a.tools.map((t) => toTool(t, rt)),
    resources: a.resources.map((r) => toResource(r, rt)),
    prompts: a.prompts.map(toPrompt),
    ...(authenticate ? { authenticate } : {}),
  };
}

function toTool(t: McpToolPlan, rt: Runtime): McpTool {
  const op = t.operation;
  const wait = op.wait ?? (op.action.kind === 'function' ? op.action.fn.wait : undefined);
  return {
    name: t.name,
    ...(t.title ? { title: t.title } : {}),
    description: t.description,
    inputSchema: t.inputSchema,
    ...(t.outputSchema ? { outputSchema: t.outputSchema } : {}),
    ...(t.annotations ? { annotations: t.annotations } : {}),
    longRunning: !!wait,
    async call(args, ctx) {
      try {
        const maxWait = typeof args.maxWaitSeconds === 'number' ? args.maxWaitSeconds * 1000 : undefined;
        // Only waits need the abort signal (a single call is bounded by the upstream timeout);
        // reading ctx.signal is what creates it.
        const result = await invoke(op, { params: args, progress: ctx.progress, ...(wait ? { signal: ctx.signal, waitMs: maxWait ?? wait.timeoutMs } : {}) }, rt);
        return toToolResult(result, !!t.outputSchema);
      } catch (err) {
        return { ok: false, error: asGatewayError(err) };
      }
    },
  };
}

/** Upstream error statuses become tool errors carrying the status and the vendor's message. */
export function toToolResult(result: InvokeResult, structured: boolean): ToolResult {
  const b = result.body;
  const text = b.kind === 'raw' ? b.bytes.toString('utf8') : b.kind === 'json' ? JSON.stringify(b.value) : '';
  if (result.upstreamError) {
    return {
      ok: false,
      error: new GatewayError('UPSTREAM_STATUS', `Upstream returned ${result.status}: ${text.slice(0, 4000)}`, { status: result.status, details: { upstreamStatus: result.status } }),
      text: `Upstream returned ${result.status}: ${text}`,
    };
  }
  if (b.kind === 'json') return { ok: true, value: b.value, text };
  if (b.kind === 'empty') return { ok: true, value: {}, text: '' };
  // The value only matters for structuredContent; without an output schema the text is sent as is.
  const value = structured ? tryJson(text) : text;
  return { ok: true, value: value === undefined ? text : value, text };
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toResource(r: McpResourcePlan, rt: Runtime): McpResource {
  const base = { name: r.name, ...(r.title ? { title: r.title } : {}), ...(r.description ? { description: r.description } : {}), ...(r.mimeType ? { mimeType: r.mimeType } : {}) };
  if (r.directory) {
    const dir = r.directory;
    return {
      ...base,
      uri: r.uri,
      list: () => listDirectory(dir, r.uri, r.mimeType),
      read: (uri) => readDirectoryResource(dir, r.uri, uri, r.mimeType),
    };
  }
  const op = r.operation!;
  return {
    ...base,
    ...(r.templated ? { uriTemplate: r.uri } : { uri: r.uri }),
    async read(_uri: string, vars: Record<string, string>, ctx: ToolCallContext) {
      const result = await invoke(op, { params: vars, signal: ctx.signal }, rt);
      const tr = toToolResult(result, false);
      if (!tr.ok) throw tr.error;
      return { text: tr.text ?? JSON.stringify(tr.value), mimeType: r.mimeType ?? 'application/json' };
    },
  };
}

function toPrompt(p: McpPromptPlan): McpPrompt {
  return {
    name: p.name,
    ...(p.title ? { title: p.title } : {}),
    ...(p.description ? { description: p.description } : {}),
    arguments: p.arguments.map((a) => ({ ...a })),
    async render(args) {
      if (p.file) {
        const text = await readFile(p.file, 'utf8').catch(() => {
          throw new GatewayError('NOT_FOUND', `prompt file for '${p.name}' is not readable`);
        });
        return [{ role: 'user', text: substitute(text, args) }];
      }
      return (p.messages ?? []).map((m) => ({ role: m.role, text: substitute(m.content, args) }));
    },
  };
}

/** `{{arg}}` substitution in one pass: substituted values are never expanded again. */
export function substitute(text: string, args: Record<string, string>): string {
  return text.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (m, name: string) => (Object.prototype.hasOwnProperty.call(args, name) ? String(args[name]) : m));
}

