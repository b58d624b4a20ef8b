/**
 * @module plan/capability — per-document planning: binds, namespace uniqueness, upstreams,
 * aggregate functions, then every adapter. Element builders are isolated so a malformed element
 * (even one the schema rejected) costs that element only, never the process.
 */
import path from 'node:path';
import type { LoadedDocument } from '../documents/load.ts';
import type {
  AdapterRef,
  BindPlan,
  CapabilityPlan,
  ControlPlan,
  McpAdapterPlan,
  RestRoutePlan,
  UpstreamPlan,
} from './types.ts';
import type {
  AggregateSpec,
  BindSpec,
  CapabilitySpec,
  ConsumesHttpSpec,
  ControlExposeSpec,
  ExposeSpec,
} from '../documents/types.ts';
import { isPlainObject as isObject } from '../common/json.ts';
import { pointerOf, segmentsOf } from '../common/json-pointer.ts';
import type { DocContext } from './context.ts';
import { buildUpstream } from './upstreams.ts';
import { buildOperation, compileInput } from './operations.ts';
import { buildRestRoutes } from './rest.ts';
import { buildMcpAdapter, completeDeclared } from './mcp.ts';
import { warnOnce } from './references.ts';
import { implicitEnvBinds } from './implicit-env.ts';

export interface DocumentPlan {
  readonly capability: CapabilityPlan;
  readonly upstreams: UpstreamPlan[];
  readonly rest: Array<{ adapter: AdapterRef; routes: RestRoutePlan[] }>;
  readonly mcp: McpAdapterPlan[];
  readonly control: ControlPlan[];
}

export function planDocument(loaded: LoadedDocument): DocumentPlan | undefined {
  const doc = loaded.doc;
  if (!doc || !isObject(doc.capability)) return undefined;
  const cap = doc.capability as CapabilitySpec;
  const binds = collectBinds(loaded);
  const implicit = implicitEnvBinds(loaded, binds);
  if (implicit) binds.push(implicit);
  const capability: CapabilityPlan = {
    name: path.basename(loaded.path).replace(/\.(naftiko\.)?ya?ml$/i, ''),
    file: loaded.file,
    label: String(doc.info?.label ?? doc.info?.name ?? path.basename(loaded.path)),
    description: typeof doc.info?.description === 'string' ? doc.info.description : undefined,
    binds,
    declaredVars: new Set(binds.flatMap((b) => Object.keys(b.keys))),
  };
  const ctx: DocContext = {
    loaded,
    sink: loaded.sink,
    capability,
    upstreams: new Map(),
    functions: new Map(),
    warnedOnce: new Set(),
  };
  checkNamespaces(ctx);
  listOf(cap.consumes).forEach((c, i) =>
    guard(ctx, `/capability/consumes/${i}`, () => addUpstream(ctx, c as ConsumesHttpSpec, i)),
  );
  listOf(cap.aggregates).forEach((a, i) => guard(ctx, `/capability/aggregates/${i}`, () => addAggregate(ctx, a, i)));
  const known = knownNamespaces(ctx, listOf(cap.exposes));
  const plan: DocumentPlan = { capability, upstreams: [...ctx.upstreams.values()], rest: [], mcp: [], control: [] };
  listOf(cap.exposes).forEach((e, i) =>
    guard(ctx, `/capability/exposes/${i}`, () => addExpose(ctx, plan, e, i, known)),
  );
  return plan;
}

/**
 * Run one element builder; an unexpected exception becomes a located error, not a crash. The
 * message names the element in the user's terms; the exception is kept as the problem's
 * non-enumerable `cause` (with its stack), never shown.
 */
function guard(ctx: DocContext, pointer: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    // With schema errors present, those already explain the malformed element.
    if (ctx.loaded.schemaValid || !ctx.sink.hasErrors()) {
      ctx.sink.internalError(
        'ELEMENT_INVALID',
        pointer,
        'internal error: capgate could not compile this element (a capgate bug, not a problem in your file); it is not served',
        err,
        'please report it as a capgate bug with this file; the rest of the file is not affected',
      );
    }
  }
}

