/**
 * @module test/documents/schema — capgate's capability schema: valid shapes, x-capgate-* extensions, tolerated keys,
 * precise rejections, and reference compatibility over the shared corpus.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { SCHEMA_PATH, validateSchema, type SchemaIssue } from '../../src/documents/schema.ts';
import { rewriteLegacy } from '../../src/documents/normalize.ts';
import { ProblemSink } from '../../src/documents/problems.ts';

const repoRoot = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const fixtures = path.join(repoRoot, 'test/fixtures/schema');
const shared = path.resolve(repoRoot, '../shared');

type Doc = Record<string, any>;
const load = (name: string): Doc => parse(readFileSync(path.join(fixtures, name), 'utf8')) as Doc;
const minimal = (): Doc => load('minimal.yaml');
const rest = (d: Doc): Doc => d.capability.exposes[0];
const mcp = (d: Doc): Doc => d.capability.exposes[1];
const tool = (d: Doc): Doc => mcp(d).tools[0];
const restOp = (d: Doc): Doc => rest(d).resources[0].operations[0];
const consumer = (d: Doc): Doc => d.capability.consumes[0];
const pointers = (issues: SchemaIssue[]): string[] => issues.map((i) => i.pointer);
/** The issue at `pointer`, failing the test with the full list when it is absent. */
function issueAt(issues: SchemaIssue[], pointer: string): SchemaIssue {
  const found = issues.find((i) => i.pointer === pointer);
  if (!found) throw new Error(`no issue at ${pointer}; got ${JSON.stringify(issues, null, 2)}`);
  return found;
}

