/**
 * `capgate validate` reports every hostile or broken file as invalid (exit 1) without hanging, and
 * `capgate serve` with such files next to a good one still serves the good one. The files are the
 * ones outside testing used: alias bombs, a self-referencing alias, deep nesting, 50,000 anchors,
 * an oversized file, FIFOs and devices as capability, import and bind locations, and a document
 * whose planning used to crash with a JavaScript TypeError shown to the user.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runValidate } from '../../src/cli/validate.ts';
import { createLogger } from '../../src/cli/logger.ts';
import { startServe, type Started } from '../../src/cli/serve.ts';
import { DEFAULT_LOAD_LIMITS } from '../../src/documents/limits.ts';
import { startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.ts';

const UNIX = process.platform !== 'win32';
const HEAD = 'naftiko: 1.0.0-alpha2\ninfo: {label: L, description: d}\n';
const TAIL = 'capability: {consumes: [], exposes: []}\n';

function bomb(name: string): string {
  let text = `${HEAD}x-a: &${name}0 [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]\n`;
  for (let i = 1; i <= 9; i++)
    text += `x-l${i}: &${name}${i} [${Array(10)
      .fill(`*${name}${i - 1}`)
      .join(',')}]\n`;
  return text + TAIL;
}

const GOOD = `naftiko: '1.0.0-alpha3'
info: {label: Good, description: A good capability.}
capability:
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
  exposes:
    - type: rest
      port: 8080
      namespace: pub
      resources:
        - path: /things/{id}
          operations:
            - method: GET
              call: things.get-thing
              inputParameters:
                - {name: id, in: path, type: string, description: The id.}
              with: {id: '{{id}}'}
`;

/** A valid capability whose bearer token comes from a bind file at `location`. */
function withBind(location: string, ns: string): string {
  return `naftiko: '1.0.0-alpha3'
info: {label: Bound, description: Reads its token from a bind file.}
binds:
  - namespace: vault
    location: ${location}
    keys: {TOKEN: token}
capability:
  consumes:
    - namespace: ${ns}
      type: http
      baseUri: https://api.example.test
      authentication: {type: bearer, token: '{{TOKEN}}'}
      resources:
        - name: thing
          path: /things
          operations:
            - name: list
              method: GET
`;
}

const IMPORTS_FIFO = `naftiko: '1.0.0-alpha3'
info: {label: Importer, description: Imports from a FIFO.}
capability:
  consumes:
    - location: ./lib-fifo.yaml
      import: things
`;

/** file name → [content or special kind, the problem code validate must print]. */
const BAD: Record<string, [string | 'fifo' | 'dev-zero', string]> = {
  'bomb-accented.yaml': [bomb('é'), 'YAML_ALIAS_EXPANSION'],
  'bomb-ascii.yaml': [bomb('a'), 'YAML_ALIAS_EXPANSION'],
  'self-alias.yaml': [`${HEAD}x-self: &s [*s]\n${TAIL}`, 'YAML_ALIAS_CYCLE'],
  'deep.yaml': [`${HEAD}x: ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}\n${TAIL}`, 'YAML_TOO_DEEP'],
  'anchors.yaml': [
    HEAD + Array.from({ length: 50_000 }, (_, i) => `x-${i}: &a${i} v\n`).join('') + TAIL,
    'YAML_TOO_MANY_ANCHORS',
  ],
  'big.yaml': [`${HEAD}x: "${'a'.repeat(DEFAULT_LOAD_LIMITS.maxFileBytes)}"\n${TAIL}`, 'FILE_TOO_LARGE'],
  'plan-crash.yaml': [`${HEAD}binds: {a: 1}\n${TAIL}`, 'SCHEMA'],
  ...(UNIX
    ? {
        'fifo.yaml': ['fifo', 'FILE_NOT_REGULAR'],
        'zero.yaml': ['dev-zero', 'FILE_NOT_REGULAR'],
        'bind-fifo.yaml': [withBind('file:///./bind.fifo', 'fifo-api'), 'BIND_FILE_INVALID'],
        'bind-zero.yaml': [withBind('file:///dev/zero', 'zero-api'), 'BIND_FILE_INVALID'],
        'import-fifo.yaml': [IMPORTS_FIFO, 'IMPORT_TARGET_INVALID'],
      }
    : {}),
};

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'capgate-hostile-'));
  await writeFile(path.join(dir, 'good.yaml'), GOOD);
  for (const [name, [content]] of Object.entries(BAD)) {
    const file = path.join(dir, name);
    if (content === 'fifo') execFileSync('mkfifo', [file]);
    else if (content === 'dev-zero') await symlink('/dev/zero', file);
    else await writeFile(file, content);
  }
  if (UNIX) {
    execFileSync('mkfifo', [path.join(dir, 'bind.fifo')]);
    execFileSync('mkfifo', [path.join(dir, 'lib-fifo.yaml')]);
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function validate(file: string): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runValidate([file], { json: false, quiet: false, write: (l) => lines.push(l) });
  return { code, lines };
}

