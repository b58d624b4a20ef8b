/** @module auth — public surface of server-side authenticators and client-side credential helpers. */
export { createServerAuthenticator } from './server.ts';
export type { ServerAuthSpec, OAuth2ResourceSpec, ServerAuthDeps, ServerAuthenticator } from './types.ts';
export { safeEqual } from './constant-time.ts';
export { parseAuthChallenges, type AuthChallenge } from './challenge-parse.ts';
export * from './client.ts';
