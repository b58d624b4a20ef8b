/**
 * Black-box: every case of cases.ts that has a REST call, sent over HTTP to a real gateway whose
 * upstreams point at a real mock server. Plus REST-only behaviour: 405/404, HEAD, OPTIONS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, FLEET, type Case } from './cases.ts';
import { assertUpstream, createHarness, matchesBody, upstreamFor, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

async function send(c: Case): Promise<Response> {
  const g = await h.gateway(c.capability);
  const call = c.rest!;
  const headers: Record<string, string> = { ...(call.headers ?? {}) };
  let body: string | undefined;
  if (call.json !== undefined) {
    body = JSON.stringify(call.json);
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type'))
      headers['content-type'] = 'application/json';
  }
  return fetch(g.rest + call.path, { method: call.method, headers, body });
}

describe('black-box scenarios over REST', () => {
  for (const c of CASES.filter((x) => x.rest)) {
    it(`${c.id}: ${c.title}`, async () => {
      const g = await h.gateway(c.capability);
      for (const code of c.warnings ?? []) expect(g.warnings.map((w) => w.code)).toContain(code);
      await h.prepare(c);
      const res = await send(c);
      const text = await res.text();
      const e = c.expect;
      switch (e.kind) {
        case 'ok':
          expect(res.status, text).toBe(e.status ?? 200);
          if (e.contentType) expect(res.headers.get('content-type')).toContain(e.contentType);
          if (e.text !== undefined) expect(text).toBe(e.text);
          expect(JSON.parse(text)).toEqual(e.value);
          break;
        case 'upstream-error':
          expect(res.status).toBe(e.status);
          if (e.contentType) expect(res.headers.get('content-type')).toContain(e.contentType);
          matchesBody(text, e.body);
          break;
        case 'error': {
          expect(res.status, text).toBe(e.status);
          expect(res.headers.get('content-type')).toBe('application/problem+json');
          const problem = JSON.parse(text) as { code: string; status: number; detail: string };
          expect(problem.code).toBe(e.code);
          expect(problem.status).toBe(e.status);
          for (const m of e.mentions) expect(text).toContain(m);
          break;
        }
        case 'unauthorized':
          expect(res.status).toBe(401);
          break;
      }
      assertUpstream(h.mock, upstreamFor(c, 'rest'));
    });
  }
});

describe('REST-only behaviour (methods, HEAD, OPTIONS)', () => {
  const fleetCase = { capability: FLEET, upstream: [], expect: { kind: 'ok', value: null } } as unknown as Case;

  it('an undeclared method on a known path is 405 with Allow, and never reaches the upstream', async () => {
    const g = await h.gateway(FLEET);
    await h.prepare(fleetCase);
    const res = await fetch(`${g.rest}/ships`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')?.split(', ').sort()).toEqual(['GET', 'HEAD', 'OPTIONS']);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(((await res.json()) as { code: string }).code).toBe('METHOD_NOT_ALLOWED');
    expect(h.mock.requests).toHaveLength(0);
  });

  it('an unknown path is a 404 problem', async () => {
    const g = await h.gateway(FLEET);
    await h.prepare(fleetCase);
    const res = await fetch(`${g.rest}/boats`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(((await res.json()) as { code: string }).code).toBe('NOT_FOUND');
    expect(h.mock.requests).toHaveLength(0);
  });

  it('HEAD runs the GET operation and answers its status and headers without a body', async () => {
    const g = await h.gateway(FLEET);
    await h.prepare(fleetCase);
    const res = await fetch(`${g.rest}/ships?status=active`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.text()).toBe('');
    assertUpstream(h.mock, [{ method: 'GET', path: '/ships', query: 'status=active' }]);
  });

  it('HEAD on a POST-only path is 405', async () => {
    const g = await h.gateway(FLEET);
    await h.prepare(fleetCase);
    const res = await fetch(`${g.rest}/voyages`, { method: 'HEAD' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')?.split(', ').sort()).toEqual(['OPTIONS', 'POST']);
    expect(h.mock.requests).toHaveLength(0);
  });

  it('OPTIONS answers 204 with Allow and no upstream call', async () => {
    const g = await h.gateway(FLEET);
    await h.prepare(fleetCase);
    const res = await fetch(`${g.rest}/voyages`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')?.split(', ').sort()).toEqual(['OPTIONS', 'POST']);
    expect(await res.text()).toBe('');
    expect(h.mock.requests).toHaveLength(0);
  });

  it('a malformed JSON body is a 400 problem, no upstream call', async () => {
    const g = await h.gateway(FLEET);
    await h.prepare(fleetCase);
    const res = await fetch(`${g.rest}/voyages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"shipImo":',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('INPUT_INVALID');
    expect(h.mock.requests).toHaveLength(0);
  });
});
