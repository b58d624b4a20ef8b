/**
 * Digest nonces across replicas: authenticators that share a nonce key (CAPGATE_DIGEST_KEY) accept each other's
 * nonces, so a challenge from one replica answered to another succeeds; with different keys, or with the random
 * per-process key used when none is configured, they do not.
 */
import { describe, expect, it } from 'vitest';
import { createServerAuthenticator, digestAuthorization, parseAuthChallenges } from '../../src/auth/index.ts';
import type { ServerAuthenticator } from '../../src/auth/index.ts';
import { authOptionsFromEnv } from '../../src/cli/serve-options.ts';
import { parseDocumentText } from '../../src/documents/load.ts';
import { buildPlan } from '../../src/plan/build.ts';
import { createDeps } from '../../src/gateway/deps.ts';
import { createGateway } from '../../src/gateway/gateway.ts';

const SPEC = { type: 'digest' as const, username: 'alice', password: 's3cret' };
// A loopback host: the gateway replicas answer only the Host names their loopback-bound port allows.
const URL_ = 'http://127.0.0.1/ships';
const now = () => 1_700_000_000_000;
const KEY = 'a shared key of the replicas, 32+';

const replica = (digestKey?: string): ServerAuthenticator =>
  createServerAuthenticator(SPEC, { now, ...(digestKey !== undefined && { digestKey }) });

/** Ask `from` for a challenge and answer it correctly to `to`; undefined = accepted. */
async function crossAnswer(from: ServerAuthenticator, to: ServerAuthenticator): Promise<Response | undefined> {
  const denied = await from.authenticate(new Request(URL_));
  const value = denied!.headers.get('www-authenticate')!;
  const sha = parseAuthChallenges(value).find((c) => c.params.algorithm === 'SHA-256')!;
  const challenge = `Digest ${Object.entries(sha.params)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ')}`;
  const authorization = digestAuthorization(challenge, {
    method: 'GET',
    uri: '/ships',
    username: 'alice',
    password: 's3cret',
  })!;
  return to.authenticate(new Request(URL_, { headers: { authorization } }));
}

describe('Digest nonce key shared by replicas', () => {
  it('two authenticators with the same key accept each other’s nonces', async () => {
    const a = replica(KEY);
    const b = replica(KEY);
    expect(await crossAnswer(a, b)).toBeUndefined();
    expect(await crossAnswer(b, a)).toBeUndefined();
  });

  it('different keys do not', async () => {
    const res = await crossAnswer(replica(KEY), replica(`${KEY}, but another`));
    expect(res?.status).toBe(401);
  });

  it('without a key each authenticator signs with its own random key', async () => {
    expect((await crossAnswer(replica(), replica()))?.status).toBe(401);
    const one = replica();
    expect(await crossAnswer(one, one)).toBeUndefined();
  });
});

const GATED = `naftiko: "1.0.0-alpha3"
capability:
  exposes:
    - type: rest
      port: 8089
      namespace: api
      authentication: { type: digest, username: alice, password: s3cret }
      resources:
        - path: /ships
          operations:
            - method: GET
              outputParameters: [{ name: message, type: string, value: hi }]
`;

/** The REST app of a gateway replica built like `capgate serve` builds it, as an authenticator. */
async function gatewayReplica(digestKey?: string): Promise<ServerAuthenticator> {
  const plan = buildPlan([parseDocumentText('/tmp/gated.yaml', GATED)]);
  const gw = createGateway(plan, await createDeps(plan, { env: {} }), { digestKey });
  const app = gw.apps().find((a) => a.kind === 'rest')!.app;
  return {
    async authenticate(req) {
      const res = await app.request(req);
      return res.status === 200 ? undefined : res;
    },
  };
}

describe('GatewayOptions.digestKey', () => {
  it('reaches the Digest authenticator of every adapter: replicas with one key accept each other', async () => {
    expect(await crossAnswer(await gatewayReplica(KEY), await gatewayReplica(KEY))).toBeUndefined();
    expect((await crossAnswer(await gatewayReplica(), await gatewayReplica()))?.status).toBe(401);
  });
});

describe('CAPGATE_DIGEST_KEY', () => {
  it('is read from the environment; unset keeps the random per-process key', () => {
    expect(authOptionsFromEnv({})).toEqual({});
    expect(authOptionsFromEnv({ CAPGATE_DIGEST_KEY: KEY })).toEqual({ digestKey: KEY });
  });

  it('refuses a short key without echoing it', () => {
    const r = authOptionsFromEnv({ CAPGATE_DIGEST_KEY: 'short-key' });
    expect(r).toHaveProperty('error');
    expect((r as { error: string }).error).toContain('CAPGATE_DIGEST_KEY');
    expect((r as { error: string }).error).not.toContain('short-key');
  });
});
