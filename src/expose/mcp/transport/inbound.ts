/**
 * @module expose/mcp/transport/inbound — one MCP HTTP request as the route and POST handling read
 * it, whichever server delivered it: method, path, header lookup, the Host the client named, the
 * body and the client's disconnect. The web implementation is here (Hono, `app.request` in
 * tests); the Node one, which reads Node's own objects, is in node-handler.ts.
 */

/** Header lookup; every caller passes a lower-case literal name. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** The request body and the client going away. */
export interface Wire {
  /** The body as text; undefined when it is over `maxBytes`. */
  text(maxBytes: number): Promise<string | undefined>;
  /** Calls cb when the client goes away before the answer is sent (at once if it already has). */
  onClose(cb: () => void): () => void;
}

export interface Inbound {
  readonly method: string;
  /** Path and query as sent, e.g. `/mcp/fleet?x=1`. */
  readonly url: string;
  readonly headers: HeaderReader;
  /** The Host the client named (undefined when it named none). */
  readonly host: string | undefined;
  readonly wire: Wire;
  /** A web Request with the method, URL and headers (no body), built on demand for authentication hooks. */
  request(): Request;
  /** Web Headers for tools that read their context's headers, built on demand. */
  webHeaders(): Headers;
}

const NOOP = () => {};

/** A web Request as an Inbound. */
export class WebInbound implements Inbound {
  readonly method: string;
  readonly url: string;
  readonly host: string | undefined;
  readonly wire: Wire;

  constructor(private readonly req: Request) {
    const u = new URL(req.url);
    this.method = req.method;
    this.url = u.pathname + u.search;
    // A Request built in process (tests) may carry no Host header; its URL then names the host.
    this.host = req.headers.get('host') ?? u.host;
    this.wire = {
      text: async (maxBytes) => {
        const t = await req.text();
        return t.length > maxBytes ? undefined : t;
      },
      onClose: (cb) => {
        if (req.signal.aborted) {
          cb();
          return NOOP;
        }
        req.signal.addEventListener('abort', cb, { once: true });
        return () => req.signal.removeEventListener('abort', cb);
      },
    };
  }

  get headers(): HeaderReader {
    return this.req.headers;
  }

  request(): Request {
    return this.req;
  }

  webHeaders(): Headers {
    return this.req.headers;
  }
}
