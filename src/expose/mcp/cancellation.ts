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

export class InFlight {
  private readonly byKey = new Map<string, Set<Abortable>>();

  /** Track one request; call the returned function when it settles. */
  register(key: string, ctrl: Abortable): () => void {
    let set = this.byKey.get(key);
    if (!set) { set = new Set(); this.byKey.set(key, set); }
    set.add(ctrl);
    return () => {
      const s = this.byKey.get(key);
      if (!s) return;
      s.delete(ctrl);
      if (s.size === 0) this.byKey.delete(key);
    };
  }

  /** Abort every in-flight request under this key; false when none matched. */
  cancel(key: string, reason?: string): boolean {
    const set = this.byKey.get(key);
    if (!set) return false;
    for (const c of set) c.abort(reason ?? 'cancelled by client');
    return true;
  }

  abortAll(reason: string): void {
    for (const set of this.byKey.values()) for (const c of set) c.abort(reason);
  }

  get size(): number { return this.byKey.size; }
}

/** Stable key part for a JSON-RPC id (1 and "1" are different ids). */
export function idKey(id: unknown): string {
  return typeof id === 'string' ? `s:${id}` : `n:${String(id)}`;
}
