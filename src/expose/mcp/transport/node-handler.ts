/**
 * @module expose/mcp/transport/node-handler — MCP over HTTP on Node's own server: reads the
 * request from IncomingMessage (raw header lines, body chunks, socket close) and writes the
 * answer to ServerResponse, with the very same routing and handling as the web path
 * (http-route.ts). Skipping the web Request/Response objects matters here: building them cost
 * more CPU per tools/call than the whole JSON-RPC work.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { HeaderReader, Inbound, Wire } from './inbound.ts';
import { JsonOut, type Out } from './http-out.ts';
import { routeFailure, routeMcp, type McpHttpState } from './http-route.ts';

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

export function createNodeHandler(state: McpHttpState): NodeHandler {
  return (req, res) => void answer(state, req, res);
}

/** One async function rather than a chain of then/catch closures: this runs for every tools/call. */
async function answer(state: McpHttpState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const inbound = new NodeInbound(req, res);
  let out: Out;
  try {
    out = await routeMcp(state, inbound);
  } catch (err) {
    out = routeFailure(err, inbound);
  }
  try {
    writeOut(res, out);
  } catch {
    // The client may be gone by now: a failed write must not become an unhandled rejection.
    res.destroy();
  }
}

function writeOut(res: ServerResponse, out: Out): void {
  if (out instanceof JsonOut) {
    // Headers as a flat array: Node writes them without building an object per response.
    const head: Array<string | number> = [
      'Content-Type',
      'application/json',
      'Content-Length',
      Buffer.byteLength(out.body),
    ];
    if (out.headers) for (const k in out.headers) head.push(k, out.headers[k]);
    res.writeHead(out.status, head as unknown as string[]);
    res.end(out.body);
    return;
  }
  const headers: Record<string, string | string[]> = {};
  out.headers.forEach((v, k) => {
    // Web Headers join repeated names except Set-Cookie, which it yields once per line.
    const prev = headers[k];
    headers[k] = prev === undefined ? v : [...([] as string[]).concat(prev), v];
  });
  res.writeHead(out.status, headers);
  if (!out.body) res.end();
  else {
    // Node sends the head with the first body chunk; a standing stream (list changes) may have none for a long
    // time, and clients wait for the head before they treat the stream as open.
    res.flushHeaders();
    const stream = Readable.fromWeb(out.body as import('node:stream/web').ReadableStream);
    stream.on('error', () => res.destroy());
    // A client that goes away cancels the stream, so whatever feeds it (a tool's progress, list changes) stops.
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  }
}

/** The request as the route reads it. A class: one is made per request. */
class NodeInbound implements Inbound {
  readonly method: string;
  readonly url: string;
  readonly headers: RawHeaders;
  readonly host: string | undefined;
  readonly wire: Wire;

  constructor(req: IncomingMessage, res: ServerResponse) {
    this.method = req.method ?? 'GET';
    this.url = req.url ?? '/';
    this.headers = new RawHeaders(req.rawHeaders);
    this.host = this.headers.get('host') ?? undefined;
    this.wire = new NodeWire(req, res);
  }

  request(): Request {
    return new Request(`http://${this.host ?? 'localhost'}${this.url}`, {
      method: this.method,
      headers: this.webHeaders(),
    });
  }

  webHeaders(): Headers {
    return this.headers.toWeb();
  }
}

/** A class rather than a literal of closures: this is built for every tools/call. */
class NodeWire implements Wire {
  constructor(
    private readonly incoming: IncomingMessage,
    private readonly outgoing: ServerResponse,
  ) {}

  text(maxBytes: number): Promise<string | undefined> {
    const incoming = this.incoming;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxBytes) chunks.push(chunk);
      });
      incoming.once('end', () =>
        resolve(
          size > maxBytes ? undefined : (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8'),
        ),
      );
      incoming.once('error', reject);
    });
  }

  onClose(cb: () => void): () => void {
    const out = this.outgoing;
    if (out.destroyed && !out.writableFinished) {
      cb();
      return () => {};
    }
    const h = () => {
      if (!out.writableFinished) cb();
    };
    out.on('close', h);
    return () => out.off('close', h);
  }
}

/**
 * `get` of web Headers read straight from Node's rawHeaders list (name, value, name, value, …).
 * Looking names up in `req.headers` instead costs a megamorphic keyed load per lookup (each
 * client's header set gives that object its own shape), several µs per tools/call under load.
 * Duplicates are joined with ", " as web Headers do.
 */
class RawHeaders implements HeaderReader {
  constructor(private readonly raw: string[]) {}

  /** `name` must be lower-case: every caller passes a literal (node-handler.test.ts keeps it so). */
  get(name: string): string | null {
    const raw = this.raw;
    let out: string | null = null;
    for (let i = 0; i < raw.length; i += 2) {
      const k = raw[i]!;
      if (k.length !== name.length || (k !== name && k.toLowerCase() !== name)) continue;
      out = out === null ? raw[i + 1]! : `${out}, ${raw[i + 1]!}`;
    }
    return out;
  }

  toWeb(): Headers {
    const h = new Headers();
    for (let i = 0; i < this.raw.length; i += 2) {
      try {
        h.append(this.raw[i]!, this.raw[i + 1]!);
      } catch {
        // A value web Headers refuses (Node is more lenient) is left out rather than failing the request.
      }
    }
    return h;
  }
}
