/**
 * @module expose/mcp/protocol/cancellation — in-flight requests of this process, so `notifications/cancelled` can
 * abort the matching tool call.
 */

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
  constructor(
    readonly ctrl: Abortable,
    private readonly k: string,
  ) {}
  key(): string {
    return this.k;
  }
}

export class InFlight {
  // Slots in a plain array: registering is O(1) with no key string built per request, and cancels
  // (rare) scan the concurrency-sized array. Not a Set: adding and deleting one entry per request in
  // a long-lived Set made V8 promote ~1.5 KB of every tools/call to the old generation under load
  // (scavenge pauses 8–10 µs per call instead of 4–5; bench/tools/gc.mjs, docs/performance.md). Our
  // reading: the Set keeps rebuilding its table as it fills and drains, and a discarded table left in
  // the old generation still points at the requests it held, which the scavenger treats as roots
  // until the next full GC. An array cleared in place leaves no such copies. `free` lists freed slots;
  // the array never shrinks, so its length is the peak number of requests in flight.
  private readonly slots: Array<Flight | undefined> = [];
  private readonly free: number[] = [];
  private live = 0;

  /** Register a flight; pass the returned handle to `delete` to spare it a scan. */
  add(f: Flight): number {
    this.live++;
    const i = this.free.pop();
    if (i === undefined) return this.slots.push(f) - 1;
    this.slots[i] = f;
    return i;
  }

  /** Forget a flight (a second call, or one for a flight never added, does nothing). */
  delete(f: Flight, handle?: number): void {
    const i = handle !== undefined && this.slots[handle] === f ? handle : this.slots.indexOf(f);
    if (i < 0) return;
    this.slots[i] = undefined;
    this.free.push(i);
    this.live--;
  }

  /** Abort every in-flight request under this key; false when none matched. */
  cancel(key: string, reason?: string): boolean {
    let hit = false;
    for (const f of this.slots) {
      if (f === undefined || f.key() !== key) continue;
      hit = true;
      f.ctrl.abort(reason ?? 'cancelled by client');
    }
    return hit;
  }

  abortAll(reason: string): void {
    for (const f of this.slots) f?.ctrl.abort(reason);
  }

  get size(): number {
    return this.live;
  }
}

/** Stable key part for a JSON-RPC id (1 and "1" are different ids). */
export function idKey(id: unknown): string {
  return typeof id === 'string' ? `s:${id}` : `n:${String(id)}`;
}
