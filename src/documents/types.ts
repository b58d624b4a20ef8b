/**
 * @module documents/types — TypeScript view of a normalised Naftiko document (what schema/ accepts).
 * Names follow the YAML; everything the schema makes optional is optional here.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
export type ParamLocation = 'query' | 'header' | 'path' | 'cookie' | 'body' | 'environment';

export interface CapabilityDocument {
  naftiko: string;
  info?: InfoSpec;
  binds?: BindSpec[];
  capability?: CapabilitySpec;
  consumes?: ConsumesEntrySpec[];
}

export interface InfoSpec {
  label?: string;
  name?: string;
  description?: string;
  tags?: string[];
  [key: string]: unknown;
}

export interface BindSpec {
  namespace: string;
  description?: string;
  location?: string;
  keys: Record<string, string>;
}

export interface CapabilitySpec {
  binds?: BindSpec[];
  consumes?: ConsumesEntrySpec[];
  exposes?: ExposeSpec[];
  aggregates?: AggregateSpec[];
}

export type ConsumesEntrySpec = ConsumesHttpSpec | ConsumesImportSpec;

export interface ConsumesImportSpec {
  location: string;
  import: string;
  as?: string;
  description?: string;
}

export interface ConsumesHttpSpec {
  type: 'http';
  namespace: string;
  baseUri?: string;
  description?: string;
  authentication?: AuthSpec;
  inputParameters?: ConsumedParamSpec[];
  resources?: ConsumedResourceSpec[];
}

export interface ConsumedResourceSpec {
  name?: string;
  label?: string;
  description?: string;
  path?: string;
  inputParameters?: ConsumedParamSpec[];
  operations?: ConsumedOperationSpec[];
}

export interface ConsumedOperationSpec {
  name: string;
  label?: string;
  description?: string;
  method?: HttpMethod;
  path?: string;
  inputParameters?: ConsumedParamSpec[];
  body?: string | { type: string; data: unknown };
  outputRawFormat?: string;
  outputSchema?: string;
  outputParameters?: OutputParamSpec[];
}

export interface ConsumedParamSpec {
  name: string;
  in?: ParamLocation;
  value?: unknown;
  type?: string;
  required?: boolean;
  description?: string;
}

export type AuthSpec =
  | { type: 'bearer'; token: string }
  | { type: 'apikey'; key: string; value: string; placement?: 'header' | 'query' }
  | { type: 'basic' | 'digest'; username: string; password: string }
  | {
      type: 'oauth2';
      authorizationServerUri?: string;
      resource?: string;
      scopes?: string[];
      audience?: string;
      tokenEndpoint?: string;
      tokenValidation?: 'jwks' | 'introspection';
      clientId?: string;
      clientSecret?: string;
    };

export type ExposeSpec = RestExposeSpec | McpExposeSpec | SkillExposeSpec | ControlExposeSpec;

export interface RestExposeSpec {
  type: 'rest';
  namespace: string;
  address?: string;
  port: number;
  description?: string;
  authentication?: AuthSpec;
  inputParameters?: ExposedParamSpec[];
  resources: RestResourceSpec[];
}

export interface RestResourceSpec {
  path: string;
  name?: string;
  label?: string;
  description?: string;
  inputParameters?: ExposedParamSpec[];
  operations?: RestOperationSpec[];
  forward?: { targetNamespace: string; trustedHeaders?: string[] };
}

export interface ExecutableSpec {
  name?: string;
  label?: string;
  description?: string;
  call?: string;
  ref?: string;
  with?: Record<string, unknown>;
  steps?: StepSpec[];
  mappings?: MappingSpec[];
  outputParameters?: OutputParamSpec[];
  'x-capgate-wait'?: WaitSpec;
  'x-capgate-task'?: TaskSpec;
}

export interface RestOperationSpec extends ExecutableSpec {
  method: HttpMethod;
  path?: string;
  inputParameters?: ExposedParamSpec[];
}

export interface ExposedParamSpec {
  name: string;
  in?: ParamLocation;
  type?: string;
  description?: string;
  required?: boolean;
  pattern?: string;
  value?: unknown;
  items?: unknown;
  enum?: unknown[];
  default?: unknown;
  /** MCP tools: the client mirrors this argument in an `Mcp-Param-<name>` header. */
  'x-mcp-header'?: string;
}

export interface McpExposeSpec {
  type: 'mcp';
  namespace: string;
  transport?: 'http' | 'stdio';
  address?: string;
  port?: number;
  description?: string;
  authentication?: AuthSpec;
  tools?: McpToolSpec[];
  resources?: McpResourceSpec[];
  prompts?: McpPromptSpec[];
  'x-capgate-ask'?: AskSpec;
}

