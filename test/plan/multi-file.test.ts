import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCapabilities } from '../../src/documents/index.ts';
import { buildPlan } from '../../src/plan/build.ts';
import { missingSecretProblems } from '../../src/secrets/report.ts';
import { at, memoryFs, vpath, withCode } from '../documents/helpers.ts';

const LIB = `naftiko: "1.0.0-alpha3"
consumes:
  - namespace: things
    type: http
    baseUri: https://api.example.test
    resources:
      - name: thing
        path: /things/{id}
        operations:
          - name: get-thing
            method: GET
`;

/** A capability importing `things` from `location` (as `alias` when given), with one REST and one MCP element. */
function importer(
  location: string,
  opts: {
    importName?: string;
    alias?: string;
    restPort?: number;
    mcpPort?: number;
    restPath?: string;
    tool?: string;
  } = {},
): string {
  const ns = opts.alias ?? opts.importName ?? 'things';
  return `naftiko: "1.0.0-alpha3"
info:
  label: Importer
  description: Imports things.
capability:
  consumes:
    - location: ${location}
      import: ${opts.importName ?? 'things'}${opts.alias ? `\n      as: ${opts.alias}` : ''}
  exposes:
    - type: rest
      port: ${opts.restPort ?? 8080}
      namespace: pub
      resources:
        - path: ${opts.restPath ?? '/things/{id}'}
          operations:
            - method: GET
              call: ${ns}.get-thing
              inputParameters:
                - name: id
                  in: path
                  type: string
                  description: Id.
    - type: mcp
      port: ${opts.mcpPort ?? 9090}
      namespace: tools
      tools:
        - name: ${opts.tool ?? 'get-thing'}
          description: Get a thing.
          call: ${ns}.get-thing
          inputParameters:
            - name: id
              type: string
              description: Id.
`;
}

async function load(files: Record<string, string>, paths = [vpath('')]) {
  const fs = memoryFs(Object.fromEntries(Object.entries(files).map(([k, v]) => [vpath(k), v])));
  const { documents, missing } = await loadCapabilities(paths, fs);
  return { documents, missing, fs };
}

const problemsOf = (docs: Awaited<ReturnType<typeof load>>['documents'], name: string) =>
  docs.find((d) => d.path === vpath(name))!.sink.problems;

