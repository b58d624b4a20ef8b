/** @module simulator/app — one Hono app serving the four simulated vendor APIs under their path prefixes. */

import { Hono } from 'hono';
import { createClock } from './clock.ts';
import { createRuns } from './lifecycle.ts';
import type { VendorContext } from './context.ts';
import { ampersandRoutes } from './ampersand.ts';
import { ambaRoutes } from './amba.ts';
import { chainloopRoutes } from './chainloop.ts';
import { bctrlRoutes } from './bctrl.ts';
import { StartedOperations } from './started.ts';
import type { AmbaFixture, AmpersandFixture, BctrlFixture, ChainloopFixture } from './fixtures.ts';

/** Demo credentials the simulator accepts by default (not secrets: they only open the simulator). */
export const SIMULATOR_TOKENS = {
  ampersand: 'sim-ampersand-key',
  amba: 'sim-amba-token',
  chainloop: 'sim-chainloop-token',
  bctrl: 'sim-bctrl-token',
} as const;

export type Vendor = keyof typeof SIMULATOR_TOKENS;

/**
 * Suffix to append to the simulator URL to replace each vendor's production base URI:
 * Ampersand https://api.withampersand.com/v1, Amba https://api.amba.dev/v1,
 * Chainloop https://api.app.chainloop.dev, bctrl https://api.bctrl.ai.
 */
export const SIMULATOR_BASE_PATHS: Readonly<Record<Vendor, string>> = {
  ampersand: '/ampersand/v1',
  amba: '/amba/v1',
  chainloop: '/chainloop',
  bctrl: '/bctrl',
};

export interface SimulatorOptions {
  /** Wall clock in epoch ms; inject a fake for deterministic tests. */
  now?: () => number;
  /** Multiplier on every schedule duration (0.01 plays a 4 s lifecycle in 40 ms). Default 1. */
  timeScale?: number;
  /** Override the accepted credential per vendor. */
  tokens?: Partial<Record<Vendor, string>>;
}

export interface Simulator {
  fetch(req: Request): Promise<Response>;
  /** Restart every fixture's schedule from now. */
  reset(): void;
}

/** Build the simulator as an in-process fetch handler (no socket). */
export function createSimulator(opts: SimulatorOptions = {}): Simulator {
  const now = opts.now ?? Date.now;
  const clock = createClock(now, opts.timeScale ?? 1);
  const runs = createRuns();
  const started = {
    ampersand: new StartedOperations<AmpersandFixture>(),
    amba: new StartedOperations<AmbaFixture>(),
    chainloop: new StartedOperations<ChainloopFixture>(),
    bctrl: new StartedOperations<BctrlFixture>(),
  };
  const tokens = { ...SIMULATOR_TOKENS, ...opts.tokens };
  let counter = 0;
  const context = (vendor: Vendor): VendorContext => ({
    clock,
    snapshot: (id, schedule) => runs.snapshot(id, schedule, clock.elapsed()),
    token: tokens[vendor],
    nowIso: () => new Date(now()).toISOString(),
    requestId: () => `sim-${vendor}-${(++counter).toString().padStart(6, '0')}`,
  });

  const app = new Hono();
  app.get('/', (c) => c.json({ simulator: 'capgate', vendors: SIMULATOR_BASE_PATHS }));
  app.route(SIMULATOR_BASE_PATHS.ampersand, ampersandRoutes(context('ampersand'), started.ampersand));
  app.route(SIMULATOR_BASE_PATHS.amba, ambaRoutes(context('amba'), started.amba));
  app.route(SIMULATOR_BASE_PATHS.chainloop, chainloopRoutes(context('chainloop'), started.chainloop));
  app.route(SIMULATOR_BASE_PATHS.bctrl, bctrlRoutes(context('bctrl'), started.bctrl));
  app.notFound((c) => c.json({ error: 'not_found', message: 'No simulated vendor serves this path.' }, 404));

  return {
    fetch: async (req) => app.fetch(req),
    reset: () => {
      clock.reset();
      runs.reset();
      for (const s of Object.values(started)) s.reset();
    },
  };
}
