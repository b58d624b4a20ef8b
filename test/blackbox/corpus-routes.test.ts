/**
 * Corpus route test: every real capability file of ../shared/corpus that plans without errors on
 * its own gets its REST routes exercised once each — path variables and required inputs filled
 * with sample values, every consumed namespace pointed at one catch-all mock upstream, fake
 * values for every environment bind — through `app.request()` on the gateway's REST app. Each
 * request must reach the mock (or be answered without an upstream, for mocks) with no
 * unresolved placeholder in the upstream URL.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCapabilities } from '../../src/documents/index.ts';
import { buildPlan } from '../../src/plan/build.ts';
import type { AdapterRef, InputParamPlan, Plan, RestRoutePlan } from '../../src/plan/types.ts';
import { createDeps } from '../../src/gateway/deps.ts';
import { createGateway } from '../../src/gateway/gateway.ts';
import { createHttpClient, type HttpClient } from '../../src/consume/http.ts';
import { startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.ts';
import { overridesFor } from '../helpers/start-gateway.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = path.resolve(ROOT, '../shared');
const corpus = path.join(shared, 'corpus');

const SECRET = 'test-secret';

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/i.test(name)) out.push(p);
  }
  return out;
}

/** A value that passes the input's declared type, enum and pattern when we can find one. */
function sample(input: InputParamPlan): unknown {
  if (input.enum?.length) return input.enum[0];
  switch (input.type) {
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return ['x'];
    case 'object':
      return { k: 'v' };
  }
  const candidates = [
    's1',
    'abc',
    '1',
    'a',
    'ABC',
    '2024-01-01',
    '2024-01-01T00:00:00Z',
    'x@example.com',
    'https://example.com',
    '00000000-0000-0000-0000-000000000000',
  ];
  return input.pattern ? (candidates.find((c) => input.pattern!.test(c)) ?? 's1') : 's1';
}

const asText = (v: unknown) => (typeof v === 'object' ? JSON.stringify(v) : String(v));

interface Built {
  readonly url: string;
  readonly init: RequestInit;
}

function buildRequest(route: RestRoutePlan, env: Record<string, string>): Built | string {
  const op = route.operation;
  const inputs = op.inputs;
  const headers: Record<string, string> = {};
  const query = new URLSearchParams();
  const body: Record<string, unknown> = {};
  let pathText = route.path.replace(/:path\{\.\+\}/g, 'a/b').replace(/:([A-Za-z0-9_.$-]+)/g, (_, name: string) => {
    const input = inputs.find((i) => i.name === name) ?? { name, in: 'path', type: 'string', required: true };
    return encodeURIComponent(asText(sample(input as InputParamPlan)));
  });
  if (pathText === '') pathText = '/';
  for (const i of inputs) {
    if (!i.required || i.in === 'path' || i.constant !== undefined || i.default !== undefined) continue;
    const v = sample(i);
    if (i.in === 'query') query.append(i.name, Array.isArray(v) ? v.join(',') : asText(v));
    else if (i.in === 'header') headers[i.name] = asText(v);
    else if (i.in === 'cookie')
      headers.cookie = `${headers.cookie ? `${headers.cookie}; ` : ''}${i.name}=${encodeURIComponent(asText(v))}`;
    else if (i.bodyPath) return 'required input read from a body path';
    else body[i.name] = v;
  }
  // Names the call reads that no declared input provides: sent as query values (REST reads
  // undeclared `rest.x` from the query string too).
  for (const name of undeclaredNeeds(route)) {
    if (inputs.some((i) => i.name.toLowerCase() === name.toLowerCase()) || route.pathVars.includes(name)) continue;
    if (!query.has(name)) query.append(name, 's1');
  }
  const denied = credentials(route.adapter, headers, query, env);
  if (denied) return denied;
  const method = route.method === '*' ? 'GET' : route.method;
  const init: RequestInit = { method, headers };
  if (Object.keys(body).length || ['POST', 'PUT', 'PATCH'].includes(method)) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const qs = query.toString();
  return { url: `http://127.0.0.1${pathText}${qs ? `?${qs}` : ''}`, init };
}

/** `with` references, and consumed path variables and required parameters that `with` does not feed. */
function undeclaredNeeds(route: RestRoutePlan): string[] {
  const op = route.operation;
  const out = new Set<string>();
  for (const w of op.with) {
    if (w.kind === 'ref') out.add(w.name);
    else if (w.kind === 'template')
      for (const v of w.template.vars) if (!/^[A-Z][A-Z0-9_]*$/.test(v) && !v.includes('.')) out.add(v);
  }
  const action = op.action.kind === 'function' ? op.action.fn.action : op.action;
  if (action.kind === 'call') {
    const fed = new Set(op.with.map((w) => w.key.toLowerCase()));
    const consumed = [...action.op.upstream.params, ...action.op.params];
    for (const v of action.op.path.vars)
      if (!fed.has(v.toLowerCase()) && !/^[A-Z][A-Z0-9_]*$/.test(v) && !v.includes('.')) out.add(v);
    for (const p of consumed) {
      if (
        !p.required ||
        p.value ||
        p.literal !== undefined ||
        p.in === 'environment' ||
        p.in === 'body' ||
        fed.has(p.name.toLowerCase())
      )
        continue;
      out.add(p.name);
    }
  }
  return [...out];
}

