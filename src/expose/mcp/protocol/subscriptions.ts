/**
 * @module expose/mcp/protocol/subscriptions — change notifications for clients that listen: the 2025 era's
 * `notifications/<list>/list_changed` (sent on a standing stream), and the 2026-07-28 revision's
 * `subscriptions/listen` (an acknowledgement first, then only the notification types the client asked for, each
 * naming its subscription). Transport-neutral: HTTP streams and stdio write what these functions build.
 */
import { isPlainObject } from '../../../common/json.ts';
import { invalidParams, type RpcId } from './jsonrpc.ts';
import type { ListChange, ListKind } from './registry.ts';
import { SUBSCRIPTION_ID_META } from './versions.ts';
import type { JsonObject } from './types.ts';

/** Which list changes a listener wants. */
export type ListenFilter = ReadonlySet<ListKind>;

export const ALL_LISTS: ListenFilter = new Set<ListKind>(['tools', 'resources', 'prompts']);

const FILTER_KEYS: Record<string, ListKind> = {
  toolsListChanged: 'tools',
  resourcesListChanged: 'resources',
  promptsListChanged: 'prompts',
};

/**
 * The filter of a `subscriptions/listen` request: the list-changed types asked for (`true`). Types capgate cannot
 * deliver (resource updates; task notifications without the tasks extension) are left out of the acknowledgement.
 */
export function parseListen(params: unknown): ListenFilter {
  const wanted = isPlainObject(params) ? params.notifications : undefined;
  if (!isPlainObject(wanted)) throw invalidParams('notifications is required');
  const filter = new Set<ListKind>();
  for (const [key, kind] of Object.entries(FILTER_KEYS)) if (wanted[key] === true) filter.add(kind);
  return filter;
}

/**
 * The first message of a listen stream: which of the requested types the server will send (and, with the tasks
 * extension, which of the requested task ids it follows).
 */
export function listenAcknowledgement(id: RpcId, filter: ListenFilter, taskIds?: readonly string[]): JsonObject {
  const notifications: JsonObject = {};
  for (const [key, kind] of Object.entries(FILTER_KEYS)) if (filter.has(kind)) notifications[key] = true;
  if (taskIds) notifications.taskIds = [...taskIds];
  return {
    jsonrpc: '2.0',
    method: 'notifications/subscriptions/acknowledged',
    params: { _meta: { [SUBSCRIPTION_ID_META]: id }, notifications },
  };
}

/** A list-changed notification; on a 2026-07-28 listen stream it names the subscription. */
export function listChanged(kind: ListKind, subscriptionId?: RpcId): JsonObject {
  const method = `notifications/${kind}/list_changed`;
  if (subscriptionId === undefined) return { jsonrpc: '2.0', method };
  return { jsonrpc: '2.0', method, params: { _meta: { [SUBSCRIPTION_ID_META]: subscriptionId } } };
}

/** The response that ends a listen stream when the server closes it (shutting down). */
export function listenComplete(id: RpcId): JsonObject {
  return { jsonrpc: '2.0', id, result: { resultType: 'complete', _meta: { [SUBSCRIPTION_ID_META]: id } } };
}

/**
 * The kinds of a change a listener should hear about: those it asked for, when the change touches what it sees
 * (every namespace for a merged endpoint, its own for `/mcp/<namespace>`).
 */
export function relevantKinds(change: ListChange, filter: ListenFilter, namespace: string | undefined): ListKind[] {
  if (namespace !== undefined && !change.namespaces.has(namespace)) return [];
  return [...change.kinds].filter((k) => filter.has(k));
}
