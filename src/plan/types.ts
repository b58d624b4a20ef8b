/**
 * @module plan/types — the frozen, resolved form of all loaded capabilities: what will run.
 * Built once by plan/build.ts; read-only afterwards. A new Plan can replace the old one at run
 * time (hot reload) because servers look the current plan up per request.
 */
import type { Problem } from '../documents/problems.ts';
import type { AuthSpec, HttpMethod, ParamLocation } from '../documents/types.ts';
import type { Template } from '../mapping/template.ts';
import type { JsonTemplate } from '../mapping/json-template.ts';
import type { CompiledPath } from '../mapping/jsonpath.ts';
import type { RawFormat } from '../mapping/formats.ts';
import type { OutputShape } from '../mapping/output.ts';
import type { BindDeclaration } from '../secrets/types.ts';

export interface SourceRef {
  readonly file: string;
  readonly pointer: string;
}

export interface CapabilityPlan {
  /** Stable name: the file name without extension. */
  readonly name: string;
  readonly file: string;
  readonly label: string;
  readonly description?: string;
  readonly binds: readonly BindPlan[];
  /** Every bind variable name the capability declares. */
  readonly declaredVars: ReadonlySet<string>;
}

/** A `binds` entry: the secrets module reads and injects these (secrets/types.ts). */
export type BindPlan = BindDeclaration;

export interface UpstreamPlan {
  readonly id: string;
  readonly namespace: string;
  readonly capability: CapabilityPlan;
  /** Undefined when the file has no usable baseUri; an override must then supply one. */
  readonly baseUri?: Template;
  readonly auth?: AuthSpec;
  readonly params: readonly ConsumedParamPlan[];
  readonly operations: ReadonlyMap<string, ConsumedOperationPlan>;
  /** Bind variables referenced by baseUri, auth or parameter templates. */
  readonly secrets: readonly string[];
  readonly source: SourceRef;
}

export interface ConsumedParamPlan {
  readonly name: string;
  readonly in: ParamLocation;
  readonly value?: Template;
  readonly literal?: unknown;
  readonly required: boolean;
  readonly type?: string;
  readonly description?: string;
  readonly enum?: readonly unknown[];
}

export type BodyPlan =
  | { readonly kind: 'json-text'; readonly template: JsonTemplate }
  | { readonly kind: 'json-data'; readonly data: unknown }
  | { readonly kind: 'text'; readonly template: Template; readonly mediaType: string }
  | { readonly kind: 'xml'; readonly template: Template }
  | { readonly kind: 'form'; readonly data: unknown }
  | { readonly kind: 'multipart'; readonly data: unknown };

export interface ConsumedOperationPlan {
  readonly upstream: UpstreamPlan;
  readonly name: string;
  readonly description?: string;
  readonly method: HttpMethod;
  readonly path: Template;
  readonly params: readonly ConsumedParamPlan[];
  readonly body?: BodyPlan;
  readonly format: RawFormat;
  readonly outputSchema?: string;
  /** Consumed outputParameters `{name, value: $…}`: the projection steps store. */
  readonly projections?: ReadonlyArray<{ readonly name: string; readonly path: CompiledPath }>;
}

export type WithEntry =
  | { readonly key: string; readonly kind: 'ref'; readonly name: string }
  | { readonly key: string; readonly kind: 'template'; readonly template: Template }
  | { readonly key: string; readonly kind: 'literal'; readonly value: unknown };

export interface InputParamPlan {
  readonly name: string;
  readonly in: ParamLocation;
  readonly type?: string;
  readonly required: boolean;
  readonly description?: string;
  readonly pattern?: RegExp;
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
  /** Constant value (ignores the request) or JSONPath into the body. */
  readonly constant?: unknown;
  readonly bodyPath?: CompiledPath;
  readonly items?: unknown;
}

export type StepPlan =
  | {
      readonly kind: 'call';
      readonly name: string;
      readonly op: ConsumedOperationPlan;
      readonly with: readonly WithEntry[];
    }
  | {
      readonly kind: 'lookup';
      readonly name: string;
      readonly index: string;
      readonly match: string;
      readonly value: { readonly path?: CompiledPath; readonly template?: Template };
      readonly fields: readonly string[];
    };

export interface MappingPlan {
  readonly target: readonly string[];
  readonly path: CompiledPath;
}