describe('imports', () => {
  it('resolves an import relative to the importing file, once, with `as` renaming the namespace', async () => {
    const { documents, fs } = await load(
      { 'shared/lib.yaml': LIB, 'app/cap.yaml': importer('../shared/lib.yaml', { alias: 'stuff' }) },
      [vpath('app')],
    );
    expect(documents.map((d) => d.path)).toEqual([vpath('app/cap.yaml')]);
    expect(documents[0].sink.problems).toEqual([]);
    const plan = buildPlan(documents);
    expect(plan.upstreams.map((u) => u.namespace)).toEqual(['stuff']);
    expect(plan.rest[0].routes[0].operation.action.kind).toBe('call');
    expect(fs.reads.filter((r) => r === vpath('shared/lib.yaml'))).toHaveLength(1);
  });

  it('a library loaded both directly and through an import is parsed once', async () => {
    const { documents, fs } = await load({
      'lib.yaml': LIB,
      'a.yaml': importer('./lib.yaml'),
      'b.yaml': importer('lib.yaml', { restPort: 8081, mcpPort: 9091 }),
    });
    expect(documents).toHaveLength(3);
    expect(fs.reads.filter((r) => r === vpath('lib.yaml'))).toHaveLength(1);
    expect(buildPlan(documents).problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('IMPORT_NOT_FOUND points at the location', async () => {
    const { documents } = await load({ 'cap.yaml': importer('./missing.yaml') });
    const [p] = withCode(problemsOf(documents, 'cap.yaml'), 'IMPORT_NOT_FOUND');
    expect(p).toMatchObject({ severity: 'error', pointer: '/capability/consumes/0/location' });
    expect(at(p)).toBe('7:7');
    // The call through the unresolved import is then reported as well (the element is dropped).
    const plan = buildPlan(documents, { partial: true });
    expect(plan.rest.flatMap((s) => s.routes)).toEqual([]);
  });

  it('IMPORT_NAMESPACE_MISSING points at `import` and lists what exists', async () => {
    const { documents } = await load({ 'lib.yaml': LIB, 'cap.yaml': importer('./lib.yaml', { importName: 'nope' }) });
    const [p] = withCode(problemsOf(documents, 'cap.yaml'), 'IMPORT_NAMESPACE_MISSING');
    expect(p).toMatchObject({
      severity: 'error',
      pointer: '/capability/consumes/0/import',
      hint: 'available namespaces: things',
    });
    expect(at(p)).toBe('8:7');
  });

  it('IMPORT_CYCLE: two files importing each other', async () => {
    const a = importer('./b.yaml').replace(
      'capability:\n  consumes:\n',
      'capability:\n  consumes:\n    - namespace: own-a\n      type: http\n      baseUri: https://a.test\n      resources: []\n',
    );
    const b = `naftiko: "1.0.0-alpha3"\nconsumes:\n  - location: ./a.yaml\n    import: own-a\n  - namespace: things\n    type: http\n    baseUri: https://b.test\n    resources: []\n`;
    const { documents } = await load({ 'a.yaml': a, 'b.yaml': b });
    const all = documents.flatMap((d) => d.sink.problems);
    const cycle = withCode(all, 'IMPORT_CYCLE');
    expect(cycle).toHaveLength(1);
    expect(cycle[0].message).toContain('a.yaml → b.yaml → a.yaml');
    expect(cycle[0]).toMatchObject({ file: vpath('b.yaml'), pointer: '/consumes/0/location' });
    expect(at(cycle[0])).toBe('3:5');
  });

  it('IMPORT_TARGET_INVALID and IMPORT_SCHEME', async () => {
    const { documents } = await load({
      'broken.yaml': 'naftiko: [\n',
      'cap.yaml': importer('./broken.yaml'),
      'vault.yaml': importer('vault://secret/lib'),
    });
    expect(withCode(problemsOf(documents, 'cap.yaml'), 'IMPORT_TARGET_INVALID')[0]).toMatchObject({
      pointer: '/capability/consumes/0/location',
      line: 7,
    });
    expect(withCode(problemsOf(documents, 'vault.yaml'), 'IMPORT_SCHEME')[0]).toMatchObject({
      pointer: '/capability/consumes/0/location',
      line: 7,
      column: 7,
    });
  });

  it('FILE_UNREADABLE for a listed file that cannot be read, missing paths are reported back', async () => {
    const fs = memoryFs({ [vpath('a.yaml')]: LIB });
    const broken = {
      ...fs,
      readFile: async () => Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' })),
    };
    const { documents, missing } = await loadCapabilities([vpath('a.yaml'), vpath('nope.yaml')], broken);
    expect(missing).toEqual([vpath('nope.yaml')]);
    expect(documents[0].sink.problems[0]).toMatchObject({
      code: 'FILE_UNREADABLE',
      line: 1,
      column: 1,
      message: 'cannot read file: EACCES',
    });
  });
});

describe('across documents', () => {
  it('PORT_CONFLICT: a REST and an MCP adapter on one port, naming the first file', async () => {
    const { documents } = await load({
      'lib.yaml': LIB,
      'a.yaml': importer('./lib.yaml'),
      'b.yaml': importer('./lib.yaml', { restPort: 9090, mcpPort: 9191 }),
    });
    const plan = buildPlan(documents, { partial: true });
    const [p] = withCode(plan.problems, 'PORT_CONFLICT');
    expect(p).toMatchObject({ severity: 'error', file: vpath('b.yaml'), pointer: '/capability/exposes/0/port' });
    expect(at(p)).toBe('11:7');
    expect(p.message).toContain(vpath('a.yaml'));
    expect(plan.rest.map((s) => s.port)).toEqual([8080]);
    expect(plan.mcp.map((s) => s.port).sort()).toEqual([9090, 9191]);
  });

  it('same adapter type on one port merges; ROUTE_DUPLICATE and TOOL_DUPLICATE name both files', async () => {
    const { documents } = await load({
      'lib.yaml': LIB,
      'a.yaml': importer('./lib.yaml'),
      'b.yaml': importer('./lib.yaml'),
    });
    const plan = buildPlan(documents, { partial: true });
    const [route] = withCode(plan.problems, 'ROUTE_DUPLICATE');
    expect(route).toMatchObject({ file: vpath('b.yaml'), pointer: '/capability/exposes/0/resources/0/operations/0' });
    expect(at(route)).toBe('16:15');
    expect(route.message).toContain(vpath('a.yaml'));
    const [tool] = withCode(plan.problems, 'TOOL_DUPLICATE');
    expect(tool).toMatchObject({ file: vpath('b.yaml'), pointer: '/capability/exposes/1/tools/0' });
    expect(at(tool)).toBe('27:11');
    expect(tool.message).toContain(vpath('a.yaml'));
    expect(plan.rest[0].adapters).toHaveLength(2);
    expect(plan.rest[0].routes).toHaveLength(1);
    expect(plan.mcp[0].adapters.flatMap((a) => a.tools.map((t) => t.name))).toEqual(['get-thing']);
  });

  it('distinct routes and tools on a shared port are all served', async () => {
    const { documents } = await load({
      'lib.yaml': LIB,
      'a.yaml': importer('./lib.yaml'),
      'b.yaml': importer('./lib.yaml', { restPath: '/b/{id}', tool: 'get-b' }),
    });
    const plan = buildPlan(documents);
    expect(plan.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(plan.rest[0].routes.map((r) => r.specPath)).toEqual(['/things/{id}', '/b/{id}']);
    expect(plan.mcp[0].adapters.flatMap((a) => a.tools.map((t) => t.name))).toEqual(['get-thing', 'get-b']);
  });

  it('isolated (validate --each) skips cross-file checks', async () => {
    const { documents } = await load({
      'lib.yaml': LIB,
      'a.yaml': importer('./lib.yaml'),
      'b.yaml': importer('./lib.yaml'),
    });
    const plan = buildPlan(documents, { partial: true, isolated: true });
    expect(plan.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(plan.capabilities).toHaveLength(2);
  });
});

describe('blast radius', () => {
  const twoTools = importer('./lib.yaml').replace(
    '          call: things.get-thing\n          inputParameters:\n            - name: id\n              type: string\n              description: Id.\n',
    '          call: things.get-thing\n          inputParameters:\n            - name: id\n              type: string\n              description: Id.\n        - name: broken\n          description: Broken.\n          call: things.nope\n',
  );

  it('partial mode drops only the broken tool', async () => {
    const { documents } = await load({ 'lib.yaml': LIB, 'cap.yaml': twoTools });
    const plan = buildPlan(documents, { partial: true });
    expect(withCode(plan.problems, 'CALL_UNKNOWN_OPERATION')).toHaveLength(1);
    expect(plan.invalidFiles.has(vpath('cap.yaml'))).toBe(true);
    expect(plan.mcp[0].adapters[0].tools.map((t) => t.name)).toEqual(['get-thing']);
    expect(plan.rest[0].routes).toHaveLength(1);
  });

  it('by default a capability with errors is not served at all, other files are', async () => {
    const { documents } = await load({
      'lib.yaml': LIB,
      'cap.yaml': twoTools,
      'ok.yaml': importer('./lib.yaml', { restPort: 8081, mcpPort: 9091 }),
    });
    const plan = buildPlan(documents);
    expect(plan.capabilities.map((c) => c.file)).toEqual([vpath('ok.yaml')]);
    expect(plan.rest.map((s) => s.port)).toEqual([8081]);
    expect(plan.mcp.map((s) => s.port)).toEqual([9091]);
  });
});

describe('binds', () => {
  it('file:///./ binds resolve next to the capability file; a missing key is a located warning', async () => {
    const dir = path.resolve(import.meta.dirname, '../fixtures/capabilities/binds');
    const { documents } = await loadCapabilities([path.join(dir, 'valid-binds-file.yaml')]);
    const plan = buildPlan(documents);
    expect(plan.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const problems = await missingSecretProblems(plan.capabilities, {}, 'warning');
    expect(problems.map((p) => [p.code, p.severity, p.pointer, at(p)])).toEqual([
      ['BIND_MISSING_VALUE', 'warning', '/binds/0/keys/OTHER', '11:7'],
    ]);
    expect(problems[0].message).toContain("key 'other' not found");
    expect(problems[0].message).not.toContain('s3cr3t');
  });

  it('environment binds: a missing variable is reported at its key', async () => {
    const dir = path.resolve(import.meta.dirname, '../fixtures/capabilities/binds');
    const { documents } = await loadCapabilities([path.join(dir, 'valid-binds-env.yaml')]);
    const plan = buildPlan(documents);
    const missing = await missingSecretProblems(plan.capabilities, {}, 'error');
    expect(missing.map((p) => [p.code, p.severity, p.pointer, at(p)])).toEqual([
      ['BIND_MISSING_VALUE', 'error', '/binds/0/keys/CAPGATE_TEST_TOKEN', '9:7'],
    ]);
    expect(await missingSecretProblems(plan.capabilities, { CAPGATE_TEST_TOKEN: 'x' }, 'error')).toEqual([]);
  });
});