export interface McpToolSpec extends ExecutableSpec {
  hints?: { readOnly?: boolean; destructive?: boolean; idempotent?: boolean; openWorld?: boolean };
  inputParameters?: ExposedParamSpec[];
  inputSchema?: Record<string, unknown>;
  'x-capgate-content'?: ContentBlockSpec | ContentBlockSpec[];
  'x-capgate-ask'?: AskSpec;
  'x-capgate-requires'?: Array<'elicitation' | 'sampling' | 'roots'>;
}

/** `x-capgate-content`: one MCP content block of a tool result, from the upstream answer. */
export interface ContentBlockSpec {
  type: 'text' | 'image' | 'audio' | 'resource';
  from?: string;
  mimeType?: string;
  uri?: string;
}

/** `x-capgate-ask`: what to ask the user (MCP elicitation) before or instead of failing a call. */
export interface AskSpec {
  missingArguments?: boolean;
  confirm?: boolean | string;
  confirmDestructive?: boolean;
  questions?: Array<{ key: string; message: string; properties: Record<string, unknown>; required?: string[] }>;
}

/** `x-capgate-complete`: completion values of a prompt argument or URI template variable. */
export interface CompleteSpec {
  values?: string[];
  call?: string;
  with?: Record<string, unknown>;
  path?: string;
}

export interface McpResourceSpec extends ExecutableSpec {
  name: string;
  uri: string;
  mimeType?: string;
  location?: string;
  'x-capgate-complete'?: Record<string, CompleteSpec>;
}

export interface McpPromptSpec {
  name: string;
  label?: string;
  description?: string;
  arguments?: Array<{
    name: string;
    label?: string;
    description?: string;
    required?: boolean;
    'x-capgate-complete'?: CompleteSpec;
  }>;
  template?: Array<{ role: 'user' | 'assistant'; content?: string; 'x-capgate-resource'?: string }>;
  location?: string;
  'x-capgate-ask'?: AskSpec;
}

export interface SkillExposeSpec {
  type: 'skill';
  namespace?: string;
  port?: number;
  address?: string;
  skills?: unknown[];
  [key: string]: unknown;
}

export interface ControlExposeSpec {
  type: 'control';
  port: number;
  address?: string;
  [key: string]: unknown;
}

export type StepSpec =
  | { type: 'call'; name: string; call: string; with?: Record<string, unknown> }
  | {
      type: 'lookup';
      name: string;
      index: string;
      match: string;
      lookupValue: string;
      outputParameters?: Array<string | { name: string }>;
    }
  | { type: 'script'; name: string; [key: string]: unknown };

export interface MappingSpec {
  targetName: string;
  value: string;
}

export interface OutputParamSpec {
  name?: string;
  type?: string;
  mapping?: string;
  value?: unknown;
  properties?: Record<string, OutputParamSpec>;
  items?: OutputParamSpec;
  description?: string;
  'x-capgate-translate'?: { map: Record<string, unknown>; default?: unknown };
  'x-capgate-literal'?: boolean;
}

export interface AggregateSpec {
  label?: string;
  namespace: string;
  functions: AggregateFunctionSpec[];
}

export interface AggregateFunctionSpec extends ExecutableSpec {
  name: string;
  description?: string;
  semantics?: { safe?: boolean; idempotent?: boolean; cacheable?: boolean };
  inputParameters?: ExposedParamSpec[];
}

/** `x-capgate-task`: the element's long-running operation followed as a task (see schema CapgateTask). */
export interface TaskSpec {
  operationId?: string;
  status?: TaskCallSpec;
  cancel?: TaskCallSpec;
  until?: string;
  terminal?: unknown[];
  failed?: unknown[];
  cancelled?: unknown[];
  error?: string;
  progress?: { current?: string; total?: string; message?: string };
  pollIntervalMs?: number;
  ttlMs?: number;
  required?: boolean;
  input?: TaskInputSpec;
}

/** `x-capgate-task.input`: an operation that asks questions while it runs. */
export interface TaskInputSpec {
  when: unknown[];
  questions: string;
  key?: string;
  message?: string;
  schema?: string;
  answer: TaskCallSpec;
}

export interface TaskCallSpec {
  call: string;
  with?: Record<string, unknown>;
}

export interface WaitSpec {
  until: string;
  terminal: unknown[];
  failed?: unknown[];
  progress?: { current?: string; total?: string; message?: string };
  intervalMs?: number;
  maxIntervalMs?: number;
  backoff?: number;
  jitter?: number;
  timeoutMs?: number;
}
