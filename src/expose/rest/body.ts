/**
 * @module expose/rest/body — read a REST request body under a size limit. A declared
 * Content-Length over the limit is refused before anything is read; a body that grows past the
 * limit is refused the moment it does, and nothing more of it is kept. On @hono/node-server the
 * body is read straight from Node's IncomingMessage (no web Request is built for it).
 */
import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../../common/errors.ts';

/**
 * 10 MiB: a REST body is buffered whole before it goes upstream (an operation parses it; `forward`
 * sends it on), so the limit bounds memory per request. It matches the default cap on upstream
 * answers (HTTP_DEFAULTS.maxResponseBytes), so a pass-through proxy carries the same sizes both ways.
 */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

export function checkBodyLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit <= 0)
    throw new RangeError(`maxBodyBytes must be a positive whole number of bytes (got ${limit})`);
  return limit;
}

export function bodyTooLarge(limit: number): GatewayError {
  return new GatewayError('INPUT_TOO_LARGE', `request body exceeds ${limit} bytes`, { details: { limit } });
}

/**
 * The body of a request that may carry one, or undefined when it carries none. `incoming` is Node's
 * request when the app is served by @hono/node-server; without it the web Request's stream is read.
 */
export function readBody(
  raw: Request,
  incoming: IncomingMessage | undefined,
  limit: number,
): Promise<Uint8Array | undefined> {
  if (incoming) {
    const headers = incoming.headers;
    const declared = headers['content-length'];
    if (declared === undefined && headers['transfer-encoding'] === undefined) return Promise.resolve(undefined);
    if (declared !== undefined && Number(declared) > limit) return Promise.reject(bodyTooLarge(limit));
    return readIncoming(incoming, limit);
  }
  const declared = raw.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) return Promise.reject(bodyTooLarge(limit));
  return raw.body ? readStream(raw.body, limit) : Promise.resolve(undefined);
}

function readIncoming(incoming: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Keep nothing more: the 413 closes the connection (Connection: close), so Node stops reading it.
      stop();
      incoming.pause();
      chunks.length = 0;
      reject(bodyTooLarge(limit));
    };
    const onEnd = () => {
      stop();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    };
    const onError = () => {
      stop();
      reject(incomplete());
    };
    const onClose = () => {
      if (incoming.readableEnded) return onEnd();
      stop();
      reject(incomplete());
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}

async function readStream(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => {});
      throw bodyTooLarge(limit);
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

function incomplete(): GatewayError {
  return new GatewayError('INPUT_INVALID', 'the request body was not received completely');
}
