import { describe, expect, it } from 'vitest';
import { CODE_CASES } from './code-cases.ts';
import { at, loadText, withCode } from './helpers.ts';

describe('every single-file problem code is located', () => {
  it.each(CODE_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { problems } = loadText(c.yaml);
    const hits = withCode(problems, c.code);
    expect(hits.length, `problems: ${problems.map((p) => `${p.code}@${p.pointer}`).join(', ')}`).toBeGreaterThan(0);
    const hit = hits[0];
    expect(hit.severity).toBe(c.severity);
    expect(hit.pointer).toBe(c.pointer);
    expect(at(hit)).toBe(c.at);
    expect(hit.file).toBe('/virtual-capgate-tests/doc.yaml');
    expect(hit.message.length).toBeGreaterThan(10);
  });

  it('the same base document without the defect has no errors', () => {
    const base = CODE_CASES.find((c) => c.code === 'BASEURI_TRAILING_SLASH')!.yaml.replace('test/', 'test');
    expect(loadText(base).problems).toEqual([]);
  });
});

describe('versions', () => {
  it.each(['1.0.0-alpha1', '"1.0.0-alpha2"', "'1.0.0-alpha3'"])('accepts naftiko: %s', (v) => {
    const { loaded } = loadText(
      `naftiko: ${v}\nconsumes:\n  - namespace: a\n    type: http\n    baseUri: https://a.test\n    resources: []\n`,
    );
    expect(loaded.version).toBe(v.replace(/["']/g, ''));
    expect(loaded.sink.problems.filter((p) => p.code.startsWith('DOC_'))).toEqual([]);
  });

  it('names the supported versions and the migration for 0.5', () => {
    const [p] = withCode(loadText('naftiko: "0.5"\ncapability: {}\n').problems, 'DOC_VERSION_UNSUPPORTED');
    expect(p.message).toContain('1.0.0-alpha1, 1.0.0-alpha2, 1.0.0-alpha3');
    expect(p.hint).toContain('binds');
  });

  it('an ikanos document gets a clear error, not schema noise', () => {
    const { problems } = loadText('ikanos: 1.0.0-beta5\ncapability:\n  exposes: {}\n');
    expect(problems.map((p) => p.code)).toEqual(['DOC_IKANOS']);
  });
});

describe('tolerance warnings are reported once per file', () => {
  it('CASE_MISMATCH and MCP_INPUTS_INFERRED appear once although three tools trigger them', () => {
    const c = CODE_CASES.find((x) => x.code === 'MCP_INPUTS_INFERRED')!;
    const tool = c.yaml.slice(c.yaml.lastIndexOf('        - name: get-thing'));
    const three =
      c.yaml +
      tool.replace('get-thing\n          desc', 'get-2\n          desc') +
      tool.replace('get-thing\n          desc', 'get-3\n          desc');
    const { problems, plan } = loadText(three);
    expect(withCode(problems, 'MCP_INPUTS_INFERRED')).toHaveLength(1);
    expect(withCode(problems, 'MCP_INPUTS_INFERRED')[0].message).toContain('once per file');
    expect(plan.capabilities).toHaveLength(1);
    // Each tool still got the inferred `id` input.
    expect(
      plan.mcp[0].adapters[0].tools.map((t) => (t.inputSchema.properties as Record<string, unknown>)?.id !== undefined),
    ).toEqual([true, true, true]);
  });

  it('a second file gets its own warning', () => {
    const c = CODE_CASES.find((x) => x.code === 'CASE_MISMATCH')!;
    const a = loadText(c.yaml, 'a.yaml');
    const b = loadText(c.yaml, 'b.yaml');
    expect(withCode(a.problems, 'CASE_MISMATCH')).toHaveLength(1);
    expect(withCode(b.problems, 'CASE_MISMATCH')).toHaveLength(1);
  });
});

describe('legacy rewrites keep the document usable', () => {
  it.each(['LEGACY_EXTERNAL_REFS', 'LEGACY_EXPOSE_API', 'LEGACY_CONST'])('%s: warning only, no error', (code) => {
    const c = CODE_CASES.find((x) => x.code === code)!;
    const { problems } = loadText(c.yaml);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('externalRefs become binds that declare {{TOKEN}}', () => {
    const c = CODE_CASES.find((x) => x.code === 'LEGACY_EXTERNAL_REFS')!;
    const { plan } = loadText(c.yaml);
    expect(plan.capabilities[0].binds.map((b) => [b.namespace, Object.keys(b.keys)])).toEqual([['env', ['TOKEN']]]);
  });

  it('const becomes a literal value served by a mock tool', () => {
    const c = CODE_CASES.find((x) => x.code === 'LEGACY_CONST')!;
    const { plan } = loadText(c.yaml);
    expect(plan.mcp[0].adapters[0].tools[0].operation.action.kind).toBe('mock');
  });
});