describe('validateSchema: valid documents', () => {
  it('exposes the schema path of an existing file', () => {
    expect(SCHEMA_PATH.endsWith(path.join('schema', 'capability.schema.json'))).toBe(true);
    expect(existsSync(SCHEMA_PATH)).toBe(true);
  });

  it('accepts the minimal REST + MCP document', () => {
    expect(validateSchema(minimal())).toEqual([]);
  });

  it('accepts a document using every construct (aggregates, steps, skill, control, all auth kinds)', () => {
    expect(validateSchema(load('full.yaml'))).toEqual([]);
  });

  it('accepts every tolerated key (info.name, REST description, MCP inputSchema, path overrides, x-*)', () => {
    expect(validateSchema(load('tolerated.yaml'))).toEqual([]);
  });

  it('accepts a root-level consumes library without capability', () => {
    const lib = { naftiko: '1.0.0-alpha2', consumes: [consumer(minimal())] };
    expect(validateSchema(lib)).toEqual([]);
  });

  it('accepts all three supported versions and no other', () => {
    for (const v of ['1.0.0-alpha1', '1.0.0-alpha2', '1.0.0-alpha3']) {
      expect(validateSchema({ ...minimal(), naftiko: v })).toEqual([]);
    }
    const issue = issueAt(validateSchema({ ...minimal(), naftiko: '0.5' }), '/naftiko');
    expect(issue.keyword).toBe('enum');
    expect(issue.message).toContain('"1.0.0-alpha1", "1.0.0-alpha2", "1.0.0-alpha3"');
  });

  it('accepts any baseUri string, including empty and templated', () => {
    for (const baseUri of ['', '{{BASE}}', 'not a url']) {
      const d = minimal();
      consumer(d).baseUri = baseUri;
      expect(validateSchema(d)).toEqual([]);
    }
  });

  it('accepts HEAD and OPTIONS methods', () => {
    const d = minimal();
    restOp(d).method = 'OPTIONS';
    consumer(d).resources[0].operations[0].method = 'HEAD';
    expect(validateSchema(d)).toEqual([]);
  });

  it('accepts an MCP tool that only uses ref (name/description optional)', () => {
    const d = minimal();
    mcp(d).tools = [{ ref: 'agg.fn' }];
    expect(validateSchema(d)).toEqual([]);
  });

  it('accepts mapped outputs with value instead of mapping, including non-string former const values', () => {
    const d = minimal();
    tool(d).outputParameters = [
      { type: 'object', properties: { n: { type: 'number', value: 3 }, s: { type: 'string', value: 'x' } } },
    ];
    expect(validateSchema(d)).toEqual([]);
  });

  it('accepts the loader-internal markers x-capgate-literal (outputs) and x-capgate-imported-from (consumers)', () => {
    const d = minimal();
    Object.assign(tool(d).outputParameters[0].properties.temperature, { 'x-capgate-literal': true });
    consumer(d)['x-capgate-imported-from'] = 'shared/weather.yaml';
    expect(validateSchema(d)).toEqual([]);
    tool(d).outputParameters[0].properties.temperature['x-capgate-literal'] = 'yes';
    expect(pointers(validateSchema(d))).toEqual([
      '/capability/exposes/1/tools/0/outputParameters/0/properties/temperature/x-capgate-literal',
    ]);
  });

  it('accepts the identifiers real files use: any consumed resource name, _ and . in operation names, _ in tool names, $ and . in wire names', () => {
    const d = minimal();
    const res = consumer(d).resources[0];
    res.name = 'admin_api.keys';
    res.operations[0].name = 'get_current.v2';
    res.operations[0].inputParameters.push({ name: '$top', in: 'query' }, { name: 'filter[a.b]', in: 'query' });
    tool(d).name = 'get_weather';
    tool(d).call = 'weather-api.get_current.v2';
    expect(validateSchema(d)).toEqual([]);
    // A consumed resource name is a label nothing refers to: any text (an earlier version rejected these).
    for (const name of ['{toObjectId}', '#Action=BatchDeleteAttributes', 'users-@me', '']) {
      res.name = name;
      expect(validateSchema(d)).toEqual([]);
    }
    // An operation name is what `call` targets: it keeps its pattern.
    res.operations[0].name = 'get#current';
    expect(pointers(validateSchema(d))).toEqual(['/capability/consumes/0/resources/0/operations/0/name']);
  });

  it('accepts a whole-value mapped object or array without properties/items', () => {
    const d = minimal();
    tool(d).outputParameters = [
      { type: 'array', mapping: '$.list' },
      { type: 'object', value: '{{x}}' },
    ];
    expect(validateSchema(d)).toEqual([]);
    tool(d).outputParameters = [{ type: 'array' }];
    expect(validateSchema(d)).toEqual([
      expect.objectContaining({
        pointer: '/capability/exposes/1/tools/0/outputParameters/0',
        message: "missing one of required properties 'items', 'mapping', 'value'",
      }),
    ]);
  });

  it('accepts OAuth2 client credentials on a consumer, and requires the secret with the id', () => {
    const d = minimal();
    consumer(d).authentication = {
      type: 'oauth2',
      tokenEndpoint: 'https://auth.example.test/token',
      clientId: '{{CLIENT_ID}}',
      clientSecret: '{{CLIENT_SECRET}}',
      scopes: ['read'],
    };
    expect(validateSchema(d)).toEqual([]);
    delete consumer(d).authentication.clientSecret;
    expect(validateSchema(d)).toEqual([
      expect.objectContaining({
        pointer: '/capability/consumes/0/authentication/clientSecret',
        keyword: 'dependentRequired',
      }),
    ]);
    // Client credentials are a consumer concern: an adapter's OAuth2 block does not take them.
    mcp(d).authentication = {
      type: 'oauth2',
      authorizationServerUri: 'https://a.test',
      resource: 'https://r.test',
      clientId: 'x',
    };
    expect(issueAt(validateSchema(d), '/capability/exposes/1/authentication/clientId').keyword).toBe(
      'additionalProperties',
    );
  });

  it('accepts alpha1 wildcard and alpha2 dotted mapping targets', () => {
    const d = load('full.yaml');
    const op = d.capability.exposes[0].resources[0].operations[1];
    op.mappings = [
      { targetName: '*', value: '$.x' },
      { targetName: 'a.b', value: '$.y' },
    ];
    expect(validateSchema(d)).toEqual([]);
  });
});