/**
 * The list, or none when the value is not an array: the schema reports a wrong type, and the
 * document-level walks below must not crash on it (only element builders are guarded).
 */
function listOf<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

function collectBinds(loaded: LoadedDocument): BindPlan[] {
  const doc = loaded.doc!;
  const lists: Array<[BindSpec[] | undefined, string]> = [
    [doc.binds, '/binds'],
    [doc.capability?.binds, '/capability/binds'],
  ];
  return lists.flatMap(([list, base]) =>
    (Array.isArray(list) ? list : []).flatMap((b, i) => {
      if (!isObject(b)) return [];
      const keys = isObject(b.keys)
        ? (Object.fromEntries(Object.entries(b.keys).map(([k, v]) => [k, String(v)])) as Record<string, string>)
        : {};
      const keyPositions = Object.fromEntries(
        Object.keys(keys).map((k) => [k, loaded.locate(pointerOf(...segmentsOf(base), i, 'keys', k))]),
      );
      return [
        {
          namespace: String(b.namespace ?? ''),
          location: typeof b.location === 'string' ? b.location : undefined,
          keys,
          source: { file: loaded.file, pointer: `${base}/${i}` },
          keyPositions,
        },
      ];
    }),
  );
}

function checkNamespaces(ctx: DocContext): void {
  const doc = ctx.loaded.doc!;
  const seen = new Map<string, string>();
  const visit = (ns: unknown, pointer: string, what: string) => {
    if (typeof ns !== 'string') return;
    const prev = seen.get(ns);
    if (prev)
      ctx.sink.error(
        'NAMESPACE_DUPLICATE',
        pointer,
        `namespace '${ns}' (${what}) is already declared at ${prev}`,
        'namespaces must be unique across consumes, exposes, binds and aggregates',
      );
    else seen.set(ns, pointer);
  };
  listOf(doc.binds).forEach((b, i) => visit(b?.namespace, `/binds/${i}/namespace`, 'binds'));
  listOf(doc.capability?.binds).forEach((b, i) => visit(b?.namespace, `/capability/binds/${i}/namespace`, 'binds'));
  listOf(doc.capability?.consumes).forEach((c, i) =>
    visit((c as { namespace?: unknown })?.namespace, `/capability/consumes/${i}/namespace`, 'consumes'),
  );
  listOf(doc.capability?.exposes).forEach((e, i) =>
    visit((e as { namespace?: unknown })?.namespace, `/capability/exposes/${i}/namespace`, 'exposes'),
  );
  listOf(doc.capability?.aggregates).forEach((a, i) =>
    visit(a?.namespace, `/capability/aggregates/${i}/namespace`, 'aggregates'),
  );
}

function addUpstream(ctx: DocContext, c: ConsumesHttpSpec, i: number): void {
  if (!isObject(c) || typeof c.namespace !== 'string' || 'location' in c) return;
  if (ctx.upstreams.has(c.namespace)) return;
  ctx.upstreams.set(c.namespace, buildUpstream(ctx, c, `/capability/consumes/${i}`));
}

function addAggregate(ctx: DocContext, a: AggregateSpec, i: number): void {
  const known = new Set([...ctx.upstreams.keys(), a.namespace]);
  (a.functions ?? []).forEach((f, fi) => {
    const pointer = `/capability/aggregates/${i}/functions/${fi}`;
    const ref = `${a.namespace}.${f.name}`;
    if (ctx.functions.has(ref)) {
      ctx.sink.error('REF_DUPLICATE', `${pointer}/name`, `duplicate aggregate function ref '${ref}'`);
      return;
    }
    const inputs = (f.inputParameters ?? []).map((p, pi) =>
      compileInput(ctx, p, `${pointer}/inputParameters/${pi}`, 'body'),
    );
    const op = buildOperation(ctx, {
      id: `${ref}`,
      spec: f,
      pointer,
      inputs,
      withOptions: { ownNamespace: a.namespace, knownNamespaces: known },
      semantics: f.semantics,
    });
    if (op) ctx.functions.set(ref, { ...op, inputs: completeDeclared(ctx, inputs, op, pointer) });
  });
}

