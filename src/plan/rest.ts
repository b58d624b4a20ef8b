/**
 * @module plan/rest — compile `type: rest` adapters into routes (Hono paths) whose handlers run
 * an OperationPlan; `forward` resources become catch-all proxy routes.
 */
import type { ExposedParamSpec, RestExposeSpec, RestOperationSpec, RestResourceSpec } from '../documents/types.ts';
import type { AdapterRef, InputParamPlan, RestRoutePlan } from './types.ts';
import { findKey, type DocContext } from './context.ts';
import { buildOperation, compileInput } from './operations.ts';
import { checkCallBindings, checkWithRefs, warnOnce } from './references.ts';
import type { WithOptions } from './with.ts';

export function buildRestRoutes(
  ctx: DocContext,
  spec: RestExposeSpec,
  pointer: string,
  adapter: AdapterRef,
  known: ReadonlySet<string>,
): RestRoutePlan[] {
  const routes: RestRoutePlan[] = [];
  (spec.resources ?? []).forEach((res, ri) => {
    const rp = `${pointer}/resources/${ri}`;
    const { honoPath, vars } = toHonoPath(res.path);
    (res.operations ?? []).forEach((op, oi) => {
      const route = buildRoute(ctx, spec, res, op, `${rp}/operations/${oi}`, adapter, known, honoPath, vars);
      if (route) routes.push(route);
    });
    if (res.forward) {
      const fwd = buildForward(ctx, res, rp, adapter);
      if (fwd) routes.push(fwd);
    }
  });
  return routes;
}

/** `/ships/{imo}` or `/ships/{{imo}}` → `/ships/:imo`; a `{path}` variable spans segments. */
export function toHonoPath(specPath: string): { honoPath: string; vars: string[] } {
  const vars: string[] = [];
  const honoPath = specPath.replace(/\{\{?\s*([^{}\s]+)\s*\}?\}/g, (_, name: string) => {
    vars.push(name);
    return name === 'path' ? ':path{.+}' : `:${name}`;
  });
  return { honoPath: honoPath.replace(/\/+$/, '') || '/', vars };
}

function buildRoute(
  ctx: DocContext,
  spec: RestExposeSpec,
  res: RestResourceSpec,
  op: RestOperationSpec,
  pointer: string,
  adapter: AdapterRef,
  known: ReadonlySet<string>,
  honoPath: string,
  pathVars: string[],
): RestRoutePlan | undefined {
  const declared = [...(spec.inputParameters ?? []), ...(res.inputParameters ?? []), ...(op.inputParameters ?? [])];
  const inputs = mergeInputs(ctx, declared, pointer, pathVars);
  const withOptions: WithOptions = { ownNamespace: spec.namespace, adapterPrefix: 'rest', knownNamespaces: known };
  const effective = implicitCall(ctx, op, pointer);
  const plan = buildOperation(ctx, {
    id: `${adapter.namespace}:${op.method} ${res.path}`,
    spec: effective,
    pointer,
    inputs,
    withOptions,
  });
  if (!plan) return undefined;
  const implicit = declared.length === 0;
  if (implicit && plan.with.some((w) => w.kind === 'ref')) {
    warnOnce(
      ctx,
      'REST_IMPLICIT_INPUTS',
      pointer,
      'REST operations without inputParameters read `rest.x` from the path, query string or JSON body',
      'declare inputParameters to get type checks and 400s for missing values',
    );
  }
  checkWithRefs(ctx, { inputs, with: plan.with, implicit }, pointer, 'rest');
  checkCallBindings(ctx, plan.action, { inputs, with: plan.with, implicit }, pointer);
  checkPathVarsUsed(ctx, pathVars, plan.with, inputs, plan.action, pointer);
  return { method: op.method, path: honoPath, specPath: res.path, pathVars, operation: plan, adapter };
}