export type ActionPlan =
  | { readonly kind: 'call'; readonly op: ConsumedOperationPlan }
  | { readonly kind: 'steps'; readonly steps: readonly StepPlan[]; readonly mappings: readonly MappingPlan[] }
  | { readonly kind: 'mock' }
  | { readonly kind: 'forward'; readonly upstream: UpstreamPlan; readonly trustedHeaders: readonly string[] }
  | { readonly kind: 'function'; readonly fn: OperationPlan };

export interface WaitPlan {
  readonly until: CompiledPath;
  readonly terminal: readonly unknown[];
  readonly failed: readonly unknown[];
  readonly progress?: {
    readonly current?: CompiledPath;
    readonly total?: CompiledPath;
    readonly message?: CompiledPath;
  };
  readonly intervalMs: number;
  readonly maxIntervalMs: number;
  readonly backoff: number;
  readonly jitter: number;
  readonly timeoutMs: number;
  /** States in which the operation waits for answers: a wait ends there (`done: false`), as only a task is answered. */
  readonly asking?: readonly unknown[];
}

/** A consumed call a task makes (its status read or its cancellation), with its own `with`. */
export interface TaskCallPlan {
  readonly op: ConsumedOperationPlan;
  readonly with: readonly WithEntry[];
}

/**
 * `x-capgate-task`: the element's long-running upstream operation, followed with one status call per poll. A task
 * keeps no state of its own: what the status (and cancel) call needs travels in the task's signed handle.
 */
export interface TaskPlan {
  /** The element submits the work: the operation id is read from its response here. */
  readonly submit?: { readonly operationId: CompiledPath };
  /** The element reads an existing operation: the input naming it (reported as the task's operation id). */
  readonly operationInput?: string;
  /** The status read. For an element that reads an existing operation, its own call and `with`. */
  readonly status: TaskCallPlan;
  readonly cancel?: TaskCallPlan;
  /** States, progress and pacing: the element's `x-capgate-wait` with the task's own keys over it. */
  readonly wait: WaitPlan;
  /** Terminal values that mean the operation was cancelled (reported as a cancelled task). */
  readonly cancelled: readonly unknown[];
  /** Where a failed operation's message is. */
  readonly error?: CompiledPath;
  readonly pollIntervalMs: number;
  readonly ttlMs: number;
  /** MCP: the tool only runs as a task. */
  readonly required: boolean;
  /** The operation asks questions while it runs (`input`). */
  readonly input?: TaskInputPlan;
  /**
   * Scope variables the handle keeps (lower-case, without '-' and '_'): what the status, cancel and answer calls
   * read of the task (not the answer's own `key`, `action` and `content`).
   */
  readonly keeps: ReadonlySet<string>;
}

/** `x-capgate-task.input`: in which states the operation waits for answers, its open questions, and the answer call. */
export interface TaskInputPlan {
  readonly when: readonly unknown[];
  /** Into the status answer: the open questions (a list, or an object keyed by question key). */
  readonly questions: CompiledPath;
  /** Into one question. */
  readonly key: CompiledPath;
  readonly message: CompiledPath;
  readonly schema: CompiledPath;
  /** Sends one answer; its scope is the task's seed with `key`, `action` and `content` (ANSWER_VARS). */
  readonly answer: TaskCallPlan;
}

/** One exposed, executable element (REST operation, MCP tool or resource, aggregate function). */
export interface OperationPlan {
  readonly id: string;
  readonly name?: string;
  readonly label?: string;
  readonly description?: string;
  readonly capability: CapabilityPlan;
  /** Namespace that `<ns>.x` references in `with` resolve against. */
  readonly ownNamespace: string;
  readonly inputs: readonly InputParamPlan[];
  readonly with: readonly WithEntry[];
  readonly action: ActionPlan;
  readonly output?: OutputShape;
  readonly mockOutput?: OutputShape;
  readonly wait?: WaitPlan;
  readonly task?: TaskPlan;
  readonly semantics?: { readonly safe?: boolean; readonly idempotent?: boolean; readonly cacheable?: boolean };
  readonly source: SourceRef;
}

export interface RestRoutePlan {
  readonly method: HttpMethod | '*';
  /** Hono-style path, e.g. `/ships/:imo` or `/notes/*` for forward. */
  readonly path: string;
  readonly specPath: string;
  readonly pathVars: readonly string[];
  readonly operation: OperationPlan;
  readonly adapter: AdapterRef;
}

