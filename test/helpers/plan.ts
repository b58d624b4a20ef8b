/**
 * @module test/helpers/plan — socket-free building blocks for unit tests: a Plan from inline
 * YAML (parsed in memory) and a fake HttpClient that records requests and answers from a
 * function.
 */
import path from 'node:path';
import { parseDocumentText } from '../../src/documents/load.ts';
import { buildPlan } from '../../src/plan/build.ts';
import type { Plan } from '../../src/plan/types.ts';
import type { HttpClient, UpstreamRequest, UpstreamResponse } from '../../src/consume/http.ts';
import { createDeps } from '../../src/gateway/deps.ts';
import type { InvokeDeps } from '../../src/invoke/deps.ts';

/** Plan one in-memory document; throws on errors so a broken fixture is obvious. */
export function planFrom(yaml: string, file = path.resolve('test-fixture.yaml')): Plan {
  const plan = buildPlan([parseDocumentText(file, yaml)]);
  const errors = plan.problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new Error(errors.map((e) => `${e.pointer}: ${e.message}`).join('\n'));
  return plan;
}

export interface FakeReply {
  status?: number;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface FakeHttp extends HttpClient {
  readonly requests: UpstreamRequest[];
}

/** An HttpClient that never opens a socket. */
export function fakeHttp(
  answer: (req: UpstreamRequest, n: number) => FakeReply | Error = () => ({ body: '{}' }),
): FakeHttp {
  const requests: UpstreamRequest[] = [];
  return {
    requests,
    async request(req): Promise<UpstreamResponse> {
      requests.push(req);
      const r = answer(req, requests.length);
      if (r instanceof Error) throw r;
      const contentType = r.contentType ?? 'application/json';
      return {
        status: r.status ?? 200,
        headers: { 'content-type': contentType, ...(r.headers ?? {}) },
        contentType,
        body: Buffer.from(r.body ?? ''),
      };
    },
    async close() {},
  };
}

/** InvokeDeps over a fake client; every consumed namespace → `http://up.test` unless overridden. */
export async function fakeDeps(
  plan: Plan,
  http: HttpClient,
  opts: { env?: Record<string, string>; overrides?: Record<string, string> } = {},
): Promise<InvokeDeps> {
  const overrides = new Map(plan.upstreams.map((u) => [u.namespace, 'http://up.test'] as [string, string]));
  for (const [k, v] of Object.entries(opts.overrides ?? {})) overrides.set(k, v);
  return createDeps(plan, { env: opts.env ?? {}, overrides, http });
}

/** Find an upstream operation by `<namespace>.<name>`. */
export function consumed(plan: Plan, ref: string) {
  const [ns, name] = [ref.slice(0, ref.indexOf('.')), ref.slice(ref.indexOf('.') + 1)];
  const op = plan.upstreams.find((u) => u.namespace === ns)?.operations.get(name);
  if (!op) throw new Error(`no consumed operation ${ref}`);
  return op;
}

/** Find an exposed REST operation by method and spec path. */
export function restOp(plan: Plan, method: string, specPath: string) {
  const r = plan.rest.flatMap((s) => s.routes).find((x) => x.method === method && x.specPath === specPath);
  if (!r) throw new Error(`no route ${method} ${specPath}`);
  return r.operation;
}