/** Credentials for adapters with server auth, rendered from the fake env; a reason when we cannot. */
function credentials(
  adapter: AdapterRef,
  headers: Record<string, string>,
  query: URLSearchParams,
  env: Record<string, string>,
): string | undefined {
  const a = adapter.auth;
  if (!a) return undefined;
  const render = (v: string | undefined) =>
    (v ?? '').replace(/\{\{\s*([^{}\s]+)\s*\}\}/g, (_, n: string) => env[n.replace(/^.*\./, '')] ?? SECRET);
  switch (a.type) {
    case 'bearer':
      headers.authorization = `Bearer ${render(a.token)}`;
      return undefined;
    case 'apikey':
      if (a.placement === 'query') query.set(render(a.key), render(a.value));
      else headers[render(a.key)] = render(a.value);
      return undefined;
    case 'basic':
      headers.authorization = `Basic ${Buffer.from(`${render(a.username)}:${render(a.password)}`).toString('base64')}`;
      return undefined;
    default:
      return `server authentication '${a.type}'`;
  }
}

function fakeEnv(plan: Plan): Record<string, string> {
  const env: Record<string, string> = {};
  for (const cap of plan.capabilities)
    for (const b of cap.binds) if (!b.location) for (const v of Object.values(b.keys)) env[v] = SECRET;
  return env;
}

const fakeTokenFetch = (async () =>
  new Response(JSON.stringify({ access_token: 'oauth-test-token', token_type: 'Bearer', expires_in: 3600 }), {
    headers: { 'content-type': 'application/json' },
  })) as unknown as typeof fetch;

interface Tally {
  files: number;
  filesLoaded: number;
  filesWithErrors: number;
  filesWithoutRest: number;
  routes: number;
  reached: number;
  answeredWithoutUpstream: number;
  skipped: Map<string, number>;
  failures: string[];
}

describe.skipIf(!existsSync(corpus))(
  `corpus REST routes (needs ${corpus}; skipped when the shared corpus is absent)`,
  () => {
    let mock: MockUpstream;
    let http: HttpClient;
    const tally: Tally = {
      files: 0,
      filesLoaded: 0,
      filesWithErrors: 0,
      filesWithoutRest: 0,
      routes: 0,
      reached: 0,
      answeredWithoutUpstream: 0,
      skipped: new Map(),
      failures: [],
    };

    beforeAll(async () => {
      mock = await startMockUpstream({ catchAll: 'echo' });
      http = createHttpClient();
    });
    afterAll(async () => {
      await http?.close();
      await mock?.close();
    });

    it(
      'every route of every error-free corpus file reaches the mock with a fully resolved URL',
      { timeout: 600_000 },
      async () => {
        const files = yamlFiles(corpus);
        tally.files = files.length;
        for (const file of files) {
          const { documents } = await loadCapabilities([file]);
          const doc = documents.find((d) => d.path === file);
          if (!doc?.doc || doc.kind !== 'capability') continue;
          const plan = buildPlan([doc], { partial: true });
          if (plan.problems.some((p) => p.severity === 'error')) {
            tally.filesWithErrors++;
            continue;
          }
          tally.filesLoaded++;
          const routes = plan.rest.flatMap((s) => s.routes);
          if (!routes.length) {
            tally.filesWithoutRest++;
            continue;
          }
          const env = fakeEnv(plan);
          const rt = await createDeps(plan, {
            env,
            overrides: overridesFor(plan.upstreams, mock.url),
            http,
            fetch: fakeTokenFetch,
          });
          const rest = createGateway(plan, rt, { restPort: 0, mcpPort: 0 })
            .apps()
            .find((a) => a.kind === 'rest')!.app;
          const rel = path.relative(corpus, file);
          for (const route of routes) {
            tally.routes++;
            const label = `${rel} ${route.method} ${route.specPath}`;
            const built = buildRequest(route, env);
            if (typeof built === 'string') {
              tally.skipped.set(built, (tally.skipped.get(built) ?? 0) + 1);
              continue;
            }
            mock.clear();
            const res = await rest.request(built.url, built.init);
            const text = await res.text();
            const action = route.operation.action;
            const upstreamless =
              action.kind === 'mock' || (action.kind === 'function' && action.fn.action.kind === 'mock');
            if (upstreamless) {
              if (res.status >= 400) tally.failures.push(`${label}: mock answered ${res.status} ${text.slice(0, 200)}`);
              else tally.answeredWithoutUpstream++;
              continue;
            }
            if (!mock.requests.length) {
              tally.failures.push(`${label}: no upstream request; answered ${res.status} ${text.slice(0, 300)}`);
              continue;
            }
            const bad = mock.requests
              .map((r) => r.path + (r.query ? `?${r.query}` : ''))
              .filter((u) => /[{}]|%7B|%7D/i.test(u));
            if (bad.length) tally.failures.push(`${label}: unresolved placeholder in upstream URL ${bad.join(', ')}`);
            else tally.reached++;
          }
        }
        const skipped = [...tally.skipped].map(([why, n]) => `${n} × ${why}`).join('; ') || 'none';
        console.log(
          `corpus routes: ${tally.files} files, ${tally.filesLoaded} plan without errors (${tally.filesWithErrors} with errors skipped, ${tally.filesWithoutRest} without REST routes); ` +
            `${tally.routes} routes: ${tally.reached} reached the mock, ${tally.answeredWithoutUpstream} mocks answered locally, skipped: ${skipped}; ${tally.failures.length} failures`,
        );
        if (tally.failures.length) console.log(tally.failures.slice(0, 50).join('\n'));
        expect(tally.filesLoaded).toBeGreaterThan(0);
        expect(tally.reached).toBeGreaterThan(0);
        expect(tally.failures).toEqual([]);
      },
    );
  },
);
