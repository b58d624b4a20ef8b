/**
 * @module auth/client — client-side credentials for consumes (upstream calls): Basic, Digest, OAuth 2 client
 * credentials.
 */
export { basicHeader } from './basic.ts';
export { digestAuthorization, type DigestRequest } from './digest-client.ts';
export {
  createOAuth2ClientCredentials,
  type ClientCredentialsOptions,
  type ClientCredentialsSource,
} from './oauth-client.ts';
