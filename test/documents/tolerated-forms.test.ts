/**
 * Real-world forms that are harmless (README "Tolerance policy"): each is accepted, warned about where
 * something is rewritten or guessed, and used with its obvious meaning; the neighbouring forms that
 * would make a request wrong stay errors.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadText, withCode } from './helpers.ts';
import { buildRequest } from '../../src/consume/request.ts';
import { applyAuth } from '../../src/consume/auth.ts';
import { secretLookup } from '../../src/secrets/inject.ts';
import { resolveSecrets } from '../../src/secrets/resolve.ts';
import { missingSecretProblems } from '../../src/secrets/report.ts';
import type { InvokeDeps } from '../../src/invoke/deps.ts';
import type { Plan, UpstreamPlan } from '../../src/plan/types.ts';
import type { Problem } from '../../src/documents/problems.ts';

type Doc = Record<string, any>;

function base(): Doc {
  return {
    naftiko: '1.0.0-alpha2',
    info: { label: 'Tolerated forms', description: 'Real-world forms capgate accepts.' },
    capability: {
      consumes: [
        {
          type: 'http',
          namespace: 'up',
          baseUri: 'https://api.example.test',
          resources: [
            {
              name: 'things',
              path: '/things/{id}',
              operations: [
                {
                  name: 'get-thing',
                  method: 'GET',
                  inputParameters: [
                    { name: 'id', in: 'path', type: 'string', description: 'Thing id.' },
                    { name: 'limit', in: 'query', type: 'integer', description: 'Page size.' },
                  ],
                },
              ],
            },
          ],
        },
      ],
      exposes: [
        {
          type: 'rest',
          port: 8080,
          namespace: 'pub',
          resources: [
            {
              path: '/things/{id}',
              name: 'things',
              operations: [
                {
                  method: 'GET',
                  name: 'get-thing',
                  inputParameters: [{ name: 'id', in: 'path', type: 'string', description: 'Thing id.' }],
                  call: 'up.get-thing',
                  with: { id: 'rest.id' },
                },
              ],
            },
          ],
        },
        {
          type: 'mcp',
          port: 9090,
          namespace: 'tools',
          tools: [
            {
              name: 'get-thing',
              description: 'Get a thing.',
              inputParameters: [{ name: 'id', type: 'string', description: 'Thing id.', required: true }],
              call: 'up.get-thing',
              with: { id: 'tools.id' },
            },
          ],
        },
      ],
    },
  };
}

const consumer = (d: Doc): Doc => d.capability.consumes[0];
const operation = (d: Doc): Doc => consumer(d).resources[0].operations[0];
const tool = (d: Doc): Doc => d.capability.exposes[1].tools[0];

function load(edit: (d: Doc) => void): { plan: Plan; problems: readonly Problem[] } {
  const d = base();
  edit(d);
  return loadText(stringify(d));
}
const errors = (problems: readonly Problem[]) => problems.filter((p) => p.severity === 'error');
const warnings = (problems: readonly Problem[]) => problems.filter((p) => p.severity === 'warning');
const upstreamOf = (plan: Plan): UpstreamPlan => plan.upstreams[0];

/** Deps for buildRequest/applyAuth with fixed secret values. */
function deps(values: Record<string, string> = {}): InvokeDeps {
  const secrets = { values: new Map(Object.entries(values)), missing: new Map() };
  return { secretsOf: () => secrets, overrideOf: () => undefined } as unknown as InvokeDeps;
}

async function request(plan: Plan, scope: Record<string, unknown>, values: Record<string, string> = {}) {
  const op = upstreamOf(plan).operations.get('get-thing') ?? [...upstreamOf(plan).operations.values()][0];
  const rt = deps(values);
  const built = buildRequest(op, scope, rt);
  const secrets = rt.secretsOf(op.upstream.capability);
  await applyAuth(op.upstream, built, secretLookup(op.upstream.capability, secrets, {}), rt);
  return built;
}

