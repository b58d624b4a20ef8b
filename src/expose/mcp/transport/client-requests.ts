/**
 * @module expose/mcp/transport/client-requests — requests the server sends a 2025-era client on a call's SSE stream
 * (elicitation/create), answered by the client in a POST of its own. Ids are random, and an answer is taken only
 * from a caller with the same credentials, so no client can answer another's question.
 */
import { randomUUID } from 'node:crypto';
import { isPlainObject } from '../../../common/json.ts';
import type { HeaderReader } from './inbound.ts';

/** How long a question waits for the client's answer. */
const ANSWER_TIMEOUT_MS = 10 * 60 * 1000;

interface Waiting {
  readonly caller: string;
  resolve(result: unknown): void;
  reject(err: Error): void;
}

export class ClientRequests {
  readonly #waiting = new Map<string, Waiting>();

  /** A sender for one call: writes the request with `send`, resolves with the client's result. */
  sender(headers: HeaderReader, send: (message: unknown) => void, signal: AbortSignal) {
    const caller = headers.get('authorization') ?? '';
    return (method: string, params: Record<string, unknown>): Promise<unknown> =>
      new Promise((resolve, reject) => {
        const id = `capgate-${randomUUID()}`;
        const done = () => {
          clearTimeout(timer);
          this.#waiting.delete(id);
          signal.removeEventListener('abort', onAbort);
        };
        const onAbort = () => {
          done();
          reject(new Error('the call was cancelled'));
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`the client did not answer ${method} in time`));
        }, ANSWER_TIMEOUT_MS);
        timer.unref();
        signal.addEventListener('abort', onAbort, { once: true });
        this.#waiting.set(id, {
          caller,
          resolve: (r) => {
            done();
            resolve(r);
          },
          reject: (e) => {
            done();
            reject(e);
          },
        });
        send({ jsonrpc: '2.0', id, method, params });
      });
  }

  /** Fail every question still waiting (its client can no longer answer). */
  cancelAll(message: string): void {
    for (const w of [...this.#waiting.values()]) w.reject(new Error(message));
  }

  /** A client's response POSTed back; true when it answered a question of ours. */
  settle(headers: HeaderReader, msg: unknown): boolean {
    if (!isPlainObject(msg) || typeof msg.id !== 'string') return false;
    const w = this.#waiting.get(msg.id);
    if (!w || w.caller !== (headers.get('authorization') ?? '')) return false;
    if ('error' in msg) {
      const e = isPlainObject(msg.error) ? msg.error : {};
      w.reject(new Error(typeof e.message === 'string' ? e.message : 'the client answered with an error'));
    } else w.resolve(msg.result);
    return true;
  }
}