function knownNamespaces(ctx: DocContext, exposes: ExposeSpec[]): Set<string> {
  const set = new Set<string>([...ctx.upstreams.keys(), ...ctx.capability.binds.map((b) => b.namespace)]);
  for (const e of exposes) if (isObject(e) && typeof e.namespace === 'string') set.add(e.namespace);
  for (const ref of ctx.functions.keys()) set.add(ref.split('.')[0]);
  return set;
}

function addExpose(ctx: DocContext, plan: DocumentPlan, e: ExposeSpec, i: number, known: Set<string>): void {
  if (!e || typeof e !== 'object') return;
  const pointer = `/capability/exposes/${i}`;
  if (e.type === 'control') {
    plan.control.push(buildControl(ctx, e, pointer));
    return;
  }
  if (e.type === 'skill') {
    warnOnce(
      ctx,
      `EXPOSE_${e.type.toUpperCase()}_NOT_SERVED`,
      pointer,
      `'${e.type}' adapters are accepted but not served by capgate yet`,
    );
    return;
  }
  if (isEmptyAdapter(e)) {
    ctx.sink.warn(
      'EXPOSE_EMPTY',
      pointer,
      `${e.type} adapter '${String(e.namespace)}' declares nothing to serve; it is not served (no port is opened for it)`,
      e.type === 'rest'
        ? 'add resources, or remove the adapter'
        : 'add tools, resources or prompts, or remove the adapter',
    );
    return;
  }
  const adapter: AdapterRef = {
    type: e.type,
    namespace: e.namespace,
    capability: ctx.capability,
    auth: e.authentication,
    address: e.address,
    port: e.port,
    description: e.description,
    source: { file: ctx.loaded.file, pointer },
  };
  if (e.type === 'rest') plan.rest.push({ adapter, routes: buildRestRoutes(ctx, e, pointer, adapter, known) });
  if (e.type === 'mcp') {
    if (e.port === undefined && e.transport !== 'stdio') {
      ctx.sink.warn(
        'MCP_PORT_DEFAULT',
        pointer,
        `MCP adapter '${e.namespace}' declares no port; serving it on 9090`,
        'add `port: 9090` (or another port) to make it explicit',
      );
    }
    if ((e.tools ?? []).some((t) => (t.inputParameters ?? []).some((p) => 'in' in p))) {
      warnOnce(
        ctx,
        'MCP_INPUT_IN_IGNORED',
        pointer,
        '`in` on MCP tool inputParameters is ignored: MCP arguments have no location',
      );
    }
    plan.mcp.push(buildMcpAdapter(ctx, e, pointer, adapter, known));
  }
}

/**
 * A control adapter: health on unless `management.health: false`, status only with `management.info: true` (as the
 * reference engine), metrics unless `observability.metrics.local.enabled: false`, reload with `management.reload`.
 */
function buildControl(ctx: DocContext, e: ControlExposeSpec, pointer: string): ControlPlan {
  const management = isObject(e.management) ? e.management : {};
  const observability = isObject(e.observability) ? e.observability : {};
  const metrics = isObject(observability.metrics) ? observability.metrics : {};
  const local = isObject(metrics.local) ? metrics.local : {};
  return {
    adapter: {
      type: 'control',
      namespace: 'control',
      capability: ctx.capability,
      auth: e.authentication as AdapterRef['auth'],
      address: e.address,
      port: e.port,
      source: { file: ctx.loaded.file, pointer },
    },
    port: e.port,
    address: e.address,
    endpoints: {
      health: management.health !== false,
      status: management.info === true,
      metrics: observability.enabled !== false && local.enabled !== false,
      reload: management.reload === true,
    },
  };
}

/** A REST adapter with no resources, or an MCP adapter with no tools, resources or prompts. */
function isEmptyAdapter(e: ExposeSpec): boolean {
  const none = (list: unknown) => Array.isArray(list) && list.length === 0;
  if (e.type === 'rest') return none(e.resources);
  if (e.type === 'mcp') return none(e.tools) && !e.resources?.length && !e.prompts?.length;
  return false;
}