describe('consumed resource names are labels: any text is accepted', () => {
  it.each(['#Action=BatchDeleteAttributes', 'shared_items#web_links', '', 'users-@me', 'v18-customers:mutate'])(
    'name %j: no problem, the operation is callable',
    async (name) => {
      const { plan, problems } = load((d) => (consumer(d).resources[0].name = name));
      expect(problems).toEqual([]);
      expect((await request(plan, { id: 'a' })).url.pathname).toBe('/things/a');
    },
  );

  it('a name that is not a string is still a schema error', () => {
    const { problems } = load((d) => (consumer(d).resources[0].name = { a: 1 }));
    expect(errors(problems).map((p) => [p.code, p.pointer])).toEqual([
      ['SCHEMA', '/capability/consumes/0/resources/0/name'],
    ]);
  });
});

describe('body: {type: form} is read as formUrlEncoded', () => {
  it('warns once at the type and sends a form body', async () => {
    const { plan, problems } = load((d) => {
      operation(d).method = 'POST';
      operation(d).body = { type: 'form', data: { grant_type: 'client_credentials', client_id: '{{client_id}}' } };
    });
    expect(errors(problems)).toEqual([]);
    expect(warnings(problems).map((p) => [p.code, p.pointer])).toEqual([
      ['BODY_TYPE_ALIAS', '/capability/consumes/0/resources/0/operations/0/body/type'],
    ]);
    const built = await request(plan, { id: 'a', client_id: 'c 1' });
    expect(built.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(String(built.body)).toBe('grant_type=client_credentials&client_id=c+1');
  });

  it('an unknown body type is still an error', () => {
    const { problems } = load((d) => (operation(d).body = { type: 'protobuf', data: 'x' }));
    expect(errors(problems).map((p) => p.pointer)).toContain(
      '/capability/consumes/0/resources/0/operations/0/body/type',
    );
  });
});

describe('MCP tool inputs without type or description', () => {
  it('are typed and described from the consumed parameter they feed, else string; one warning per file', () => {
    const { plan, problems } = load((d) => {
      tool(d).inputParameters = [{ name: 'id', required: true }, { name: 'size' }, { name: 'note', type: 'string' }];
      tool(d).with = { id: 'tools.id', limit: 'tools.size' };
      const second = structuredClone(tool(d));
      second.name = 'get-thing-2';
      d.capability.exposes[1].tools.push(second);
    });
    expect(errors(problems)).toEqual([]);
    expect(withCode(problems, 'MCP_INPUT_DEFAULTED')).toHaveLength(1);
    expect(withCode(problems, 'MCP_INPUT_DEFAULTED')[0].pointer).toBe(
      '/capability/exposes/1/tools/0/inputParameters/0',
    );
    const schema = plan.mcp[0].adapters[0].tools[0].inputSchema;
    expect(schema).toEqual({
      type: 'object',
      properties: {
        id: { type: 'string', description: 'Thing id.' },
        size: { type: 'integer', description: 'Page size.' },
        note: { type: 'string' },
      },
      // Tool inputs are required unless they say otherwise, typed or not.
      required: ['id', 'size', 'note'],
    });
  });

  it('the same holds for aggregate function inputs, which tools using `ref` inherit', () => {
    const { plan, problems } = load((d) => {
      d.capability.aggregates = [
        {
          label: 'Things',
          namespace: 'agg',
          functions: [{ name: 'get', description: 'Get.', inputParameters: [{ name: 'limit' }], call: 'up.get-thing' }],
        },
      ];
      d.capability.exposes[1].tools = [{ ref: 'agg.get', with: { id: '42' } }];
    });
    expect(errors(problems)).toEqual([]);
    expect(withCode(problems, 'MCP_INPUT_DEFAULTED')).toHaveLength(1);
    expect(plan.mcp[0].adapters[0].tools[0].inputSchema.properties).toEqual({
      limit: { type: 'integer', description: 'Page size.' },
    });
  });

  it('an unknown type is still an error', () => {
    const { problems } = load((d) => (tool(d).inputParameters[0].type = 'uuid'));
    expect(errors(problems).map((p) => p.pointer)).toEqual(['/capability/exposes/1/tools/0/inputParameters/0/type']);
  });
});

describe('{{env.VAR}} that no binds entry declares', () => {
  const withToken = (token: string, binds?: Doc[]) => (d: Doc) => {
    consumer(d).authentication = { type: 'bearer', token };
    if (binds) d.binds = binds;
  };

  it('is read from that environment variable only, with a warning naming it at its use', async () => {
    const { plan, problems } = load(withToken('{{env.THING_TOKEN}}'));
    expect(errors(problems)).toEqual([]);
    const [w] = withCode(problems, 'BIND_IMPLICIT_ENV');
    expect(w).toMatchObject({ severity: 'warning', pointer: '/capability/consumes/0/authentication/token' });
    expect(w.message).toContain('THING_TOKEN');
    const cap = plan.capabilities[0];
    expect(cap.declaredVars.has('THING_TOKEN')).toBe(true);
    expect(upstreamOf(plan).secrets).toEqual(['THING_TOKEN']);
    // The value comes from the environment variable of the same name ...
    expect((await resolveSecrets(cap, { THING_TOKEN: 's3cret' })).values.get('THING_TOKEN')).toBe('s3cret');
    const built = await request(plan, { id: 'a' }, { THING_TOKEN: 's3cret' });
    expect(built.headers.authorization).toBe('Bearer s3cret');
    // ... never from a request value, even one named like it: without the env value the call is refused.
    expect(() =>
      buildRequest(upstreamOf(plan).operations.get('get-thing')!, { id: 'a', THING_TOKEN: 'x' }, deps()),
    ).toThrow(/THING_TOKEN/);
    const lookup = secretLookup(
      cap,
      { values: new Map(), missing: new Map() },
      { THING_TOKEN: 'x', env: { THING_TOKEN: 'x' } },
    );
    expect(lookup('env.THING_TOKEN')).toBeUndefined();
    expect(lookup('THING_TOKEN')).toBeUndefined();
  });

  it('a missing value is reported at the use, like a declared bind', async () => {
    const { plan } = load(withToken('{{env.THING_TOKEN}}'));
    const [p] = await missingSecretProblems(plan.capabilities, {}, 'warning');
    expect(p).toMatchObject({
      code: 'BIND_MISSING_VALUE',
      pointer: '/capability/consumes/0/authentication/token',
      message: 'bind variable THING_TOKEN: environment variable THING_TOKEN is not set',
    });
    expect(p.line).toBeGreaterThan(1);
  });

  it('also with an env binds entry that declares other keys (the usual real-world case)', () => {
    const { problems } = load(
      withToken('{{env.THING_USER}}', [{ namespace: 'env', keys: { THING_KEY: 'THING_KEY' } }]),
    );
    expect(errors(problems)).toEqual([]);
    expect(withCode(problems, 'BIND_IMPLICIT_ENV')).toHaveLength(1);
  });

  it('in a body too: read from the environment, never from the request value of that name', async () => {
    const { plan, problems } = load((d) => {
      operation(d).method = 'POST';
      operation(d).body = { type: 'json', data: { account: '{{env.THING_ACCOUNT}}', note: '{{note}}' } };
    });
    expect(errors(problems)).toEqual([]);
    expect(withCode(problems, 'BIND_IMPLICIT_ENV')[0].pointer).toBe(
      '/capability/consumes/0/resources/0/operations/0/body/data/account',
    );
    const built = await request(plan, { id: 'a', note: 'n', THING_ACCOUNT: 'caller' }, { THING_ACCOUNT: 'acc-1' });
    expect(JSON.parse(String(built.body))).toEqual({ account: 'acc-1', note: 'n' });
  });

  it('a bare {{VAR}} in a body that nothing declares is an error, not a request value', () => {
    const { problems } = load((d) => {
      operation(d).method = 'POST';
      operation(d).body = '{"key": "{{API_TOKEN}}"}';
    });
    expect(errors(problems).map((p) => [p.code, p.pointer])).toEqual([
      ['BIND_UNDECLARED', '/capability/consumes/0/resources/0/operations/0/body'],
    ]);
  });

  it('stays an error without the env. prefix: nothing says where the value comes from', () => {
    const { problems } = load(withToken('{{THING_TOKEN}}'));
    expect(errors(problems).map((p) => p.code)).toEqual(['BIND_UNDECLARED']);
  });

  it('stays an error when the env namespace is a bind file: the key is missing from what was declared', () => {
    const { problems } = load(
      withToken('{{env.THING_TOKEN}}', [{ namespace: 'env', location: 'file:///tmp/x.yaml', keys: { A_KEY: 'a' } }]),
    );
    expect(errors(problems).map((p) => p.code)).toEqual(['BIND_UNDECLARED']);
  });
});

describe('spellings of upstream authentication with an obvious meaning', () => {
  it('apikey with OpenAPI-style in/name is sent as placement/key, with a warning', async () => {
    const { plan, problems } = load(
      (d) => (consumer(d).authentication = { type: 'apikey', in: 'header', name: 'x-api-key', value: 'k-1' }),
    );
    expect(errors(problems)).toEqual([]);
    expect(warnings(problems).map((p) => [p.code, p.pointer])).toEqual([
      ['AUTH_FIELD_ALIAS', '/capability/consumes/0/authentication'],
    ]);
    expect((await request(plan, { id: 'a' })).headers['x-api-key']).toBe('k-1');
  });

  it('apikey with in: query goes to the query string', async () => {
    const { plan } = load(
      (d) => (consumer(d).authentication = { type: 'apikey', in: 'query', name: 'api_key', value: 'k-1' }),
    );
    expect((await request(plan, { id: 'a' })).url.searchParams.get('api_key')).toBe('k-1');
  });

  it('apikey with in: cookie stays an error (no such placement)', () => {
    const { problems } = load(
      (d) => (consumer(d).authentication = { type: 'apikey', in: 'cookie', name: 'k', value: 'v' }),
    );
    expect(errors(problems).length).toBeGreaterThan(0);
  });

  it('bearer with value (and placement: header) is the token, with a warning', async () => {
    const { plan, problems } = load(
      (d) => (consumer(d).authentication = { type: 'bearer', value: 't-1', placement: 'header' }),
    );
    expect(errors(problems)).toEqual([]);
    expect(withCode(problems, 'AUTH_FIELD_ALIAS')).toHaveLength(1);
    expect((await request(plan, { id: 'a' })).headers.authorization).toBe('Bearer t-1');
  });

  it('bearer with placement: query stays an error', () => {
    const { problems } = load((d) => (consumer(d).authentication = { type: 'bearer', value: 't', placement: 'query' }));
    expect(errors(problems).length).toBeGreaterThan(0);
  });

  it('type: none means no authentication, with a warning', async () => {
    const { plan, problems } = load((d) => (consumer(d).authentication = { type: 'none' }));
    expect(errors(problems)).toEqual([]);
    expect(warnings(problems).map((p) => [p.code, p.pointer])).toEqual([
      ['AUTH_NONE', '/capability/consumes/0/authentication'],
    ]);
    expect(upstreamOf(plan).auth).toBeUndefined();
    expect((await request(plan, { id: 'a' })).headers.authorization).toBeUndefined();
  });
});

describe('outputRawFormat: text', () => {
  it('is accepted (capgate reads text bodies)', () => {
    const { plan, problems } = load((d) => (operation(d).outputRawFormat = 'text'));
    expect(problems).toEqual([]);
    expect(upstreamOf(plan).operations.get('get-thing')!.format).toBe('text');
  });
});

describe('empty resources and tools lists', () => {
  it('are accepted; an adapter with nothing to serve is not served (warning)', () => {
    const { plan, problems } = load((d) => {
      consumer(d).resources = [];
      d.capability.exposes[0].resources = [];
      d.capability.exposes[1].tools = [];
    });
    expect(errors(problems)).toEqual([]);
    expect(warnings(problems).map((p) => [p.code, p.pointer])).toEqual([
      ['EXPOSE_EMPTY', '/capability/exposes/0'],
      ['EXPOSE_EMPTY', '/capability/exposes/1'],
    ]);
    expect(plan.rest).toEqual([]);
    expect(plan.mcp).toEqual([]);
    expect(plan.upstreams[0].operations.size).toBe(0);
  });
});
