/** @module expose/mcp/cancellation — in-flight requests of this process, so `notifications/cancelled` can abort the matching tool call. */

/**
 * Keys are chosen by the transport: stdio uses the request id (one client per pipe); HTTP prefixes it
 * with the caller's credentials, since stateless HTTP has no session to tell two clients' id 1 apart.
 */
export interface Abortable {
  abort(reason?: unknown): void;
}

/** Something that reports the client going away (the HTTP response closing early). */
export interface CloseWatch {
  onClose(cb: () => void): () => void;
}

/**
 * An AbortController made on first use of its signal. Creating an AbortSignal costs Node about
 * a tenth of a whole tools/call, and most calls finish without anyone listening for aborts; for
 * the same reason the client's disconnect is only watched once someone holds the signal.
 */
export class LazyAbort implements Abortable {
  #ctrl?: AbortController;
  #aborted = false;
  #reason: unknown;
  #unwatch?: () => void;

  constructor(private readonly watch?: CloseWatch) {}

  get signal(): AbortSignal {
    if (!this.#ctrl) {
      this.#ctrl = new AbortController();
      if (this.#aborted) this.#ctrl.abort(this.#reason);
      else if (this.watch) this.#unwatch = this.watch.onClose(() => this.abort('client disconnected'));
    }
    return this.#ctrl.signal;
  }

  abort(reason?: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#ctrl?.abort(reason);
  }

  /** Stop watching the client once the request is answered. */
  release(): void {
    this.#unwatch?.();
    this.#unwatch = undefined;
  }
}

/** One request in flight: what aborts it, and its key (computed only when a cancel arrives). */
export interface Flight {
  readonly ctrl: Abortable;
  key(): string;
}

/** A flight whose key is known up front (stdio: the request id). */
export class KeyedFlight implements Flight {
  constructor(readonly ctrl: Abortable, private readonly k: string) {}
  key(): string { return this.k; }
}

export class InFlight {
  // A set, not a map by key: registering is then O(1) with no key string built per request;
  // cancels are rare and scan the (concurrency-sized) set.
  private readonly flights = new Set<Flight>();

  add(f: Flight): void { this.flights.add(f); }

  delete(f: Flight): void { this.flights.delete(f); }

  /** Abort every in-flight request under this key; false when none matched. */
  cancel(key: string, reason?: string): boolean {
    let hit = false;
    for (const f of this.flights) {
      if (f.key() !== key) continue;
      hit = true;
      f.ctrl.abort(reason ?? 'cancelled by client');
    }
    return hit;
  }

  abortAll(reason: string): void {
    for (const f of this.flights) f.ctrl.abort(reason);
  }

  get size(): number { return this.flights.size; }
}

/** Stable key part for a JSON-RPC id (1 and "1" are different ids). */
export function idKey(id: unknown): string {
  return typeof id === 'string' ? `s:${id}` : `n:${String(id)}`;
}
