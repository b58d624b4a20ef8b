/**
 * @module expose/mcp/protocol/sessions — 2025-era sessions, when the server gives them out (`Mcp-Session-Id` on
 * initialize): what the client declared, the log level it asked for and the resources it subscribed to. Bounded
 * (the least recently used session goes first) and idle ones expire; an id the client ended stays known as ended
 * so that requests naming it are refused (404). An unknown id (another replica's, or from before a restart) is
 * served without session state rather than refused.
 */
import { randomUUID } from 'node:crypto';
import type { JsonObject, LogLevel } from './types.ts';

export interface McpSession {
  readonly clientCapabilities: JsonObject;
  logLevel?: LogLevel;
  readonly subscriptions: Set<string>;
  lastSeen: number;
}

const MAX_SESSIONS = 10_000;
const IDLE_MS = 60 * 60 * 1000;

export class Sessions {
  readonly #live = new Map<string, McpSession>();
  readonly #ended = new Set<string>();

  constructor(private readonly now: () => number = Date.now) {}

  create(clientCapabilities: JsonObject): string {
    const id = randomUUID();
    this.#live.set(id, { clientCapabilities, subscriptions: new Set(), lastSeen: this.now() });
    if (this.#live.size > MAX_SESSIONS) this.#live.delete(this.#live.keys().next().value!);
    return id;
  }

  /** The session, touched (moved to the back of the eviction order); undefined when unknown or idle too long. */
  get(id: string): McpSession | undefined {
    const s = this.#live.get(id);
    if (!s) return undefined;
    this.#live.delete(id);
    if (this.now() - s.lastSeen > IDLE_MS) return undefined;
    s.lastSeen = this.now();
    this.#live.set(id, s);
    return s;
  }

  /** The client ended its session (HTTP DELETE): later requests naming it are refused. */
  end(id: string): void {
    this.#live.delete(id);
    this.#ended.add(id);
    if (this.#ended.size > MAX_SESSIONS) this.#ended.delete(this.#ended.values().next().value!);
  }

  isEnded(id: string): boolean {
    return this.#ended.has(id);
  }

  /** Sessions subscribed to a resource URI. */
  *subscribedTo(uri: string): Iterable<[string, McpSession]> {
    for (const entry of this.#live) if (entry[1].subscriptions.has(uri)) yield entry;
  }
}
