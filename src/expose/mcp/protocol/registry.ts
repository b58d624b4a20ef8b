/**
 * @module expose/mcp/protocol/registry — the endpoint list one MCP server serves, replaceable while it runs. Each
 * replacement works out which lists (tools, resources, prompts) changed for which namespaces, and tells the
 * subscribers: the transports turn that into `notifications/*\/list_changed` for the clients listening.
 */
import type { McpEndpoint, McpRegistry } from './types.ts';
import { toolDescriptor } from './view.ts';

export type ListKind = 'tools' | 'resources' | 'prompts';

/** What one replacement changed: the kinds of list, and the namespaces whose lists changed. */
export interface ListChange {
  readonly kinds: ReadonlySet<ListKind>;
  readonly namespaces: ReadonlySet<string>;
}

export type ChangeListener = (change: ListChange) => void;

export interface LiveRegistry extends McpRegistry {
  /** Serve these endpoints from the next request on; returns what changed (and tells the subscribers). */
  set(endpoints: readonly McpEndpoint[]): ListChange;
  subscribe(listener: ChangeListener): () => void;
}

export function createLiveRegistry(initial: readonly McpEndpoint[] = []): LiveRegistry {
  let current = initial;
  let fingerprints = fingerprintAll(initial);
  const listeners = new Set<ChangeListener>();
  return {
    current: () => current,
    set(endpoints) {
      const next = fingerprintAll(endpoints);
      const change = diff(fingerprints, next);
      current = endpoints;
      fingerprints = next;
      if (change.kinds.size) for (const l of [...listeners]) l(change);
      return change;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

type Fingerprint = Record<ListKind, string>;

/** What a client can see of each list, per namespace: descriptors, not objects (a re-read file yields new objects). */
function fingerprintAll(endpoints: readonly McpEndpoint[]): Map<string, Fingerprint> {
  const out = new Map<string, Fingerprint>();
  for (const e of endpoints) {
    out.set(e.namespace, {
      tools: JSON.stringify(e.tools.map(toolDescriptor)),
      resources: JSON.stringify(
        e.resources.map((r) => [r.name, r.title, r.description, r.mimeType, r.uri, r.uriTemplate]),
      ),
      prompts: JSON.stringify(e.prompts.map((p) => [p.name, p.title, p.description, p.arguments])),
    });
  }
  return out;
}

const KINDS: readonly ListKind[] = ['tools', 'resources', 'prompts'];
const EMPTY: Fingerprint = { tools: '[]', resources: '[]', prompts: '[]' };

function diff(before: Map<string, Fingerprint>, after: Map<string, Fingerprint>): ListChange {
  const kinds = new Set<ListKind>();
  const namespaces = new Set<string>();
  for (const ns of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(ns) ?? EMPTY;
    const b = after.get(ns) ?? EMPTY;
    for (const k of KINDS) {
      if (a[k] === b[k]) continue;
      kinds.add(k);
      namespaces.add(ns);
    }
  }
  return { kinds, namespaces };
}

/** The subscribe hook of a registry, when it can change while serving. */
export function subscribeTo(registry: McpRegistry, listener: ChangeListener): () => void {
  const live = registry as Partial<LiveRegistry>;
  return typeof live.subscribe === 'function' ? live.subscribe(listener) : () => {};
}
