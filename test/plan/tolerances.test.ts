/**
 * Real-world shorthands capgate accepts (README "Tolerance policy"): consumer-level `headers`
 * maps, apikey `headers` maps, and `body: {type: json}` without data (built from body params).
 */
import { describe, expect, it } from 'vitest';
import { parseDocumentText } from '../../src/documents/load.ts';
import { buildPlan } from '../../src/plan/build.ts';
import { buildRequest } from '../../src/consume/request.ts';
import { applyAuth } from '../../src/consume/auth.ts';
import { secretLookup } from '../../src/secrets/inject.ts';
import type { InvokeDeps } from '../../src/invoke/deps.ts';

const YAML = `naftiko: "1.0.0-alpha2"
binds:
  - namespace: env
    keys: { DD_KEY: DD_KEY, DD_APP: DD_APP }
capability:
  consumes:
    - type: http
      namespace: dd
      baseUri: https://api.example.test
      headers:
        anthropic-version: '2023-06-01'
      authentication:
        type: apikey
        headers:
          DD-API-KEY: '{{DD_KEY}}'
          DD-APPLICATION-KEY: '{{DD_APP}}'
      resources:
        - name: things
          path: /things
          operations:
            - name: create
              method: POST
              body: { type: json }
              inputParameters:
                - { name: title, in: body }
                - { name: size, in: body }
  exposes:
    - type: rest
      port: 8080
      namespace: api
      resources:
        - path: /things
          operations:
            - method: POST
              call: dd.create
              with: { title: rest.title, size: rest.size }
`;

describe('real-world shorthands', () => {
  it('load without errors and build the request they mean', async () => {
    const doc = parseDocumentText('/tmp/dd.yaml', YAML);
    const plan = buildPlan([doc]);
    expect(plan.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const op = plan.rest[0].routes[0].operation;
    if (op.action.kind !== 'call') throw new Error('expected a call');
    const secrets = {
      values: new Map([
        ['DD_KEY', 'k1'],
        ['DD_APP', 'a1'],
      ]),
      missing: new Map(),
    };
    const rt = { secretsOf: () => secrets, overrideOf: () => undefined } as unknown as InvokeDeps;
    const built = buildRequest(op.action.op, { title: 'T', size: 3 }, rt);
    expect(built.headers['anthropic-version']).toBe('2023-06-01');
    expect(JSON.parse(String(built.body))).toEqual({ title: 'T', size: 3 });
    await applyAuth(op.action.op.upstream, built, secretLookup(op.action.op.upstream.capability, secrets, {}), rt);
    expect(built.headers['dd-api-key']).toBe('k1');
    expect(built.headers['dd-application-key']).toBe('a1');
    expect(op.action.op.upstream.secrets).toEqual(expect.arrayContaining(['DD_KEY', 'DD_APP']));
  });
});
