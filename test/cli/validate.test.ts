import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runValidate } from '../../src/cli/validate.ts';
import { main } from '../../src/cli/main.ts';

const dir = path.resolve(import.meta.dirname, '../fixtures/capabilities/cli');
const valid = path.join(dir, 'valid-env-bind.yaml');
const invalid = path.join(dir, 'invalid-unknown-operation.yaml');
const shown = (abs: string) => path.relative(process.cwd(), abs);

async function run(paths: string[], opts: { json?: boolean; quiet?: boolean; each?: boolean } = {}) {
  const lines: string[] = [];
  const code = await runValidate(paths, { json: false, quiet: false, ...opts, write: (l) => lines.push(l) });
  return { code, lines };
}

describe('capgate validate (text)', () => {
  it('a valid file: exit 0, the missing env bind is a located warning, then the summary', async () => {
    const { code, lines } = await run([valid]);
    expect(code).toBe(0);
    expect(lines).toHaveLength(2);
    expect(lines[0].split('\n')[0]).toBe(
      `${shown(valid)}:9:7: warning BIND_MISSING_VALUE bind variable CAPGATE_TEST_TOKEN: environment variable CAPGATE_TEST_TOKEN is not set [/binds/0/keys/CAPGATE_TEST_TOKEN]`,
    );
    expect(lines[0].split('\n')[1]).toMatch(/^ {4}hint: set it before/);
    expect(lines[1]).toBe('1 files: 1 valid, 0 invalid, 1 warnings');
  });

  it('an invalid file: compiler-style error line with code and pointer, exit 1', async () => {
    const { code, lines } = await run([dir]);
    expect(code).toBe(1);
    const err = lines.find((l) => l.includes(' error '))!;
    expect(err).toBe(
      `${shown(invalid)}:24:11: error CALL_UNKNOWN_OPERATION call 'things.nope': namespace 'things' has no operation 'nope' [/capability/exposes/0/tools/0/call]\n    hint: namespace 'things' has operations: list-things`,
    );
    expect(lines).toContain(
      `${shown(invalid)}:10:7: warning BASEURI_TRAILING_SLASH baseUri ends with '/'; capgate strips it (resource paths start with '/') [/capability/consumes/0/baseUri]`,
    );
    expect(lines.at(-1)).toBe('2 files: 1 valid, 1 invalid, 2 warnings');
  });

  it('--quiet prints errors and the summary only', async () => {
    const { lines } = await run([dir], { quiet: true });
    expect(lines.filter((l) => l.includes(' warning '))).toEqual([]);
    expect(lines.filter((l) => l.includes(' error '))).toHaveLength(1);
  });

  it('a missing path is an error and exit 1', async () => {
    const { code, lines } = await run([valid, 'no/such/file.yaml']);
    expect(code).toBe(1);
    expect(lines).toContain('no/such/file.yaml: error FILE_NOT_FOUND no such file or directory');
  });
});

describe('capgate validate --json', () => {
  it('prints one JSON object per file and nothing else', async () => {
    const { code, lines } = await run([dir], { json: true });
    expect(code).toBe(1);
    const objs = lines.map(
      (l) =>
        JSON.parse(l) as {
          file: string;
          valid: boolean;
          errors: number;
          warnings: number;
          problems: Array<Record<string, unknown>>;
        },
    );
    expect(objs.map((o) => [o.file, o.valid, o.errors, o.warnings])).toEqual([
      [shown(invalid), false, 1, 1],
      [shown(valid), true, 0, 1],
    ]);
    const err = objs[0].problems.find((p) => p.severity === 'error')!;
    expect(err).toMatchObject({
      code: 'CALL_UNKNOWN_OPERATION',
      line: 24,
      column: 11,
      pointer: '/capability/exposes/0/tools/0/call',
      file: shown(invalid),
    });
    expect(typeof err.hint).toBe('string');
  });
});

describe('capgate CLI usage errors', () => {
  it('exit 2 without paths, with an unknown option, or an unknown command; usage on stderr', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['validate'])).toBe(2);
      expect(await main(['validate', '--frobnicate', valid])).toBe(2);
      expect(await main(['frobnicate'])).toBe(2);
      const text = err.mock.calls.map((c) => String(c[0])).join('');
      expect(text).toContain('unknown option --frobnicate');
      expect(text).toContain("unknown command 'frobnicate'");
      expect(text).toContain('usage: capgate');
    } finally {
      err.mockRestore();
    }
  });

  it('main validate returns 0 for a valid file', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['validate', '--quiet', valid])).toBe(0);
      expect(out.mock.calls.map((c) => String(c[0])).join('')).toContain('1 files: 1 valid, 0 invalid');
    } finally {
      out.mockRestore();
    }
  });
});
