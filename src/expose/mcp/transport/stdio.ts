/**
 * @module expose/mcp/transport/stdio — newline-delimited JSON-RPC on stdin/stdout (all endpoints merged, no auth);
 * stdout carries protocol messages only.
 */
import { StringDecoder } from 'node:string_decoder';
import { InFlight, KeyedFlight, idKey } from '../protocol/cancellation.ts';
import {
  dispatchRequest,
  progressNotification,
  progressTokenOf,
  type Exchange,
  type ServerInfo,
} from '../protocol/dispatch.ts';
import { classifyEra } from '../protocol/era.ts';
import { INVALID_REQUEST, PARSE_ERROR, classifyMessage, rpcError } from '../protocol/jsonrpc.ts';
import { isPlainObject } from '../../../common/json.ts';
import type { McpRegistry } from '../protocol/types.ts';
import { viewFor } from '../protocol/view.ts';
import { VERSION } from '../../../common/version.ts';

/**
 * SDK stdio clients parse every line of a read synchronously but run notification handlers a microtask
 * later, and they drop a request's progress handler when its response is parsed: a last progress line
 * that arrives in the same read as the reply is lost. A short pause after progress keeps them in separate
 * reads (only long-running calls that reported progress pay it). HTTP/SSE clients await between events.
 */
const PROGRESS_SETTLE_MS = 2;

function settleProgress(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, PROGRESS_SETTLE_MS));
}

export interface StdioIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
}
export interface StdioOptions {
  serverName?: string;
  serverVersion?: string;
}

export function serveStdio(registry: McpRegistry, io?: StdioIo, opts: StdioOptions = {}): { close(): Promise<void> } {
  const stdin = io?.stdin ?? process.stdin;
  const stdout = io?.stdout ?? process.stdout;
  const serverInfo: ServerInfo = { name: opts.serverName ?? 'capgate', version: opts.serverVersion ?? VERSION };
  const inflight = new InFlight();
  const pending = new Set<Promise<void>>();
  const decoder = new StringDecoder('utf8');
  let buffer = '';
  let closed = false;

  const write = (msg: unknown) => {
    if (!closed) stdout.write(`${JSON.stringify(msg)}\n`);
  };

  function runRequest(id: string | number, method: string, params: unknown, era: Exchange['era']): void {
    const all = registry.current();
    const ctrl = new AbortController();
    let cancelledByClient = false;
    const key = idKey(id);
    const flight = new KeyedFlight(ctrl, key);
    inflight.add(flight);
    ctrl.signal.addEventListener(
      'abort',
      () => {
        cancelledByClient = true;
      },
      { once: true },
    );
    const token = progressTokenOf(params);
    let progressed = false;
    const ex: Exchange = {
      era,
      view: viewFor(all, all, 'all'),
      serverInfo,
      signal: ctrl.signal,
      ...(token !== undefined && {
        progress: (p) => {
          progressed = true;
          write(progressNotification(token, p));
        },
      }),
    };
    const p = dispatchRequest(id, method, params, ex)
      .then(async (reply) => {
        if (progressed) await settleProgress();
        // The spec asks receivers not to answer a request the client cancelled.
        if (!cancelledByClient) write(reply);
      })
      .finally(() => {
        inflight.delete(flight);
        pending.delete(p);
      });
    pending.add(p);
  }

  function handleLine(line: string): void {
    if (line.trim() === '') return;
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch (err) {
      write(rpcError(null, PARSE_ERROR, `Parse error: ${(err as Error).message}`));
      return;
    }
    if (Array.isArray(msg)) {
      write(rpcError(null, INVALID_REQUEST, 'Invalid Request: batch requests are not supported'));
      return;
    }
    const m = classifyMessage(msg);
    if (m.kind === 'invalid') {
      write(m.reply);
      return;
    }
    if (m.kind === 'response') return;
    const outcome = classifyEra(m.kind, m.method, m.params, undefined);
    if (m.kind === 'notification') {
      if (m.method === 'notifications/cancelled' && isPlainObject(m.params) && m.params.requestId !== undefined)
        inflight.cancel(idKey(m.params.requestId));
      return;
    }
    if (outcome.rejection) {
      const r = outcome.rejection;
      write(rpcError(m.id, r.code, r.message, r.data));
      return;
    }
    runRequest(m.id, m.method, m.params, outcome.era);
  }

  const onData = (chunk: Buffer | string) => {
    buffer += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).replace(/\r$/, '');
      buffer = buffer.slice(nl + 1);
      handleLine(line);
    }
  };
  const onEnd = () => inflight.abortAll('client disconnected');
  stdin.on('data', onData);
  stdin.on('end', onEnd);

  return {
    async close() {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      inflight.abortAll('server closing');
      await Promise.allSettled([...pending]);
      closed = true;
    },
  };
}
