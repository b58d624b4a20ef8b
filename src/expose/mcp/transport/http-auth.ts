/**
 * @module expose/mcp/transport/http-auth — applies endpoints' `authenticate` hooks: on a merged route a caller sees
 * only the endpoints that let it in.
 */
import type { McpEndpoint } from '../protocol/types.ts';

export type AuthOutcome =
  { allowed: readonly McpEndpoint[]; key: string; denied?: undefined } | { denied: Response; allowed?: undefined };

/** One endpoint (`/mcp/<ns>`): its own hook decides. */
export async function authorizeOne(endpoint: McpEndpoint, req: Request): Promise<AuthOutcome> {
  const denial = endpoint.authenticate ? await endpoint.authenticate(req) : undefined;
  return denial ? { denied: denial } : { allowed: [endpoint], key: `ns:${endpoint.namespace}` };
}

/**
 * Merged route (`/mcp`, `/`): keep the endpoints whose hook passes (or that have none). If every
 * endpoint denies, answer with the first denial so an all-protected server still sends its challenge.
 */
export async function authorizeMerged(all: readonly McpEndpoint[], req: Request): Promise<AuthOutcome> {
  if (!all.some((e) => e.authenticate)) return { allowed: all, key: 'all' };
  const denials = await Promise.all(all.map((e) => (e.authenticate ? e.authenticate(req) : undefined)));
  const allowed: McpEndpoint[] = [];
  const idx: number[] = [];
  denials.forEach((d, i) => {
    if (!d) {
      allowed.push(all[i]);
      idx.push(i);
    }
  });
  if (allowed.length === 0) {
    const first = denials.find((d): d is Response => d !== undefined);
    if (first) return { denied: first };
  }
  return { allowed, key: idx.length === all.length ? 'all' : `some:${idx.join(',')}` };
}
