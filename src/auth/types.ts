/** @module auth/types — shapes shared by the server-side authenticators. */

/** Server `authentication` block of a rest/mcp adapter, secrets already resolved. */
export type ServerAuthSpec =
  | { type: 'bearer'; token: string }
  | { type: 'apikey'; key: string; value: string; placement?: 'header' | 'query' }
  | { type: 'basic'; username: string; password: string }
  | { type: 'digest'; username: string; password: string }
  | OAuth2ResourceSpec;

export interface OAuth2ResourceSpec {
  type: 'oauth2';
  authorizationServerUri: string;
  resource?: string;
  scopes?: string[];
  audience?: string;
  tokenValidation?: 'jwks' | 'introspection';
}

export interface ServerAuthDeps {
  fetch?: typeof fetch;
  now?: () => number;
  /** Realm in Basic/Digest/Bearer challenges; "capgate" by default. */
  realm?: string;
  /**
   * Key signing Digest nonces, the same on every replica so that any of them accepts a nonce another issued;
   * default: a random key per authenticator (a nonce is then only good on the process that issued it).
   */
  digestKey?: string;
}

export interface ServerAuthenticator {
  /** undefined = let the request through; otherwise the 401/403 to send as is. */
  authenticate(req: Request): Promise<Response | undefined>;
  /** Public documents to serve before authentication (OAuth protected-resource metadata). */
  wellKnown?(req: Request): Response | undefined;
}
