/**
 * @module gateway/listeners — the HTTP servers of the gateway, one per kind, address and port, each with a request
 * handler that can be swapped while it serves: a request that has started finishes with the handler it started
 * with, the next one gets the new handler. `sync` makes the open ports match a new wish list in one step (open the
 * new ones, swap the rest and run the caller's own swap in the same step, close those nothing uses any more), and
 * `close` stops gracefully.
 */
import http from 'node:http';

export type ListenerKind = 'rest' | 'mcp' | 'control';
export type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface Listener {
  readonly kind: ListenerKind;
  readonly port: number;
  readonly host: string;
  readonly url: string;
}

export interface PortWish {
  readonly kind: ListenerKind;
  readonly host: string;
  /** The port asked for (0: any free port, chosen once and kept across syncs). */
  readonly port: number;
  readonly handler: NodeHandler;
  /** A port that may fail to open without failing the start (it is reported; the rest serve). */
  readonly optional?: boolean;
}

export interface SyncReport {
  readonly opened: Listener[];
  readonly closed: Listener[];
  readonly failed: Array<{ readonly wish: Omit<PortWish, 'handler'>; readonly error: string }>;
}

interface Open {
  readonly listener: Listener;
  readonly server: http.Server;
  handler: NodeHandler;
}

export function portKey(w: { kind: ListenerKind; host: string; port: number }): string {
  return `${w.kind}|${w.host}|${w.port}`;
}

export class Listeners {
  readonly #open = new Map<string, Open>();

  list(): Listener[] {
    return [...this.#open.values()].map((o) => o.listener);
  }

  /**
   * Open what is wished for and not open, give every open port its new handler (all in one synchronous step, after
   * the new ports are listening), and close the ports no longer wished for. A port that cannot be opened is reported,
   * never thrown: the rest keep serving.
   */
  async sync(wishes: readonly PortWish[], onSwap?: () => void): Promise<SyncReport> {
    const wanted = new Map(wishes.map((w) => [portKey(w), w]));
    const report: SyncReport = { opened: [], closed: [], failed: [] };
    // A port given up by one address may be wanted by another on the same number: free it first.
    const leaving = [...this.#open.entries()].filter(([k]) => !wanted.has(k));
    const freeFirst = leaving.filter(([, o]) => wishes.some((w) => w.port !== 0 && w.port === o.listener.port));
    for (const [k, o] of freeFirst) {
      this.#open.delete(k);
      await stop(o.server, MOVE_GRACE_MS);
      report.closed.push(o.listener);
    }
    const fresh: Array<[string, Open]> = [];
    for (const [k, w] of wanted) {
      if (this.#open.has(k)) continue;
      try {
        fresh.push([k, await open(w)]);
      } catch (err) {
        report.failed.push({
          wish: { kind: w.kind, host: w.host, port: w.port, optional: w.optional },
          error: (err as Error).message,
        });
      }
    }
    onSwap?.();
    for (const [k, w] of wanted) {
      const o = this.#open.get(k);
      if (o) o.handler = w.handler;
    }
    for (const [k, o] of fresh) {
      this.#open.set(k, o);
      report.opened.push(o.listener);
    }
    for (const [k, o] of leaving) {
      if (!this.#open.has(k)) continue;
      this.#open.delete(k);
      // Requests in flight on a port given up finish in the background (bounded); the reload does not wait.
      void stop(o.server, RETIRE_GRACE_MS);
      report.closed.push(o.listener);
    }
    return report;
  }

  /**
   * Stop accepting connections everywhere, let requests in flight finish for at most `graceMs`, then cut what is
   * left. Resolves when every server has closed.
   */
  async close(graceMs = 0): Promise<void> {
    const all = [...this.#open.entries()];
    this.#open.clear();
    await Promise.all(all.map(([, o]) => stop(o.server, graceMs)));
  }
}

function open(w: PortWish): Promise<Open> {
  return new Promise((resolve, reject) => {
    const entry: { handler: NodeHandler } = { handler: w.handler };
    const server = http.createServer((req, res) => entry.handler(req, res));
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `port ${w.port} on ${w.host} is already in use`
            : `cannot listen on ${w.host}:${w.port} (${err.code ?? err.message})`,
        ),
      ),
    );
    server.listen(w.port, w.host, () => {
      const port = (server.address() as { port: number }).port;
      const host = w.host.includes(':') ? `[${w.host}]` : w.host;
      const listener: Listener = {
        kind: w.kind,
        port,
        host: w.host,
        url: `http://${host}:${port}${w.kind === 'mcp' ? '/mcp' : ''}`,
      };
      resolve(Object.assign(entry, { listener, server }) as Open);
    });
  });
}

/** How long requests on a port that a reload gave up may take to finish before their connections are cut. */
const RETIRE_GRACE_MS = 30_000;
/** The same when another address wants the port number at once (the reload waits for it). */
const MOVE_GRACE_MS = 2_000;

/**
 * Close a server: no new connections; keep-alive connections are closed as soon as they are idle (checked every
 * 50 ms, so a connection closes right after its request in flight is answered); after `graceMs` whatever is left is
 * cut. Resolves when the server has closed.
 */
function stop(server: http.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}
