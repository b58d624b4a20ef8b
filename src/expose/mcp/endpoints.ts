/**
 * @module expose/mcp/endpoints — planned MCP adapters → the protocol layer's endpoints: each tool,
 * resource and prompt runs through the shared `invoke`, and what invoke returns is turned into
 * a tool result here. HTTP and stdio serve the same endpoints, built (and checked) by this one
 * function: a tool an SDK client would reject is dropped with a located error, the others stay.
 */
import { asGatewayError, GatewayError } from '../../common/errors.ts';
import { parseJsonOrUndefined } from '../../common/json.ts';
import { VERSION } from '../../common/version.ts';
import type {
  AdapterRef,
  AskPlan,
  CompletePlan,
  McpAdapterPlan,
  McpPromptPlan,
  McpResourcePlan,
  McpToolPlan,
} from '../../plan/types.ts';
import { renderTemplate } from '../../mapping/template.ts';
import { declaredBlocks, isTextual, mediaBlock } from './content.ts';
import { invoke } from '../../invoke/invoke.ts';
import type { InvokeDeps } from '../../invoke/deps.ts';
import type { InvokeResult } from '../../invoke/types.ts';
import { listFileResources, MAX_RESOURCE_BYTES, readFileResource } from './file-resources.ts';
import { readRegularFile } from '../../common/regular-file.ts';
import { isRedirect, redirectError } from '../../invoke/redirect.ts';
import { upstreamStatusError } from './protocol/errors.ts';
import { validateToolList } from './protocol/tool-list-check.ts';
import type {
  JsonObject,
  McpAsk,
  McpEndpoint,
  McpPrompt,
  McpResource,
  McpTool,
  ToolCallContext,
  ToolResult,
} from './protocol/types.ts';
import { taskOf, type TaskDeps } from '../../invoke/task.ts';
import { createTaskSigner, type TaskSigner } from '../../invoke/task-handle.ts';
import { toolTask } from './tool-tasks.ts';

/** An adapter's authentication as the endpoint applies it (built by the gateway with the adapter's secrets). */
export interface EndpointAuth {
  authenticate(req: Request): Promise<Response | undefined>;
  wellKnown?(req: Request): Response | undefined;
}

export interface BuildEndpointsOptions {
  readonly authOf?: (adapter: AdapterRef) => EndpointAuth | undefined;
  /** Reports tools dropped because a client would reject them. */
  readonly log?: (line: string) => void;
  /** Signs and opens task ids (the same key on every replica); default: a random key of this builder's own. */
  readonly tasks?: TaskSigner;
}

export function buildEndpoints(
  adapters: readonly McpAdapterPlan[],
  deps: InvokeDeps,
  opts: BuildEndpointsOptions = {},
): McpEndpoint[] {
  return createEndpointBuilder(deps, opts).build(adapters);
}

export interface EndpointBuilder {
  build(adapters: readonly McpAdapterPlan[]): McpEndpoint[];
}

/**
 * Builds endpoints again and again (at each reload) while reusing what did not change: an adapter whose planned
 * tools, resources, prompts and authentication are the very objects of the last build keeps its endpoint, so its
 * tools keep their compiled argument validators and are not checked again.
 */
export function createEndpointBuilder(invokeDeps: InvokeDeps, opts: BuildEndpointsOptions = {}): EndpointBuilder {
  const deps: TaskDeps = { ...invokeDeps, tasks: opts.tasks ?? createTaskSigner() };
  interface Built {
    readonly parts: readonly unknown[];
    readonly endpoint: McpEndpoint;
  }
  const cache = new WeakMap<AdapterRef, Built>();
  return {
    build(adapters) {
      return adapters.map((a) => {
        const auth = opts.authOf?.(a.adapter);
        const parts = [auth, ...a.tools, '|', ...a.resources, '|', ...a.prompts];
        const hit = cache.get(a.adapter);
        if (hit && hit.parts.length === parts.length && hit.parts.every((p, i) => p === parts[i])) return hit.endpoint;
        const endpoint = dropMalformedTools(toEndpoint(a, deps, auth), a.adapter.source.file, opts.log);
        cache.set(a.adapter, { parts, endpoint });
        return endpoint;
      });
    },
  };
}

/** The server name MCP clients show: the adapter's namespace when a server serves one adapter, else 'capgate'. */
export function serverNameOf(endpoints: readonly McpEndpoint[]): string {
  return endpoints.length === 1 ? endpoints[0].namespace : 'capgate';
}

function toEndpoint(a: McpAdapterPlan, deps: TaskDeps, auth: EndpointAuth | undefined): McpEndpoint {
  const tasks = a.tools.some((t) => taskOf(t.operation));
  return {
    namespace: a.adapter.namespace,
    title: a.adapter.capability.label,
    version: VERSION,
    instructions: a.adapter.description ?? a.adapter.capability.description,
    tools: a.tools.map((t) => toTool(t, deps)),
    resources: a.resources.map((r) => toResource(r, deps)),
    prompts: a.prompts.map((p) => toPrompt(p, deps)),
    ...(auth ? { authenticate: (req: Request) => auth.authenticate(req) } : {}),
    ...(auth?.wellKnown ? { wellKnown: auth.wellKnown } : {}),
    ...(tasks ? { taskTool: (id: string) => mcpTaskTarget(deps.tasks, id) } : {}),
  };
}