describe('validateSchema: x-capgate-wait', () => {
  const withWait = (wait: unknown): SchemaIssue[] => {
    const d = minimal();
    tool(d)['x-capgate-wait'] = wait;
    return validateSchema(d);
  };
  const base = '/capability/exposes/1/tools/0/x-capgate-wait';

  it('accepts the full form on MCP tools, REST operations and aggregate functions', () => {
    const wait = {
      until: '$.status',
      terminal: ['done', 'failed'],
      failed: ['failed'],
      progress: { current: '$.p.n', total: '$.p.of', message: '$.p.msg' },
      intervalMs: 250,
      maxIntervalMs: 4000,
      backoff: 1.5,
      jitter: 0.2,
      timeoutMs: 30000,
    };
    expect(withWait(wait)).toEqual([]);
    const d = minimal();
    restOp(d)['x-capgate-wait'] = wait;
    expect(validateSchema(d)).toEqual([]);
    // full.yaml carries one on an aggregate function.
    expect(load('full.yaml').capability.aggregates[0].functions[0]['x-capgate-wait']).toBeDefined();
  });

  it('requires until and a non-empty terminal list', () => {
    expect(issueAt(withWait({ terminal: ['x'] }), `${base}/until`).message).toBe("missing required property 'until'");
    expect(issueAt(withWait({ until: '$.s', terminal: [] }), `${base}/terminal`).keyword).toBe('minItems');
  });

  it('rejects a non-JSONPath until, non-scalar terminal values and unknown keys', () => {
    expect(issueAt(withWait({ until: 'status', terminal: ['x'] }), `${base}/until`).keyword).toBe('pattern');
    expect(issueAt(withWait({ until: '$.s', terminal: [{ a: 1 }] }), `${base}/terminal/0`).keyword).toBe('type');
    expect(issueAt(withWait({ until: '$.s', terminal: ['x'], interval: 5 }), `${base}/interval`).message).toBe(
      "unknown property 'interval' (did you mean 'intervalMs'?)",
    );
  });

  it('enforces the numeric bounds', () => {
    const bad = {
      until: '$.s',
      terminal: ['x'],
      intervalMs: 10,
      backoff: 0.5,
      jitter: 2,
      timeoutMs: -1,
      maxIntervalMs: 1.5,
    };
    // maxIntervalMs 1.5 breaks both type and minimum: two issues, one pointer.
    expect([...new Set(pointers(withWait(bad)))].sort()).toEqual(
      ['backoff', 'intervalMs', 'jitter', 'maxIntervalMs', 'timeoutMs'].map((k) => `${base}/${k}`).sort(),
    );
  });

  it('is only allowed where defined: an x-capgate-wait on a consumer is an unknown property', () => {
    const d = minimal();
    consumer(d)['x-capgate-wait'] = { until: '$.s', terminal: ['x'] };
    expect(issueAt(validateSchema(d), '/capability/consumes/0/x-capgate-wait').message).toBe(
      "unknown property 'x-capgate-wait'",
    );
  });
});

describe('validateSchema: x-capgate-translate', () => {
  const prop = (d: Doc): Doc => tool(d).outputParameters[0].properties.temperature;
  const base = '/capability/exposes/1/tools/0/outputParameters/0/properties/temperature/x-capgate-translate';

  it('accepts a map of scalars with an optional default on any mapped output', () => {
    const d = minimal();
    prop(d)['x-capgate-translate'] = { map: { '0': 'cold', '1': true, hot: 30, none: null }, default: 'unknown' };
    Object.assign(tool(d).outputParameters[0], { mapping: '$.', 'x-capgate-translate': { map: {} } });
    expect(validateSchema(d)).toEqual([]);
  });

  it('is only meaningful on a mapped output: without mapping it asks for one', () => {
    const d = minimal();
    tool(d).outputParameters[0]['x-capgate-translate'] = { map: { a: 'b' } };
    expect(validateSchema(d)).toEqual([
      expect.objectContaining({
        pointer: '/capability/exposes/1/tools/0/outputParameters/0/mapping',
        keyword: 'dependentRequired',
      }),
    ]);
  });

  it('requires map, rejects non-scalar targets and unknown keys', () => {
    const d = minimal();
    prop(d)['x-capgate-translate'] = { default: 'x', fallback: 1 };
    const issues = validateSchema(d);
    expect(issueAt(issues, `${base}/map`).keyword).toBe('required');
    expect(issueAt(issues, `${base}/fallback`).keyword).toBe('additionalProperties');
    prop(d)['x-capgate-translate'] = { map: { a: ['list'] } };
    expect(issueAt(validateSchema(d), `${base}/map/a`).keyword).toBe('type');
  });
});

