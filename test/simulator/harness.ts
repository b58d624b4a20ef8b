/** @module test/simulator/harness — a simulator on a fake clock plus a tiny GET helper for the vendor tests. */

import { createSimulator, type SimulatorOptions } from '../../src/simulator/index.ts';

export const T0 = Date.parse('2026-05-20T12:00:00.000Z');

export interface Reply {
  status: number;
  contentType: string | null;
  body: any;
}

/** A simulator whose clock only moves when the test says so. */
export function fakeSimulator(opts: Omit<SimulatorOptions, 'now'> = {}) {
  let t = T0;
  const sim = createSimulator({ ...opts, now: () => t });
  return {
    sim,
    /** Move the wall clock forward by `ms`. */
    advance(ms: number) {
      t += ms;
    },
    /** Set the wall clock to T0 + `ms`. */
    at(ms: number) {
      t = T0 + ms;
    },
    async get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
      const res = await sim.fetch(new Request(`http://sim.test${path}`, { headers }));
      return { status: res.status, contentType: res.headers.get('content-type'), body: await res.json() };
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
