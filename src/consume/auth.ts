/**
 * @module consume/auth — apply a consumes `authentication` block to an upstream request, with
 * secrets rendered from binds (the reference engine never injected them). Digest needs a
 * challenge first (see call.ts); OAuth2 client-credentials tokens are fetched and cached.
 */
import { basicHeader, createOAuth2ClientCredentials } from '../auth/index.ts';
import type { AuthSpec } from '../documents/types.ts';
import type { UpstreamPlan } from '../plan/types.ts';
import type { Lookup } from '../mapping/template.ts';
import { renderSecretText } from '../secrets/inject.ts';
import type { ConsumeDeps } from './deps.ts';
import type { BuiltRequest } from './request.ts';

function field(value: string | undefined, lookup: Lookup): string {
  return value ? renderSecretText(value, lookup).text : '';
}

export async function applyAuth(
  upstream: UpstreamPlan,
  req: BuiltRequest,
  lookup: Lookup,
  deps: ConsumeDeps,
): Promise<void> {
  const auth = upstream.auth as AuthSpec | undefined;
  if (!auth) return;
  switch (auth.type) {
    case 'bearer':
      req.headers.authorization = `Bearer ${field(auth.token, lookup)}`;
      return;
    case 'apikey': {
      // Real files also write several keys as a `headers` map; an empty key is never sent.
      const extra = (auth as { headers?: unknown }).headers;
      if (extra && typeof extra === 'object') {
        for (const [name, v] of Object.entries(extra as Record<string, unknown>))
          if (name && typeof v === 'string') req.headers[name.toLowerCase()] = field(v, lookup);
      }
      if (!auth.key) return;
      const key = field(auth.key, lookup);
      const value = field(auth.value, lookup);
      if (auth.placement === 'query') req.url.searchParams.set(key, value);
      else req.headers[key.toLowerCase()] = value;
      return;
    }
    case 'basic':
      req.headers.authorization = basicHeader(field(auth.username, lookup), field(auth.password, lookup));
      return;
    case 'oauth2': {
      if (!auth.tokenEndpoint || !auth.clientId) return;
      req.headers.authorization = `Bearer ${await tokenSource(upstream, auth, lookup, deps).getToken()}`;
      return;
    }
    default:
      return; // digest: answered after the upstream's challenge
  }
}

function tokenSource(
  upstream: UpstreamPlan,
  auth: Extract<AuthSpec, { type: 'oauth2' }>,
  lookup: Lookup,
  deps: ConsumeDeps,
) {
  let src = deps.tokenSources.get(upstream);
  if (!src) {
    src = createOAuth2ClientCredentials({
      tokenEndpoint: field(auth.tokenEndpoint, lookup),
      clientId: field(auth.clientId, lookup),
      clientSecret: field(auth.clientSecret, lookup),
      scopes: auth.scopes,
      audience: auth.audience,
      resource: auth.resource,
      fetch: deps.fetch,
      now: deps.clock.now,
    });
    deps.tokenSources.set(upstream, src);
  }
  return src;
}
