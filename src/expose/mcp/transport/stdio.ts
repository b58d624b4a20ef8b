/**
 * @module expose/mcp/transport/stdio — newline-delimited JSON-RPC on stdin/stdout (all endpoints merged, no auth);
 * stdout carries protocol messages only. Lines are capped (MAX_LINE_BYTES, like the HTTP body cap) and read in
 * linear time; when the input ends, requests still running are answered before `ended` resolves (bounded).
 * One stdio connection is one 2025-era session: the capabilities the client declared at initialize are kept, and
 * questions (elicitation/create) go to the client as requests of their own on stdout, answered on stdin.
 */
import { InFlight, KeyedFlight, idKey } from '../protocol/cancellation.ts';
import {
  dispatchRequest,
  progressNotification,
  progressTokenOf,
  type Exchange,
  type ServerInfo,
} from '../protocol/dispatch.ts';
import { classifyEra } from '../protocol/era.ts';
import { INVALID_REQUEST, PARSE_ERROR, TRANSPORT_ERROR, classifyMessage, rpcError } from '../protocol/jsonrpc.ts';
import { isPlainObject } from '../../../common/json.ts';
import type { McpRegistry } from '../protocol/types.ts';
import { viewFor } from '../protocol/view.ts';
import { VERSION } from '../../../common/version.ts';
import { LineReader } from './stdio-lines.ts';
import { ClientRequests } from './client-requests.ts';
import type { McpSession } from '../protocol/sessions.ts';
import type { HeaderReader } from './inbound.ts';

/** stdio has no headers: every question and answer belongs to the one client on the other end. */
const NO_HEADERS: HeaderReader = { get: () => null };

/**
 * SDK stdio clients parse every line of a read synchronously but run notification handlers a microtask
 * later, and they drop a request's progress handler when its response is parsed: a last progress line
 * that arrives in the same read as the reply is lost. A short pause after progress keeps them in separate
 * reads (only long-running calls that reported progress pay it). HTTP/SSE clients await between events.
 */
const PROGRESS_SETTLE_MS = 2;

/** The longest message line, in bytes: the same 4 MiB as the HTTP transport's body cap. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;
/** How long requests still running when the input ends may take before they are cancelled. */
export const DRAIN_MS = 30_000;

function settleProgress(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, PROGRESS_SETTLE_MS));
}

export interface StdioIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
}
export interface StdioOptions {
  /** `serverInfo.name`; default 'capgate'. */
  serverName?: string;
  serverVersion?: string;
  /** Longest accepted line in bytes (default MAX_LINE_BYTES, 4 MiB); a longer one is answered with an error. */
  maxLineBytes?: number;
  /** How long requests still running when the input ends may take, in ms (default DRAIN_MS, 30 s). */
  drainMs?: number;
}

export interface StdioServer {
  /** Resolves once the input has ended and every request has been answered (or cut off after `drainMs`). */
  readonly ended: Promise<void>;
  /** Stop reading; give running requests `drainMs` (default 0: none) to answer, then cut off the rest. */
  close(drainMs?: number): Promise<void>;
}

/** One request being served: its id, how to stop it, and an answer that is written at most once. */
interface Running {
  readonly id: string | number;
  readonly ctrl: AbortController;
  readonly done: Promise<void>;
  settle(reply: unknown): void;
}

