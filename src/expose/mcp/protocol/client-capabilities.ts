/**
 * @module expose/mcp/protocol/client-capabilities — what a client declares it can do, and the -32021 refusal of a
 * call that needs more (a tool's `requires`). 2026-07-28 requests declare it each time in `_meta`; a 2025-era
 * client declared it once at initialize (known only within a session).
 */
import { isPlainObject } from '../../../common/json.ts';
import { MISSING_CAPABILITY, RpcError } from './jsonrpc.ts';
import { CLIENT_CAPABILITIES_META } from './versions.ts';
import type { JsonObject } from './types.ts';

/** The capabilities this request's `_meta` declares, undefined when it carries none. */
export function declaredInMeta(params: unknown): JsonObject | undefined {
  if (!isPlainObject(params) || !isPlainObject(params._meta)) return undefined;
  const caps = params._meta[CLIENT_CAPABILITIES_META];
  return isPlainObject(caps) ? caps : undefined;
}

/** Throws -32021 naming what is missing when `declared` (when known) lacks one of `needed`. */
export function requireCapabilities(needed: readonly string[] | undefined, declared: JsonObject | undefined): void {
  if (!needed?.length || declared === undefined) return;
  const missing = needed.filter((c) => !isPlainObject(declared[c]));
  if (!missing.length) return;
  throw new RpcError(MISSING_CAPABILITY, `Missing required client capability: ${missing.join(', ')}`, {
    requiredCapabilities: Object.fromEntries(missing.map((c) => [c, {}])),
  });
}
