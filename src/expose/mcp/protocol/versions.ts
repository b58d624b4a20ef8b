/**
 * @module expose/mcp/protocol/versions — the MCP protocol revisions capgate speaks and how a 2025-era `initialize`
 * negotiates one.
 */

/** 2025-era revisions that share the `initialize` handshake, newest first. */
export const LEGACY_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26'] as const;
export const LATEST_LEGACY_VERSION = LEGACY_VERSIONS[0];
/** The stateless 2026-07-28 revision (`server/discover`, per-request `_meta` envelope). */
export const MODERN_VERSIONS = ['2026-07-28'] as const;
/** Revisions are ISO dates, so string comparison orders them. */
export const FIRST_MODERN_VERSION = '2026-07-28';

export const PROTOCOL_VERSION_META = 'io.modelcontextprotocol/protocolVersion';
export const CLIENT_CAPABILITIES_META = 'io.modelcontextprotocol/clientCapabilities';
export const SERVER_INFO_META = 'io.modelcontextprotocol/serverInfo';

export type Era = 'legacy' | 'modern';

export function isModernVersion(v: string): boolean {
  return v >= FIRST_MODERN_VERSION;
}

export function isSupportedLegacy(v: string): boolean {
  return (LEGACY_VERSIONS as readonly string[]).includes(v);
}

export function isSupportedModern(v: string): boolean {
  return (MODERN_VERSIONS as readonly string[]).includes(v);
}

/** Echo the client's revision when we speak it, else offer our latest (the spec's rule; not an error). */
export function negotiateLegacy(requested: unknown): string {
  return typeof requested === 'string' && isSupportedLegacy(requested) ? requested : LATEST_LEGACY_VERSION;
}

/** 2026-07-28: on a `subscriptions/listen` stream, the id of the listen request every notification belongs to. */
export const SUBSCRIPTION_ID_META = 'io.modelcontextprotocol/subscriptionId';