export interface AdapterRef {
  readonly type: 'rest' | 'mcp' | 'control';
  readonly namespace: string;
  readonly capability: CapabilityPlan;
  readonly auth?: AuthSpec;
  readonly address?: string;
  readonly port?: number;
  readonly description?: string;
  readonly source: SourceRef;
}

export interface RestServerPlan {
  readonly port: number;
  readonly address?: string;
  readonly adapters: readonly AdapterRef[];
  readonly routes: readonly RestRoutePlan[];
}

export interface McpToolPlan {
  readonly name: string;
  readonly title?: string;
  readonly description: string;
  readonly inputSchema: Record<string, unknown>;
  readonly outputSchema?: Record<string, unknown>;
  readonly annotations?: Record<string, unknown>;
  readonly operation: OperationPlan;
  /** `x-capgate-content`: the content blocks of a result, from the upstream answer. */
  readonly content?: readonly ContentBlockPlan[];
  /** `x-capgate-ask` (the tool's own, else the adapter's): what to ask the user. */
  readonly ask?: AskPlan;
  /** `x-capgate-requires`: client capabilities the call needs. */
  readonly requires?: readonly string[];
}

export interface ContentBlockPlan {
  readonly type: 'text' | 'image' | 'audio' | 'resource';
  readonly from?: CompiledPath;
  readonly mimeType?: string;
  readonly uri?: string;
}

/** One question put to the user: a form of primitive fields whose answers become arguments. */
export interface QuestionPlan {
  readonly key: string;
  readonly message: Template;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly required: readonly string[];
}

export interface AskPlan {
  readonly missingArguments: boolean;
  /** Asked in order, one per round, before the call. */
  readonly questions: readonly QuestionPlan[];
  /** The confirmation asked last, when the call needs one. */
  readonly confirm?: Template;
}

/** Completion values: fixed, or from a consumed call (`value` is what the user typed). */
export type CompletePlan =
  | { readonly kind: 'values'; readonly values: readonly string[] }
  | { readonly kind: 'call'; readonly operation: OperationPlan; readonly path?: CompiledPath };

export interface McpResourcePlan {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
  readonly uri: string;
  readonly templated: boolean;
  /** Absolute path of the file or directory a `location: file:///…` resource serves. */
  readonly location?: string;
  readonly operation?: OperationPlan;
  /** Completion of the URI template's variables, by name. */
  readonly complete?: Readonly<Record<string, CompletePlan>>;
}

export interface McpPromptPlan {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly arguments: ReadonlyArray<{
    name: string;
    title?: string;
    description?: string;
    required: boolean;
    complete?: CompletePlan;
  }>;
  /** `content` text, or (`resource`) the URI of a resource to embed; both may hold {{argument}} placeholders. */
  readonly messages?: ReadonlyArray<{ role: 'user' | 'assistant'; content?: string; resource?: string }>;
  readonly file?: string;
  readonly ask?: AskPlan;
}

export interface McpAdapterPlan {
  readonly adapter: AdapterRef;
  readonly transport: 'http' | 'stdio';
  readonly tools: readonly McpToolPlan[];
  readonly resources: readonly McpResourcePlan[];
  readonly prompts: readonly McpPromptPlan[];
}

export interface McpServerPlan {
  readonly port: number;
  readonly address?: string;
  readonly adapters: readonly McpAdapterPlan[];
}

/** A `type: control` adapter: the management endpoints, on a port of their own. */
export interface ControlPlan {
  readonly adapter: AdapterRef;
  readonly port: number;
  readonly address?: string;
  /** Which endpoint groups it serves: health (default on), status (`management.info`), metrics, reload. */
  readonly endpoints: {
    readonly health: boolean;
    readonly status: boolean;
    readonly metrics: boolean;
    readonly reload: boolean;
  };
}

export interface Plan {
  readonly capabilities: readonly CapabilityPlan[];
  readonly upstreams: readonly UpstreamPlan[];
  readonly rest: readonly RestServerPlan[];
  readonly mcp: readonly McpServerPlan[];
  readonly stdio: readonly McpAdapterPlan[];
  /** The control adapter a file declares (the first one; at most one is served). */
  readonly control?: ControlPlan;
  /** Every problem of every file, in file order. */
  readonly problems: readonly Problem[];
  /** Files (display paths) with at least one error. */
  readonly invalidFiles: ReadonlySet<string>;
}