/** Path variables become required string inputs unless declared; declared ones keep their spec. */
function mergeInputs(
  ctx: DocContext,
  declared: ExposedParamSpec[],
  pointer: string,
  pathVars: string[],
): InputParamPlan[] {
  const byKey = new Map<string, InputParamPlan>();
  declared.forEach((p, i) => byKey.set(p.name, compileInput(ctx, p, `${pointer}/inputParameters/${i}`, 'query')));
  for (const v of pathVars) {
    const hit = findKey(byKey.keys(), v);
    if (hit) {
      const cur = byKey.get(hit)!;
      if (cur.in !== 'path') byKey.set(hit, { ...cur, in: 'path', required: true });
      continue;
    }
    byKey.set(v, { name: v, in: 'path', type: 'string', required: true });
  }
  return [...byKey.values()];
}

/** Real files (datadog, github) omit `call` when the REST operation is named like a consumed one. */
function implicitCall(ctx: DocContext, op: RestOperationSpec, pointer: string): RestOperationSpec {
  if (op.call || op.steps || op.ref || !op.name) return op;
  const matches = [...ctx.upstreams.values()].filter((u) => u.operations.has(op.name!));
  if (matches.length !== 1) return op;
  const call = `${matches[0].namespace}.${op.name}`;
  warnOnce(
    ctx,
    'REST_IMPLICIT_CALL',
    pointer,
    `operation '${op.name}' has no call; calling '${call}', the consumed operation of the same name`,
    `write \`call: ${call}\``,
  );
  return { ...op, call };
}

function checkPathVarsUsed(
  ctx: DocContext,
  vars: string[],
  withEntries: readonly { key: string; kind: string; name?: string }[],
  inputs: InputParamPlan[],
  action: { kind: string; op?: { path: { vars: readonly string[] }; params: readonly { name: string }[] } },
  pointer: string,
): void {
  const used = new Set<string>();
  for (const w of withEntries) if (w.kind === 'ref' && w.name) used.add(w.name.toLowerCase());
  if (action.kind === 'call' && action.op) {
    for (const v of action.op.path.vars) used.add(v.toLowerCase());
    for (const p of action.op.params) used.add(p.name.toLowerCase());
  } else used.add('*');
  for (const v of vars) {
    if (used.has('*') || used.has(v.toLowerCase())) continue;
    const declared = inputs.find((i) => i.name === v && i.description);
    if (!declared)
      ctx.sink.warn(
        'REST_PATH_VAR_UNUSED',
        pointer,
        `path variable {${v}} is not passed to the upstream call`,
        `add \`with: { <param>: rest.${v} }\``,
      );
  }
}

function buildForward(
  ctx: DocContext,
  res: RestResourceSpec,
  pointer: string,
  adapter: AdapterRef,
): RestRoutePlan | undefined {
  const fwd = res.forward!;
  const upstream = ctx.upstreams.get(fwd.targetNamespace);
  if (!upstream) {
    ctx.sink.error(
      'FORWARD_UNKNOWN_NAMESPACE',
      `${pointer}/forward/targetNamespace`,
      `forward target '${fwd.targetNamespace}' is not a consumed namespace`,
      `consumed namespaces: ${[...ctx.upstreams.keys()].join(', ') || 'none'}`,
    );
    return undefined;
  }
  const { honoPath, vars } = toHonoPath(res.path);
  const path = vars.includes('path') ? honoPath : `${honoPath === '/' ? '' : honoPath}/:path{.+}`;
  return {
    method: '*',
    path,
    specPath: res.path,
    pathVars: [...new Set([...vars, 'path'])],
    adapter,
    operation: {
      id: `${adapter.namespace}:forward ${res.path}`,
      capability: ctx.capability,
      ownNamespace: adapter.namespace,
      inputs: [],
      with: [],
      action: { kind: 'forward', upstream, trustedHeaders: fwd.trustedHeaders ?? [] },
      source: { file: ctx.loaded.file, pointer: `${pointer}/forward` },
    },
  };
}
