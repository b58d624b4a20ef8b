/**
 * The upstream client bounds the whole exchange, not only each silence: an upstream that drips its
 * body (or its headers) a byte at a time never resets the clock past the total deadline.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/consume/http.ts';
import { GatewayError } from '../../src/common/errors.ts';
import { httpOptionsFromEnv } from '../../src/cli/serve-options.ts';

let server: http.Server;
let raw: net.Server;
let base = '';
let rawBase = '';
const timers = new Set<NodeJS.Timeout>();

/** Writes one byte every `everyMs` until `count` bytes are out; stops when the client goes away. */
function drip(write: (s: string) => boolean, end: () => void, count: number, everyMs: number, gone: () => boolean) {
  let sent = 0;
  const t = setInterval(() => {
    if (gone()) return stop();
    write('x');
    if (++sent >= count) {
      end();
      stop();
    }
  }, everyMs);
  timers.add(t);
  const stop = () => {
    clearInterval(t);
    timers.delete(t);
  };
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/drip') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      // 1 byte per 50 ms for 3 s: every gap is far below the idle timeout.
      drip(
        (s) => res.write(s),
        () => res.end(),
        60,
        50,
        () => res.destroyed,
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Raw socket: a status line, then header bytes a byte at a time, never finishing the head.
  raw = net.createServer((socket) => {
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\nx-slow: ');
      drip(
        (s) => socket.write(s),
        () => socket.end('\r\ncontent-length: 0\r\n\r\n'),
        60,
        50,
        () => socket.destroyed,
      );
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
  rawBase = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const t of timers) clearInterval(t);
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await new Promise((r) => raw.close(r));
});

async function timed(p: Promise<unknown>): Promise<{ err: unknown; ms: number }> {
  const start = Date.now();
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { err, ms: Date.now() - start };
}

describe('upstream total deadline', () => {
  it('stops a body dripping under the idle timeout at the request timeout (the default total)', async () => {
    const client = createHttpClient({ requestTimeoutMs: 400 });
    try {
      const { err, ms } = await timed(client.request({ url: new URL(`${base}/drip`), method: 'GET', headers: {} }));
      expect(err).toBeInstanceOf(GatewayError);
      expect((err as GatewayError).code).toBe('UPSTREAM_TIMEOUT');
      expect((err as GatewayError).status).toBe(504);
      expect((err as GatewayError).details).toMatchObject({ origin: base, limit: 400 });
      expect(ms).toBeGreaterThanOrEqual(350);
      expect(ms).toBeLessThan(1_500);
    } finally {
      await client.close();
    }
  });

  it('takes a separate total deadline from HttpClientOptions', async () => {
    const client = createHttpClient({ requestTimeoutMs: 5_000, totalTimeoutMs: 300 });
    try {
      const { err, ms } = await timed(client.request({ url: new URL(`${base}/drip`), method: 'GET', headers: {} }));
      expect((err as GatewayError).code).toBe('UPSTREAM_TIMEOUT');
      expect((err as GatewayError).details.limit).toBe(300);
      expect(ms).toBeLessThan(1_500);
      // The pool is still usable afterwards.
      const ok = await client.request({ url: new URL(`${base}/ok`), method: 'GET', headers: {} });
      expect(ok.body.toString()).toBe('ok');
    } finally {
      await client.close();
    }
  });

  it('bounds headers that arrive a byte at a time', async () => {
    const client = createHttpClient({ requestTimeoutMs: 400 });
    try {
      const { err, ms } = await timed(client.request({ url: new URL(`${rawBase}/`), method: 'GET', headers: {} }));
      expect((err as GatewayError).code).toBe('UPSTREAM_TIMEOUT');
      expect(ms).toBeLessThan(900);
    } finally {
      await client.close();
    }
  });

  it('counts time spent queued for a connection', async () => {
    const client = createHttpClient({ requestTimeoutMs: 400, connectionsPerOrigin: 1 });
    try {
      const hog = timed(client.request({ url: new URL(`${base}/drip`), method: 'GET', headers: {} }));
      const { err, ms } = await timed(client.request({ url: new URL(`${base}/ok`), method: 'GET', headers: {} }));
      expect((err as GatewayError).code).toBe('UPSTREAM_TIMEOUT');
      expect(ms).toBeLessThan(1_500);
      expect(((await hog).err as GatewayError).code).toBe('UPSTREAM_TIMEOUT');
    } finally {
      await client.close();
    }
  });

  it('lets a caller tighten (never loosen) the bound of one request', async () => {
    const client = createHttpClient({ requestTimeoutMs: 5_000 });
    try {
      const { err, ms } = await timed(
        client.request({ url: new URL(`${base}/drip`), method: 'GET', headers: {}, timeoutMs: 250 }),
      );
      expect((err as GatewayError).code).toBe('UPSTREAM_TIMEOUT');
      expect((err as GatewayError).details.limit).toBe(250);
      expect(ms).toBeLessThan(1_500);
    } finally {
      await client.close();
    }
    const tight = createHttpClient({ requestTimeoutMs: 300 });
    try {
      const { err, ms } = await timed(
        tight.request({ url: new URL(`${base}/drip`), method: 'GET', headers: {}, timeoutMs: 60_000 }),
      );
      expect((err as GatewayError).code).toBe('UPSTREAM_TIMEOUT');
      expect(ms).toBeLessThan(1_500);
    } finally {
      await tight.close();
    }
  });
});

describe('total deadline from the environment', () => {
  it('reads CAPGATE_UPSTREAM_TOTAL_TIMEOUT_MS', () => {
    expect(httpOptionsFromEnv({ CAPGATE_UPSTREAM_TOTAL_TIMEOUT_MS: '1500' })).toEqual({ totalTimeoutMs: 1500 });
    expect(httpOptionsFromEnv({ CAPGATE_UPSTREAM_TOTAL_TIMEOUT_MS: '0' })).toHaveProperty('error');
  });
});