function mcpTaskTarget(signer: TaskSigner, id: string): string | undefined {
  const claim = signer.peek(id);
  return claim?.kind === 'mcp' ? claim.target : undefined;
}

/**
 * One tool that an SDK client would reject makes the whole tools/list unusable for it, so each
 * malformed tool is dropped with an error line and the others stay served.
 */
function dropMalformedTools(endpoint: McpEndpoint, file: string, log?: (line: string) => void): McpEndpoint {
  const problems = validateToolList(endpoint.tools);
  if (!problems.length) return endpoint;
  for (const p of problems) log?.(`${file}: error MCP_TOOL_INVALID tool '${p.tool}' is not served: ${p.problem}`);
  const bad = new Set(problems.map((p) => p.tool));
  return { ...endpoint, tools: endpoint.tools.filter((t) => !bad.has(t.name)) };
}

function toTool(t: McpToolPlan, deps: TaskDeps): McpTool {
  const op = t.operation;
  const task = taskOf(op);
  // A tool that submits work, called without a task, submits and then waits like a wait tool.
  const wait =
    op.wait ?? (op.action.kind === 'function' ? op.action.fn.wait : undefined) ?? (task?.submit && task.wait);
  const resultOf = toolResultOf(t);
  const taskSide = toolTask(t, deps, resultOf);
  return {
    name: t.name,
    ...(t.title ? { title: t.title } : {}),
    description: t.description,
    inputSchema: t.inputSchema,
    ...(t.outputSchema ? { outputSchema: t.outputSchema } : {}),
    ...(t.annotations ? { annotations: t.annotations } : {}),
    longRunning: !!wait,
    ...(t.requires ? { requires: t.requires } : {}),
    ...(t.ask ? { ask: toAsk(t.ask) } : {}),
    async call(args, ctx) {
      try {
        // Only waits need the abort signal (a single call is bounded by the upstream timeout);
        // reading ctx.signal is what creates it.
        const waiting = wait ? { signal: ctx.signal, waitMs: waitMsOf(args.maxWaitSeconds, wait.timeoutMs) } : {};
        const result = await invoke(op, { params: args, progress: ctx.progress, trace: ctx.trace, ...waiting }, deps);
        ctx.log?.('debug', `${t.name}: upstream answered ${result.status}${describeBody(result.body)}`);
        return resultOf(result, true);
      } catch (err) {
        return { ok: false, error: asGatewayError(err) };
      }
    },
    ...(taskSide ? { task: taskSide } : {}),
  };
}

/**
 * What invoke returned, as this tool's result: the tool result, with the content blocks of `x-capgate-content` (or
 * the media block of an image or audio answer) when `blocks` is set. A task's completed result is shaped here too,
 * so a task answers what a plain call answers.
 */
function toolResultOf(t: McpToolPlan): (result: InvokeResult, blocks: boolean) => ToolResult {
  const structured = !!t.outputSchema;
  return (result, blocks) => {
    const r = toToolResult(result, structured);
    // A wait that ended before the operation did (deadline, a question only a task can answer) carries the
    // operation's state, not its result: the declared blocks describe the result, so the state goes out as it is.
    if (!r.ok || !blocks || result.done === false) return r;
    try {
      const content = t.content ? declaredBlocks(t.content, result.body) : mediaBlock(result.body);
      if (!content) return r;
      return { ...r, content: Array.isArray(content) ? content : [content] };
    } catch (err) {
      return { ok: false, error: asGatewayError(err) };
    }
  };
}

function describeBody(b: InvokeResult['body']): string {
  if (b.kind === 'raw') return ` (${b.contentType.split(';')[0]}, ${b.bytes.length} bytes)`;
  return b.kind === 'json' ? ' (JSON)' : '';
}

/** A planned `x-capgate-ask` with its messages rendered from the arguments. */
function toAsk(a: AskPlan): McpAsk {
  const confirm = a.confirm;
  return {
    missingArguments: a.missingArguments,
    questions: a.questions.map((q) => ({
      key: q.key,
      message: (args: JsonObject) => renderTemplate(q.message, (n) => args[n]).text,
      properties: { ...q.properties },
      required: q.required,
    })),
    ...(confirm ? { confirm: (args: JsonObject) => renderTemplate(confirm, (n) => args[n]).text } : {}),
  };
}