export function serveStdio(registry: McpRegistry, io?: StdioIo, opts: StdioOptions = {}): StdioServer {
  const stdin = io?.stdin ?? process.stdin;
  const stdout = io?.stdout ?? process.stdout;
  const serverInfo: ServerInfo = { name: opts.serverName ?? 'capgate', version: opts.serverVersion ?? VERSION };
  const drainMs = opts.drainMs ?? DRAIN_MS;
  const inflight = new InFlight();
  const running = new Set<Running>();
  const questions = new ClientRequests();
  // Once the input has ended a question can never be answered: those waiting fail at once, later ones too.
  let inputEnded = false;
  let session: McpSession | undefined;
  let closed = false;

  const write = (msg: unknown) => {
    if (!closed) stdout.write(`${JSON.stringify(msg)}\n`);
  };

  function runRequest(id: string | number, method: string, params: unknown, era: Exchange['era']): void {
    const all = registry.current();
    const ctrl = new AbortController();
    let answered = false;
    // A client's notifications/cancelled aborts through here: the spec asks receivers not to answer it.
    const flight = new KeyedFlight(
      {
        abort: (reason) => {
          answered = true;
          ctrl.abort(reason);
        },
      },
      idKey(id),
    );
    inflight.add(flight);
    const token = progressTokenOf(params);
    let progressed = false;
    if (era === 'legacy' && method === 'initialize') {
      const caps = isPlainObject(params) && isPlainObject(params.capabilities) ? params.capabilities : {};
      session = { clientCapabilities: caps, subscriptions: new Set(), lastSeen: Date.now() };
    }
    const ex: Exchange = {
      era,
      view: viewFor(all, all, 'all'),
      serverInfo,
      signal: ctrl.signal,
      ...(era === 'legacy' && {
        ...(session && { session }),
        request: (m: string, p: Record<string, unknown>) =>
          inputEnded
            ? Promise.reject(new Error('the client closed its input'))
            : questions.sender(NO_HEADERS, write, ctrl.signal)(m, p),
      }),
      ...(token !== undefined && {
        progress: (p) => {
          progressed = true;
          write(progressNotification(token, p));
        },
      }),
    };
    const settle = (reply: unknown) => {
      if (answered) return;
      answered = true;
      write(reply);
    };
    const done = dispatchRequest(id, method, params, ex)
      .then(async (reply) => {
        if (progressed) await settleProgress();
        settle(reply);
      })
      .finally(() => {
        inflight.delete(flight);
        running.delete(r);
      });
    const r: Running = { id, ctrl, done, settle };
    running.add(r);
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
    if (m.kind === 'response') {
      questions.settle(NO_HEADERS, msg);
      return;
    }
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

  // An over-long line was never parsed, so its id is unknown: the error goes to id null, as a parse error's does.
  // Code and wording match the HTTP transport's answer to a body over its cap (413).
  const reader = new LineReader(opts.maxLineBytes ?? MAX_LINE_BYTES, {
    line: handleLine,
    tooLong: (max) =>
      write(rpcError(null, TRANSPORT_ERROR, `Payload Too Large: a message line is longer than ${max} bytes`)),
  });

  /**
   * Wait up to `ms` for the running requests; then answer each one still running with an error (so no client
   * is left waiting for a reply that will never come) and cancel it.
   */
  async function drain(ms: number): Promise<void> {
    if (running.size > 0 && ms > 0) {
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
      await Promise.race([Promise.allSettled([...running].map((r) => r.done)), bound]);
      clearTimeout(timer);
    }
    for (const r of [...running]) {
      r.settle(rpcError(r.id, TRANSPORT_ERROR, `Server shutting down: the request did not finish within ${ms} ms`));
      r.ctrl.abort('server closing');
    }
  }

  let resolveEnded!: () => void;
  const ended = new Promise<void>((resolve) => (resolveEnded = resolve));
  let stopped = false;
  const stopReading = () => {
    stopped = true;
    stdin.off('data', onData);
    stdin.off('end', onEnd);
  };
  const onData = (chunk: Buffer | string) => reader.push(chunk);
  const onEnd = () => {
    reader.end();
    inputEnded = true;
    questions.cancelAll('the client closed its input');
    stopReading();
    void drain(drainMs).then(resolveEnded);
  };
  stdin.on('data', onData);
  stdin.on('end', onEnd);

  return {
    ended,
    async close(ms = 0) {
      if (!stopped) stopReading();
      inputEnded = true;
      questions.cancelAll('the server is closing');
      await drain(ms);
      closed = true;
      resolveEnded();
    },
  };
}
