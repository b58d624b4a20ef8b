/**
 * @module expose/mcp/transport/change-stream — standing SSE streams that tell MCP clients their lists changed: a
 * 2025-era GET stream gets `notifications/<list>/list_changed`; a 2026-07-28 `subscriptions/listen` stream gets an
 * acknowledgement, then only the types it asked for, each naming its subscription, and a final response when the
 * server closes it; with the tasks extension it also carries `notifications/tasks` for the task ids it asked for.
 * A comment every KEEPALIVE_MS keeps idle proxies from dropping the stream.
 */
import type { RpcId } from '../protocol/jsonrpc.ts';
import { subscribeTo } from '../protocol/registry.ts';
import {
  ALL_LISTS,
  listChanged,
  listenAcknowledgement,
  listenComplete,
  relevantKinds,
  type ListenFilter,
} from '../protocol/subscriptions.ts';
import type { JsonObject, McpRegistry } from '../protocol/types.ts';
import { openSse } from './sse.ts';

const KEEPALIVE_MS = 25_000;

/** A 2026-07-28 subscription: its request id, the list changes it wants, and the tasks it follows. */
export interface Listen {
  readonly id: RpcId;
  readonly filter: ListenFilter;
  /** The accepted task ids, and the watch that sends their notifications until stopped. */
  readonly tasks?: { readonly ids: readonly string[]; watch(send: (message: JsonObject) => void): () => void };
}

/** The streams one server has open, so it can end them when it stops or goes away. */
export class ChangeStreams {
  readonly #open = new Set<{ end(): void }>();

  get size(): number {
    return this.#open.size;
  }

  /** A standing stream for one listener; `listen` is set for a 2026-07-28 subscription, absent for a 2025 GET stream. */
  open(registry: McpRegistry, namespace: string | undefined, listen?: Listen): Response {
    const filter = listen?.filter ?? ALL_LISTS;
    let stopTasks: (() => void) | undefined;
    const stream = {
      end: () => {
        stopTasks?.();
        unsubscribe();
        clearInterval(keepalive);
        if (listen) sse.send(listenComplete(listen.id));
        sse.close();
      },
    };
    const sse = openSse(() => this.#drop(stream));
    if (listen) sse.send(listenAcknowledgement(listen.id, filter, listen.tasks?.ids));
    if (listen?.tasks) stopTasks = listen.tasks.watch((m) => sse.send(m));
    const unsubscribe = subscribeTo(registry, (change) => {
      for (const kind of relevantKinds(change, filter, namespace)) sse.send(listChanged(kind, listen?.id));
    });
    const keepalive = setInterval(() => sse.comment('keepalive'), KEEPALIVE_MS);
    keepalive.unref();
    this.#open.add(stream);
    return sse.response;
  }

  /** End every stream (the server is stopping, or its port is no longer served). */
  endAll(): void {
    for (const s of [...this.#open]) {
      this.#open.delete(s);
      s.end();
    }
  }

  #drop(stream: { end(): void }): void {
    if (this.#open.delete(stream)) stream.end();
  }
}
