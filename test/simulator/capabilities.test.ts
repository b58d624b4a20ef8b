import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats ships CommonJS; under ESM the callable may sit on `default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  a: Ajv2020,
) => void;

const root = new URL('../../', import.meta.url);
const read = (rel: string) => readFileSync(new URL(rel, root), 'utf8');

describe.each(['amba', 'chainloop', 'bctrl'])('capabilities/%s-operations.yaml', (vendor) => {
  const doc = parse(read(`capabilities/${vendor}-operations.yaml`), { uniqueKeys: true });

  it('validates against the capgate capability schema', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(read('schema/capability.schema.json')));
    const ok = validate(doc);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 1)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('keeps the production base URL, bearer auth from the bind, and vendor-prefixed adapters', () => {
    const consumes = doc.capability.consumes;
    expect(consumes).toHaveLength(1);
    expect(consumes[0].baseUri).toMatch(/^https:\/\/api\./);
    const envVar = `${vendor.toUpperCase()}_API_TOKEN`;
    expect(consumes[0].authentication).toEqual({ type: 'bearer', token: `{{${envVar}}}` });
    expect(doc.binds[0].keys).toEqual({ [envVar]: envVar });
    const [rest, mcp] = doc.capability.exposes;
    expect(rest).toMatchObject({ type: 'rest', port: 8080, namespace: `${vendor}-operations-rest` });
    for (const r of rest.resources) expect(r.path.startsWith(`/${vendor}/`)).toBe(true);
    expect(mcp).toMatchObject({ type: 'mcp', port: 9090, namespace: `${vendor}-operations-mcp` });
  });

  it('declares every consumed path placeholder as an in: path input', () => {
    for (const res of doc.capability.consumes[0].resources) {
      const placeholders = [...res.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const op of res.operations) {
        const pathInputs = op.inputParameters
          .filter((p: { in: string }) => p.in === 'path')
          .map((p: { name: string }) => p.name);
        expect(pathInputs.sort()).toEqual([...placeholders].sort());
      }
    }
  });

  it('offers get and wait tools whose wait config lists failed states among terminal ones', () => {
    const tools = doc.capability.exposes[1].tools;
    const names = tools.map((t: { name: string }) => t.name);
    expect(names).toEqual(expect.arrayContaining([`${vendor}-get-operation`, `${vendor}-wait-for-operation`]));
    const wait = tools.find((t: { name: string }) => t.name === `${vendor}-wait-for-operation`);
    const cfg = wait['x-capgate-wait'];
    for (const f of cfg.failed) expect(cfg.terminal).toContain(f);
    expect(wait.inputParameters).toContainEqual(
      expect.objectContaining({ name: 'maxWaitSeconds', type: 'number', required: false }),
    );
    for (const t of tools) {
      // A tool that starts work (its task reads the operation id from its own response) is not read-only.
      const starts = String(t['x-capgate-task']?.operationId ?? '').startsWith('$');
      expect(t.hints, t.name).toEqual({ readOnly: !starts, destructive: false, idempotent: !starts, openWorld: true });
      for (const key of Object.keys(t.with ?? {})) expect(t.with[key]).toBe(`tools.${key}`);
    }
  });
});

describe.each(['ampersand-operation', 'amba-operations', 'chainloop-operations', 'bctrl-operations'])(
  'capabilities/%s.yaml output shapes',
  (file) => {
    const doc = parse(read(`capabilities/${file}.yaml`), { uniqueKeys: true });
    const [rest, mcp] = doc.capability.exposes;

    it('REST operations pass the vendor body through unchanged (mapping: $.), as the seed capability does', () => {
      const ops = rest.resources.flatMap((r: { operations: unknown[] }) => r.operations);
      expect(ops.length).toBeGreaterThan(0);
      for (const op of ops) {
        expect(op.outputParameters, op.name).toHaveLength(1);
        expect(op.outputParameters[0], op.name).toEqual({
          type: expect.stringMatching(/^(object|array)$/),
          mapping: '$.',
        });
      }
    });

    it('MCP tools declare a typed object output (outputSchema + structuredContent)', () => {
      for (const tool of mcp.tools) {
        expect(tool.outputParameters, tool.name).toHaveLength(1);
        expect(tool.outputParameters[0], tool.name).toMatchObject({ type: 'object', properties: expect.any(Object) });
      }
    });
  },
);