describe('validateSchema: vendor extensions', () => {
  it('accepts any x-* key on objects at every level', () => {
    const d = minimal();
    d['x-a'] = 1;
    d.info['x-b'] = { any: 'thing' };
    consumer(d)['x-c'] = [];
    rest(d)['x-d'] = true;
    restOp(d)['x-e'] = null;
    tool(d).inputParameters[0]['x-f'] = 'y';
    tool(d).outputParameters[0].properties.temperature['x-g'] = 1;
    expect(validateSchema(d)).toEqual([]);
  });

  it('rejects unknown x-capgate-* keys (likely typos of our own extensions)', () => {
    const d = minimal();
    tool(d)['x-capgate-wiat'] = {};
    expect(issueAt(validateSchema(d), '/capability/exposes/1/tools/0/x-capgate-wiat').message).toBe(
      "unknown property 'x-capgate-wiat' (did you mean 'x-capgate-wait'?)",
    );
  });
});

describe('validateSchema: rejections', () => {
  it.each(['agent-skill', 'http', 'api'])(
    'rejects expose type %s at the type field, listing the allowed types',
    (type) => {
      const d = minimal();
      rest(d).type = type;
      const issues = validateSchema(d);
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ pointer: '/capability/exposes/0/type', keyword: 'enum' });
      expect(issues[0].message).toBe(`must be one of "rest", "mcp", "skill", "control" (got "${type}")`);
      expect(issues[0].params.allowedValues).toEqual(['rest', 'mcp', 'skill', 'control']);
    },
  );

  it('rejects a misspelled root key with the key in the pointer', () => {
    const d = minimal();
    d.capabilty = d.capability;
    delete d.capability;
    const issues = validateSchema(d);
    expect(issueAt(issues, '/capabilty')).toMatchObject({
      keyword: 'additionalProperties',
      message: "unknown property 'capabilty' (did you mean 'capability'?)",
      params: { additionalProperty: 'capabilty', suggestion: 'capability' },
    });
    expect(issueAt(issues, '/capability').message).toBe("missing required property 'capability'");
  });

  it('requires info.label or its tolerated alias info.name', () => {
    const d = minimal();
    delete d.info.label;
    expect(validateSchema(d)).toEqual([
      expect.objectContaining({
        pointer: '/info',
        keyword: 'required',
        message: "missing one of required properties 'label', 'name'",
      }),
    ]);
  });

  it.each(['orchestration', 'workflow'])('rejects capability.%s', (key) => {
    const d = minimal();
    d.capability[key] = [];
    expect(validateSchema(d)).toEqual([
      {
        pointer: `/capability/${key}`,
        keyword: 'additionalProperties',
        message: `unknown property '${key}'`,
        params: { additionalProperty: key },
      },
    ]);
  });

  it('requires capability to consume or expose something', () => {
    const d = { naftiko: '1.0.0-alpha2', capability: {} };
    expect(validateSchema(d)).toEqual([
      expect.objectContaining({
        pointer: '/capability',
        keyword: 'required',
        message: "missing one of required properties 'exposes', 'consumes'",
      }),
    ]);
  });

  // The schema describes the canonical form; the loader reads a consumer's `type: none`, apikey `in`/`name`
  // and bearer `value` before this check (documents/tolerate.ts, test/documents/tolerated-forms.test.ts).
  it.each(['awsSigV4', 'none'])('rejects authentication type %s', (type) => {
    const d = minimal();
    consumer(d).authentication = { type };
    const issues = validateSchema(d);
    expect(issues).toHaveLength(1);
    expect(issues[0].pointer).toBe('/capability/consumes/0/authentication/type');
    expect(issues[0].message).toContain('"basic", "digest", "bearer", "apikey", "oauth2"');
  });

  it('rejects apikey written with in/name instead of key/value/placement', () => {
    const d = minimal();
    consumer(d).authentication = { type: 'apikey', in: 'header', name: 'X-Key' };
    expect(pointers(validateSchema(d)).sort()).toEqual([
      '/capability/consumes/0/authentication/in',
      '/capability/consumes/0/authentication/name',
    ]);
  });

  it('rejects oauth2 without its required endpoints', () => {
    const d = minimal();
    mcp(d).authentication = { type: 'oauth2' };
    expect(pointers(validateSchema(d)).sort()).toEqual([
      '/capability/exposes/1/authentication/authorizationServerUri',
      '/capability/exposes/1/authentication/resource',
    ]);
  });

  it.each(['port', 'namespace', 'resources'])('rejects a REST adapter without %s', (key) => {
    const d = minimal();
    delete rest(d)[key];
    expect(validateSchema(d)).toEqual([
      expect.objectContaining({
        pointer: `/capability/exposes/0/${key}`,
        keyword: 'required',
        message: `missing required property '${key}'`,
      }),
    ]);
  });

  it('rejects an MCP tool missing name and description when it does not use ref', () => {
    const d = minimal();
    delete tool(d).name;
    delete tool(d).description;
    expect(pointers(validateSchema(d)).sort()).toEqual([
      '/capability/exposes/1/tools/0/description',
      '/capability/exposes/1/tools/0/name',
    ]);
  });

  it('rejects an MCP tool with no backing (call, steps, ref or mock outputs) with one issue', () => {
    const d = minimal();
    delete tool(d).call;
    delete tool(d).with;
    delete tool(d).outputParameters;
    expect(validateSchema(d)).toEqual([
      {
        pointer: '/capability/exposes/1/tools/0',
        keyword: 'required',
        message: "missing one of required properties 'call', 'steps', 'ref', 'outputParameters'",
        params: { missingOneOf: ['call', 'steps', 'ref', 'outputParameters'] },
      },
    ]);
  });

  it('lets http MCP adapters omit port (the plan defaults it to 9090) and forbids it for stdio', () => {
    const d = minimal();
    delete mcp(d).port;
    expect(validateSchema(d)).toEqual([]);
    mcp(d).transport = 'stdio';
    expect(validateSchema(d)).toEqual([]);
    mcp(d).port = 9090;
    expect(issueAt(validateSchema(d), '/capability/exposes/1/port').message).toBe(
      "property 'port' is not allowed here",
    );
  });

  it('rejects a mapped output carrying both mapping and value', () => {
    const d = minimal();
    Object.assign(tool(d).outputParameters[0].properties.temperature, { value: '1' });
    expect(validateSchema(d)).toEqual([
      expect.objectContaining({
        pointer: '/capability/exposes/1/tools/0/outputParameters/0/properties/temperature/value',
        message: "property 'value' cannot be combined with 'mapping'",
      }),
    ]);
  });

  it('rejects a mapped scalar with neither mapping nor value, and unknown output keys', () => {
    const d = minimal();
    tool(d).outputParameters[0].properties.temperature = { type: 'number', path: '$.x' };
    const issues = validateSchema(d);
    const p = '/capability/exposes/1/tools/0/outputParameters/0/properties/temperature';
    expect(issueAt(issues, p).message).toBe("missing one of required properties 'mapping', 'value'");
    expect(issueAt(issues, `${p}/path`).message).toBe("unknown property 'path'");
  });

  it('rejects bind keys that are not UPPER_SNAKE, pointing at the key', () => {
    const d = { ...minimal(), binds: [{ namespace: 'env', keys: { apiToken: 'x' } }] };
    expect(validateSchema(d)).toEqual([
      expect.objectContaining({
        pointer: '/binds/0/keys/apiToken',
        keyword: 'propertyNames',
        message: `invalid property name 'apiToken': must match pattern "^[A-Z][A-Z0-9_]*$"`,
      }),
    ]);
  });

  it('rejects an unknown step type at the type field only', () => {
    const d = minimal();
    restOp(d).steps = [{ type: 'loop', name: 's' }];
    expect(validateSchema(d)).toEqual([
      expect.objectContaining({
        pointer: '/capability/exposes/0/resources/0/operations/0/steps/0/type',
        keyword: 'enum',
      }),
    ]);
  });

  it('reports a lookup step missing its fields individually', () => {
    const d = minimal();
    restOp(d).steps = [{ type: 'lookup', name: 's' }];
    const p = '/capability/exposes/0/resources/0/operations/0/steps/0';
    expect(pointers(validateSchema(d)).sort()).toEqual(
      ['index', 'lookupValue', 'match', 'outputParameters'].map((k) => `${p}/${k}`),
    );
  });

  it('rejects methods outside the HTTP list and malformed call targets', () => {
    const d = minimal();
    restOp(d).method = 'FETCH';
    tool(d).call = 'no-dot';
    const issues = validateSchema(d);
    expect(issueAt(issues, '/capability/exposes/0/resources/0/operations/0/method').keyword).toBe('enum');
    expect(issueAt(issues, '/capability/exposes/1/tools/0/call').keyword).toBe('pattern');
  });

  it('never leaks if/anyOf/oneOf wrapper errors and never repeats an issue', () => {
    const d = minimal();
    rest(d).type = 'http';
    consumer(d).authentication = { type: 'apikey', in: 'query' };
    delete tool(d).call;
    tool(d).outputParameters = [{ type: 'string' }];
    const issues = validateSchema(d);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.map((i) => i.keyword)).not.toContain('if');
    expect(issues.map((i) => i.keyword)).not.toContain('anyOf');
    expect(issues.map((i) => i.keyword)).not.toContain('oneOf');
    const keys = issues.map((i) => `${i.pointer}|${i.keyword}|${i.message}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

// ---------------------------------------------------------------------------------------------
// Compatibility: everything the Naftiko reference schema accepts, ours accepts (after the same
// light normalisation the loader applies).

const VERSIONS = ['1.0.0-alpha1', '1.0.0-alpha2', '1.0.0-alpha3'] as const;

/** The loader's own legacy rewrites (externalRefs, api→rest, const→value, list items), on a private copy. */
function normalise(doc: Doc, file: string): Doc {
  const copy = structuredClone(doc);
  rewriteLegacy(copy, new ProblemSink(file, () => ({ line: 1, column: 1 })));
  return copy;
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) yamlFiles(full, out);
    else if (/\.ya?ml$/.test(entry)) out.push(full);
  }
  return out;
}

function referenceValidators(): Record<string, ValidateFunction> {
  type Plugin = (ajv: Ajv2020) => Ajv2020;
  const addFormats =
    (addFormatsModule as unknown as { default?: Plugin }).default ?? (addFormatsModule as unknown as Plugin);
  const byVersion: Record<string, ValidateFunction> = {};
  for (const version of VERSIONS) {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const file = path.join(shared, `reference/naftiko/naftiko-schema-${version.slice('1.0.0-'.length)}.json`);
    byVersion[version] = ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object);
  }
  return byVersion;
}

describe.skipIf(!existsSync(shared))('schema compatibility with the Naftiko reference (needs ../shared)', () => {
  it('accepts every corpus/tutorial document the reference schema of its own version accepts', () => {
    const reference = referenceValidators();
    const files = [
      ...yamlFiles(path.join(shared, 'corpus')),
      ...yamlFiles(path.join(shared, 'reference/naftiko/tutorial')),
    ];
    let candidates = 0;
    let oursAll = 0;
    const refAccepted: string[] = [];
    const regressions: Array<{ file: string; issues: SchemaIssue[] }> = [];
    const reasons = new Map<string, number>();
    for (const file of files) {
      let doc: unknown;
      try {
        doc = parse(readFileSync(file, 'utf8'));
      } catch {
        continue;
      }
      const version = (doc as Doc | null)?.naftiko;
      if (!VERSIONS.includes(version)) continue;
      candidates++;
      const issues = validateSchema(normalise(doc as Doc, file));
      if (issues.length === 0) oursAll++;
      for (const i of issues.slice(0, 1)) {
        const reason = `${i.pointer.replace(/\/\d+(?=\/|$)/g, '/*')}  ${i.message}`;
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
      if (!reference[version](doc)) continue;
      refAccepted.push(file);
      if (issues.length > 0) regressions.push({ file: path.relative(shared, file), issues: issues.slice(0, 3) });
    }
    const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 10);
    console.log(
      `schema compatibility: ${candidates} naftiko alpha1-3 documents; reference accepts ${refAccepted.length}; ` +
        `ours accepts ${refAccepted.length - regressions.length} of those and ${oursAll} overall ` +
        `(rejects ${candidates - oursAll}).\nTop first-issue reasons for ours:\n` +
        top.map(([r, n]) => `  ${String(n).padStart(4)}  ${r}`).join('\n'),
    );
    expect(refAccepted.length).toBeGreaterThan(0);
    expect(regressions).toEqual([]);
  });
});
