/**
 * @module invoke/steps — orchestration: call steps in order over a running scope, lookup steps
 * joining earlier outputs, then `mappings` build the answer. Unlike the reference engine, an
 * upstream error inside the steps stops the run and is reported (STEP_FAILED), and lookup
 * results are visible to later steps.
 */
import { GatewayError } from '../common/errors.ts';
import type { ActionPlan, OperationPlan, StepPlan } from '../plan/types.ts';
import type { InvokeDeps } from './deps.ts';
import { callOperation } from '../consume/call.ts';
import { scopeLookup } from '../mapping/scope.ts';
import { renderTemplate } from '../mapping/template.ts';
import { applyWith } from './apply-with.ts';
import { parsed } from './upstream-result.ts';
import type { InvokeRequest, InvokeResult } from './types.ts';
import { isRedirect, redirectError } from './redirect.ts';
import { headerText } from './passed-headers.ts';

type Steps = Extract<ActionPlan, { kind: 'steps' }>;

export async function runSteps(
  op: OperationPlan,
  action: Steps,
  scope: Record<string, unknown>,
  req: InvokeRequest,
  deps: InvokeDeps,
): Promise<InvokeResult> {
  const running: Record<string, unknown> = { ...scope };
  const outputs: Record<string, unknown> = {};
  let last: unknown;
  for (const step of action.steps) {
    const out = step.kind === 'call' ? await callStep(step, running, req, deps) : lookupStep(step, outputs, running);
    if (out === undefined) continue;
    outputs[step.name] = out;
    running[step.name] = out;
    if (step.kind === 'call') last = out;
  }
  const result: Record<string, unknown> = {};
  let resolved = 0;
  for (const m of action.mappings) {
    const v = m.path.evaluate(outputs);
    if (v === undefined) continue;
    setPath(result, m.target, v);
    resolved++;
  }
  if (resolved) return { status: 200, body: { kind: 'json', value: result } };
  return last === undefined
    ? { status: 204, body: { kind: 'empty' } }
    : { status: 200, body: { kind: 'json', value: last } };
}

async function callStep(
  step: Extract<StepPlan, { kind: 'call' }>,
  running: Record<string, unknown>,
  req: InvokeRequest,
  deps: InvokeDeps,
): Promise<unknown> {
  const scope = applyWith(step.with, running);
  const res = await callOperation(step.op, scope, deps, { signal: req.signal, trace: req.trace });
  if (isRedirect(res.status)) {
    const operation = `${step.op.upstream.namespace}.${step.op.name}`;
    throw redirectError(res.status, headerText(res.headers.location), { operation, step: step.name });
  }
  if (res.status >= 400) {
    throw new GatewayError(
      'STEP_FAILED',
      `step '${step.name}' (${step.op.upstream.namespace}.${step.op.name}) failed: upstream returned ${res.status}`,
      {
        status: res.status >= 500 ? 502 : res.status,
        details: { step: step.name, upstreamStatus: res.status, upstreamBody: res.body.toString('utf8').slice(0, 500) },
      },
    );
  }
  const body = parsed(step.op, res);
  const projections = step.op.projections;
  if (!projections || body === undefined) return body;
  const project = (el: unknown) => {
    const o: Record<string, unknown> = el && typeof el === 'object' ? { ...(el as object) } : {};
    for (const p of projections) o[p.name] = p.path.evaluate(el) ?? null;
    return o;
  };
  return Array.isArray(body) ? body.map(project) : project(body);
}

function lookupStep(
  step: Extract<StepPlan, { kind: 'lookup' }>,
  outputs: Record<string, unknown>,
  running: Record<string, unknown>,
): unknown {
  const index = outputs[step.index];
  const entries = Array.isArray(index) ? index : index && typeof index === 'object' ? [index] : [];
  const wanted = step.value.path
    ? step.value.path.evaluate(outputs)
    : renderTemplate(step.value.template!, scopeLookup(running)).text;
  const pick = (entry: unknown) => {
    const e = entry as Record<string, unknown>;
    return step.fields.length ? Object.fromEntries(step.fields.map((f) => [f, e[f] ?? null])) : e;
  };
  const find = (v: unknown) =>
    entries.find((e) => e && typeof e === 'object' && String((e as Record<string, unknown>)[step.match]) === String(v));
  if (Array.isArray(wanted))
    return wanted
      .map(find)
      .filter((e) => e !== undefined)
      .map(pick);
  const hit = find(wanted);
  return hit === undefined ? undefined : pick(hit);
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cur = target;
  for (let i = 0; i < path.length - 1; i++) {
    const next = cur[path[i]];
    cur = (next && typeof next === 'object' ? next : (cur[path[i]] = {})) as Record<string, unknown>;
  }
  cur[path[path.length - 1]] = value;
}