/** Completion values: the fixed list, or the consumed call's answer (a list of strings), filtered by the prefix. */
function completer(c: CompletePlan, deps: InvokeDeps): (value: string) => Promise<string[]> {
  return async (value) => {
    let values: readonly unknown[];
    if (c.kind === 'values') values = c.values;
    else {
      const result = await invoke(c.operation, { params: { value } }, deps);
      const tr = toToolResult(result, true);
      if (!tr.ok) throw tr.error;
      const picked = c.path ? c.path.evaluate(tr.value) : tr.value;
      values = Array.isArray(picked) ? picked : [];
    }
    const prefix = value.toLowerCase();
    return values.filter((v): v is string => typeof v === 'string' && v.toLowerCase().startsWith(prefix)).slice(0, 100);
  };
}

/** The caller's `maxWaitSeconds` when it gives one, else the declared timeout (invoke caps both at MAX_WAIT_MS). */
function waitMsOf(maxWaitSeconds: unknown, declared: number): number {
  return typeof maxWaitSeconds === 'number' && Number.isFinite(maxWaitSeconds) ? maxWaitSeconds * 1000 : declared;
}

/**
 * What invoke returned, as a tool result: upstream error statuses become tool errors carrying the status and the
 * vendor's body.
 */
export function toToolResult(result: InvokeResult, structured: boolean): ToolResult {
  const b = result.body;
  // A tool cannot follow a redirect: it is an error naming the status and the Location's origin.
  if (isRedirect(result.status)) return { ok: false, error: redirectError(result.status, result.headers?.location) };
  const text = b.kind === 'raw' ? b.bytes.toString('utf8') : b.kind === 'json' ? JSON.stringify(b.value) : '';
  if (result.upstreamError) return { ok: false, ...upstreamStatusError(result.status, text) };
  if (b.kind === 'json') return { ok: true, value: b.value, text };
  if (b.kind === 'empty') return { ok: true, value: {}, text: '' };
  // The value only matters for structuredContent; without an output schema the text is sent as is.
  const value = structured ? (b.json ?? parseJsonOrUndefined(text)) : text;
  return { ok: true, value: value === undefined ? text : value, text };
}

function toResource(r: McpResourcePlan, deps: InvokeDeps): McpResource {
  const base = {
    name: r.name,
    ...(r.title ? { title: r.title } : {}),
    ...(r.description ? { description: r.description } : {}),
    ...(r.mimeType ? { mimeType: r.mimeType } : {}),
  };
  if (r.location) {
    const location = r.location;
    return {
      ...base,
      uri: r.uri,
      list: () => listFileResources(location, r.uri, r.mimeType),
      read: (uri) => readFileResource(location, r.uri, uri, r.mimeType),
    };
  }
  const op = r.operation!;
  const complete = r.complete;
  return {
    ...base,
    ...(r.templated ? { uriTemplate: r.uri } : { uri: r.uri }),
    async read(_uri: string, vars: Record<string, string>, ctx: ToolCallContext) {
      const result = await invoke(op, { params: vars, signal: ctx.signal }, deps);
      const tr = toToolResult(result, false);
      if (!tr.ok) throw tr.error;
      // A binary answer (an image, a PDF …) is sent as base64 `blob`, never as mangled text.
      const b = result.body;
      if (b.kind === 'raw' && !isTextual(b.contentType))
        return { blob: b.bytes.toString('base64'), mimeType: r.mimeType ?? b.contentType.split(';')[0].trim() };
      return { text: tr.text ?? JSON.stringify(tr.value), mimeType: r.mimeType ?? 'application/json' };
    },
    ...(complete
      ? {
          complete: (variable: string, value: string) =>
            complete[variable] ? completer(complete[variable], deps)(value) : Promise.resolve([]),
        }
      : {}),
  };
}

function toPrompt(p: McpPromptPlan, deps: InvokeDeps): McpPrompt {
  return {
    name: p.name,
    ...(p.title ? { title: p.title } : {}),
    ...(p.description ? { description: p.description } : {}),
    arguments: p.arguments.map(({ complete, ...a }) => ({
      ...a,
      ...(complete ? { complete: completer(complete, deps) } : {}),
    })),
    ...(p.ask ? { ask: toAsk(p.ask) } : {}),
    async render(args) {
      if (p.file) {
        // A regular file only, capped: a FIFO or a device as prompt file must not hang or flood the request.
        const text = await readRegularFile(p.file, MAX_RESOURCE_BYTES).catch(() => {
          throw new GatewayError('NOT_FOUND', `prompt file for '${p.name}' is not readable`);
        });
        return [{ role: 'user', text: substitute(text, args) }];
      }
      return (p.messages ?? []).map((m) =>
        m.resource !== undefined
          ? { role: m.role, resource: substitute(m.resource, args) }
          : { role: m.role, text: substitute(m.content ?? '', args) },
      );
    },
  };
}

/** `{{arg}}` substitution in one pass: substituted values are never expanded again. */
export function substitute(text: string, args: Record<string, string>): string {
  return text.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (m, name: string) =>
    Object.hasOwn(args, name) ? String(args[name]) : m,
  );
}
