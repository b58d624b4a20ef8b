/** @module simulator/server — runs the simulator on a real socket with @hono/node-server. */

import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createSimulator, type SimulatorOptions } from './app.ts';

export interface SimulatorServerOptions extends SimulatorOptions {
  /** Default 0 (any free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface RunningSimulator {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:40123. */
  url: string;
  close(): Promise<void>;
  reset(): void;
}

/** Start the simulator and resolve once it is listening. */
export function startSimulator(opts: SimulatorServerOptions = {}): Promise<RunningSimulator> {
  const sim = createSimulator(opts);
  const host = opts.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: sim.fetch, port: opts.port ?? 0, hostname: host }, (info: AddressInfo) => {
      const hostPart = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${hostPart}:${info.port}`,
        reset: sim.reset,
        close: () => closeServer(server as Server),
      });
    });
    server.once('error', reject);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // Keep-alive sockets would otherwise hold close() open until they time out.
    server.closeAllConnections();
  });
}