describe('capgate validate on hostile and broken files', () => {
  it.each(Object.entries(BAD).map(([name, [, code]]) => [name, code]))(
    '%s is invalid (%s), exit 1, within seconds',
    async (name, code) => {
      const started = performance.now();
      const { code: exit, lines } = await validate(path.join(dir, name));
      expect(exit).toBe(1);
      expect(lines.at(-1)).toBe('1 files: 0 valid, 1 invalid, 0 warnings');
      const errors = lines.filter((l) => l.includes(' error '));
      expect(errors.some((l) => l.includes(` error ${code} `))).toBe(true);
      // Problems speak the user's language: no JavaScript internals.
      expect(lines.join('\n')).not.toMatch(/TypeError|RangeError|is not a function|Cannot read properties|stack/);
      expect(performance.now() - started).toBeLessThan(10_000);
    },
    20_000,
  );

  it('the good file alone is valid', async () => {
    const { code, lines } = await validate(path.join(dir, 'good.yaml'));
    expect(lines.filter((l) => l.includes(' error '))).toEqual([]);
    expect(code).toBe(0);
  });
});

describe('capgate serve with hostile files next to a good one', () => {
  let upstream: MockUpstream;
  let started: Started | number;

  beforeAll(async () => {
    upstream = await startMockUpstream({
      routes: [{ method: 'GET', path: '/things/:id', reply: (req) => ({ status: 200, json: { path: req.path } }) }],
    });
  });

  afterAll(async () => {
    if (typeof started === 'object') await started.stop();
    await upstream.close();
  });

  it('reports every bad file and serves the good one', async () => {
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      started = await startServe(
        {
          paths: [dir],
          upstreams: [`things=${upstream.url}`],
          restPort: 0,
          mcpPort: 0,
          host: '127.0.0.1',
          partial: false,
          stdio: false,
        },
        {},
        // Log lines through process.stderr (not straight to its descriptor), where this test reads them.
        { log: createLogger({ format: 'json', destination: process.stderr }) },
      );
    } finally {
      process.stderr.write = write;
    }
    expect(typeof started).toBe('object');
    const s = started as Started;
    const invalid = [...s.plan.invalidFiles].map((f) => path.basename(f)).sort();
    const expectInvalid = Object.entries(BAD)
      .filter(([, [, code]]) => code !== 'BIND_FILE_INVALID')
      .map(([name]) => name);
    expect(invalid).toEqual(expect.arrayContaining([...expectInvalid, ...(UNIX ? ['lib-fifo.yaml'] : [])]));
    expect(invalid).not.toContain('good.yaml');
    const log = stderr.join('');
    for (const [, [, code]] of Object.entries(BAD)) expect(log).toContain(` error ${code} `);
    const rest = s.urls.find((u) => !u.endsWith('/mcp'))!;
    const res = await fetch(`${rest}/things/42`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ path: '/things/42' });
  }, 30_000);
});
