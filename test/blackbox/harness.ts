/**
 * @module test/blackbox/harness — shared plumbing of the two black-box runners: one mock
 * upstream, one gateway per capability (booted on first use), a closed port for "unreachable",
 * and the assertion of what the upstream received.
 */
import { createServer } from 'node:net';
import { expect } from 'vitest';
import { fleetRoutes, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.ts';
import { startGateway, type StartedGateway } from '../helpers/start-gateway.ts';
import { CLOSED, MOCK, type Capability, type Case, type UpstreamExpect } from './cases.ts';

export interface Harness {
  readonly mock: MockUpstream;
  gateway(cap: Capability): Promise<StartedGateway>;
  /**
   * Reset the mock for a case (its routes, by default the fleet routes; an empty request log) and point
   * CLOSED overrides at a port found free just now (a port picked earlier may have been reused).
   */
  prepare(c: Case): Promise<void>;
  close(): Promise<void>;
}

export async function createHarness(): Promise<Harness> {
  const mock = await startMockUpstream({ routes: fleetRoutes() });
  const gateways = new Map<string, Promise<StartedGateway>>();
  const gateway = (cap: Capability): Promise<StartedGateway> => {
    let g = gateways.get(cap.id);
    if (!g) {
      const explicit = Object.fromEntries(
        Object.entries(cap.overrides ?? {}).map(([ns, url]) => [
          ns,
          url.replace(MOCK, mock.url).replace(CLOSED, 'http://127.0.0.1:1'),
        ]),
      );
      g = startGateway(cap.yaml, { upstream: mock.url, overrides: explicit, env: cap.env, files: cap.files });
      gateways.set(cap.id, g);
    }
    return g;
  };
  return {
    mock,
    gateway,
    async prepare(c) {
      mock.setRoutes(c.routes ?? fleetRoutes());
      mock.clear();
      const closedNs = Object.entries(c.capability.overrides ?? {}).filter(([, url]) => url.includes(CLOSED));
      if (!closedNs.length) return;
      const g = await gateway(c.capability);
      const closed = `http://127.0.0.1:${await closedPort()}`;
      for (const [ns, url] of closedNs) g.overrides.set(ns, url.replace(CLOSED, closed));
    },
    async close() {
      for (const g of gateways.values()) await (await g.catch(() => undefined))?.stop();
      await mock.close();
    },
  };
}

/** A port that was free a moment ago and on which nothing listens now. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export function upstreamFor(c: Case, protocol: 'rest' | 'mcp'): readonly UpstreamExpect[] {
  return Array.isArray(c.upstream)
    ? c.upstream
    : (c.upstream as { rest: UpstreamExpect[]; mcp: UpstreamExpect[] })[protocol];
}

/** The mock received exactly the expected requests, in order, with the expected details. */
export function assertUpstream(mock: MockUpstream, expected: readonly UpstreamExpect[]): void {
  const got = mock.requests.map((r) => `${r.method} ${r.path}${r.query ? `?${r.query}` : ''}`);
  expect(got, 'upstream requests').toHaveLength(expected.length);
  expected.forEach((want, i) => {
    const r = mock.requests[i];
    expect(r.method, `request ${i} method`).toBe(want.method);
    expect(r.path, `request ${i} path`).toBe(want.path);
    if (want.query !== undefined) expect(r.query, `request ${i} query`).toBe(want.query);
    for (const [name, value] of Object.entries(want.headers ?? {})) {
      if (value === null) expect(r.headers[name], `request ${i} header ${name} must be absent`).toBeUndefined();
      else expect(r.headers[name], `request ${i} header ${name}`).toBe(value);
    }
    if (want.body !== undefined) expect(r.text, `request ${i} body`).toBe(want.body);
  });
}

export function matchesBody(actual: string, want: string | RegExp): void {
  if (typeof want === 'string') expect(actual).toBe(want);
  else expect(actual).toMatch(want);
}
