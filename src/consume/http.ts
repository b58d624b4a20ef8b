/**
 * @module consume/http — the upstream HTTP client: undici Agent with keep-alive pools per
 * origin (measured ~3.5× cheaper than global fetch on Node 20), connect/request timeouts and a
 * response size cap. Network failures become UPSTREAM_* GatewayErrors naming the origin only.
 */
import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import { GatewayError } from '../errors.ts';

export interface UpstreamRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array | FormData;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly contentType: string;
  readonly body: Buffer;
}

export interface HttpClient {
  request(req: UpstreamRequest): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

export interface HttpClientOptions {
  /** Max sockets per origin; at least the expected concurrency (perf-notes: pools too small reconnect). */
  readonly connectionsPerOrigin?: number;
  readonly connectTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  readonly maxResponseBytes?: number;
}

export const HTTP_DEFAULTS = {
  connectionsPerOrigin: 256,
  connectTimeoutMs: 5_000,
  requestTimeoutMs: 30_000,
  maxResponseBytes: 10 * 1024 * 1024,
} as const;

export function createHttpClient(opts: HttpClientOptions = {}): HttpClient {
  const o = { ...HTTP_DEFAULTS, ...opts };
  const agent = new Agent({
    connections: o.connectionsPerOrigin,
    keepAliveTimeout: 30_000,
    connect: { timeout: o.connectTimeoutMs },
    headersTimeout: o.requestTimeoutMs,
    bodyTimeout: o.requestTimeoutMs,
  });
  return {
    request: (req) => send(agent, req, o.maxResponseBytes, req.timeoutMs ?? o.requestTimeoutMs),
    close: () => agent.close(),
  };
}

async function send(agent: Dispatcher, req: UpstreamRequest, maxBytes: number, timeoutMs: number): Promise<UpstreamResponse> {
  const origin = req.url.origin;
  try {
    const res = await agent.request({
      origin,
      path: req.url.pathname + req.url.search,
      method: req.method as Dispatcher.HttpMethod,
      headers: req.headers,
      body: req.body as Dispatcher.DispatchOptions['body'],
      signal: req.signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const cl = res.headers['content-length'];
    const declared = typeof cl === 'string' && /^\d+$/.test(cl) ? Number(cl) : undefined;
    const body = await readCapped(res.body, maxBytes, origin, declared);
    const ct = res.headers['content-type'];
    return { status: res.statusCode, headers: res.headers, contentType: (Array.isArray(ct) ? ct[0] : ct) ?? '', body };
  } catch (err) {
    throw toUpstreamError(err, origin, req.signal);
  }
}

async function readCapped(body: Dispatcher.ResponseData['body'], maxBytes: number, origin: string, declared?: number): Promise<Buffer> {
  // A declared length within the cap (undici enforces it) lets us read in one go: cheaper than iterating chunks.
  if (declared !== undefined && declared <= maxBytes) return Buffer.from(await body.arrayBuffer());
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw new GatewayError('UPSTREAM_TOO_LARGE', `upstream ${origin} answered more than ${maxBytes} bytes`, { details: { origin, limit: maxBytes } });
    }
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

function toUpstreamError(err: unknown, origin: string, signal?: AbortSignal): GatewayError {
  if (err instanceof GatewayError) return err;
  if (signal?.aborted) return new GatewayError('CANCELLED', 'the request was cancelled', { cause: err });
  if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError || err instanceof undiciErrors.ConnectTimeoutError) {
    return new GatewayError('UPSTREAM_TIMEOUT', `upstream ${origin} did not answer in time`, { details: { origin }, cause: err });
  }
  const code = (err as { code?: string })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
  const why = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' ? 'host not found' : code === 'ECONNRESET' ? 'connection reset' : 'network error';
  return new GatewayError('UPSTREAM_UNREACHABLE', `upstream ${origin} is unreachable: ${why}`, { details: { origin, ...(code ? { reason: code } : {}) }, cause: err });
}
