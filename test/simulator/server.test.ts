import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  SIMULATOR_BASE_PATHS,
  SIMULATOR_TOKENS,
  startSimulator,
  type RunningSimulator,
} from '../../src/simulator/index.ts';

describe('startSimulator (real socket)', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ timeScale: 0.01 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('serves every vendor under its base path on 127.0.0.1', async () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const probes: [string, Record<string, string>][] = [
      [
        `${SIMULATOR_BASE_PATHS.ampersand}/projects/demo-project/operations/3efc0f0f-4bb9-498f-996c-9893d98ca4b5`,
        { 'x-api-key': SIMULATOR_TOKENS.ampersand },
      ],
      [
        `${SIMULATOR_BASE_PATHS.amba}/admin/projects/9d2f6c1a-5b4e-4c3d-8a2f-1e0d9c8b7a6f/operations`,
        { authorization: `Bearer ${SIMULATOR_TOKENS.amba}` },
      ],
      [
        `${SIMULATOR_BASE_PATHS.chainloop}/v1/operations/d4f6b8c0-5e7a-4c9d-9f3b-4a6c8d0e2f5b`,
        { authorization: `Bearer ${SIMULATOR_TOKENS.chainloop}` },
      ],
      [
        `${SIMULATOR_BASE_PATHS.bctrl}/v1/operations/a6978869-6473-4d2e-9b4a-f9a8b7c6d5e4`,
        { authorization: `Bearer ${SIMULATOR_TOKENS.bctrl}` },
      ],
    ];
    for (const [path, headers] of probes) {
      const res = await fetch(sim.url + path, { headers });
      expect(res.status, path).toBe(200);
      await res.json();
    }
  });

  it('plays a scaled lifecycle in real time until terminal', async () => {
    // At 0.01 the running phase lasts 30 ms, shorter than one request on a loaded machine; at 0.1 it
    // lasts 300 ms, so polling sees it while the whole lifecycle still ends within half a second.
    const slower = await startSimulator({ timeScale: 0.1 });
    onTestFinished(() => slower.close());
    const url = `${slower.url}/bctrl/v1/operations/f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9`;
    const headers = { authorization: `Bearer ${SIMULATOR_TOKENS.bctrl}` };
    const statuses = new Set<string>();
    const deadline = Date.now() + 5000;
    let status = '';
    while (status !== 'succeeded' && Date.now() < deadline) {
      status = ((await (await fetch(url, { headers })).json()) as { status: string }).status;
      statuses.add(status);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(status).toBe('succeeded');
    expect(statuses.has('running')).toBe(true);
  });

  it('answers unknown paths with 404', async () => {
    const res = await fetch(`${sim.url}/nowhere`);
    expect(res.status).toBe(404);
    await res.text();
  });
});
