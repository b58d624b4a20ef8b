import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runValidate } from '../../src/cli/validate.ts';
import { main } from '../../src/cli/main.ts';

const dir = path.resolve(import.meta.dirname, '../fixtures/capabilities/cli');
const valid = path.join(dir, 'valid-env-bind.yaml');
const invalid = path.join(dir, 'invalid-unknown-operation.yaml');
const notNaftiko = path.resolve(import.meta.dirname, '../fixtures/capabilities/not-naftiko/compose.yaml');
const shown = (abs: string) => path.relative(process.cwd(), abs);

async function run(
  paths: string[],
  opts: { json?: boolean; quiet?: boolean; each?: boolean; summary?: boolean; progress?: (s: string) => void } = {},
) {
  const lines: string[] = [];
  const code = await runValidate(paths, {
    json: false,
    quiet: false,
    ...opts,
    env: {},
    write: (l) => lines.push(l),
  });
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
  it('prints one JSON object per file, then the summary line', async () => {
    const { code, lines } = await run([dir], { json: true });
    expect(code).toBe(1);
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[2])).toHaveProperty('summary');
    const objs = lines.slice(0, 2).map(
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

describe('capgate validate counting', () => {
  it('a file that is not a Naftiko document is counted as skipped, not as valid', async () => {
    const { code, lines } = await run([valid, notNaftiko]);
    expect(code).toBe(0);
    expect(lines.at(-1)).toBe('2 files: 1 valid, 0 invalid, 1 skipped (not Naftiko documents), 1 warnings');
  });

  it('a missing path is counted in the summary line', async () => {
    const { lines } = await run([valid, 'no/such/file.yaml']);
    expect(lines.at(-1)).toBe('1 files: 1 valid, 0 invalid, 1 missing, 1 warnings');
  });

  it('--summary prints only the counts: per status, per severity and per code', async () => {
    const { code, lines } = await run([dir, notNaftiko, 'no/such/file.yaml'], { summary: true });
    expect(code).toBe(1);
    expect(lines).toEqual([
      '3 files: 1 valid, 1 invalid, 1 skipped (not Naftiko documents), 1 missing, 2 warnings',
      'error     2',
      '  CALL_UNKNOWN_OPERATION  1',
      '  FILE_NOT_FOUND          1',
      'warning   2',
      '  BASEURI_TRAILING_SLASH  1',
      '  BIND_MISSING_VALUE      1',
      'info      1',
      '  NOT_NAFTIKO             1',
    ]);
  });

  it('reports progress (reading, then checking) through its progress hook, then clears it', async () => {
    const seen: string[] = [];
    await run([dir, notNaftiko], { progress: (s) => seen.push(s) });
    expect(seen[0]).toBe('validate: reading 0/3 files');
    expect(seen).toContain('validate: reading 3/3 files');
    expect(seen).toContain('validate: checking 3 files');
    expect(seen.at(-1)).toBe('');
  });
});

describe('capgate validate --json lines', () => {
  type Line = Record<string, any>;
  const parse = (lines: string[]) => lines.map((l) => JSON.parse(l) as Line);

  it('a skipped file says so; info problems are not counted as warnings', async () => {
    const objs = parse((await run([notNaftiko], { json: true })).lines);
    expect(objs[0]).toMatchObject({
      file: shown(notNaftiko),
      status: 'skipped',
      valid: false,
      errors: 0,
      warnings: 0,
      info: 1,
    });
  });

  it('a missing path is a JSON line with a FILE_NOT_FOUND problem', async () => {
    const { code, lines } = await run([valid, 'no/such/file.yaml'], { json: true });
    expect(code).toBe(1);
    const missing = parse(lines).find((o) => o.file === 'no/such/file.yaml')!;
    expect(missing).toEqual({
      file: 'no/such/file.yaml',
      status: 'missing',
      valid: false,
      errors: 1,
      warnings: 0,
      info: 0,
      problems: [
        {
          code: 'FILE_NOT_FOUND',
          severity: 'error',
          file: 'no/such/file.yaml',
          line: 0,
          column: 0,
          pointer: '',
          message: 'no such file or directory',
        },
      ],
    });
  });

  it('ends with one summary line: counts per status, per severity and per code', async () => {
    const objs = parse((await run([dir, notNaftiko, 'no/such/file.yaml'], { json: true })).lines);
    expect(objs.slice(0, -1).every((o) => typeof o.file === 'string')).toBe(true);
    expect(objs.at(-1)).toEqual({
      summary: {
        files: 3,
        valid: 1,
        invalid: 1,
        skipped: 1,
        missing: 1,
        errors: 2,
        warnings: 2,
        info: 1,
        codes: {
          error: { CALL_UNKNOWN_OPERATION: 1, FILE_NOT_FOUND: 1 },
          warning: { BASEURI_TRAILING_SLASH: 1, BIND_MISSING_VALUE: 1 },
          info: { NOT_NAFTIKO: 1 },
        },
      },
    });
  });

  it('--json --summary prints the summary line only', async () => {
    const { lines } = await run([dir], { json: true, summary: true });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ summary: { files: 2, valid: 1, invalid: 1 } });
  });
});

describe('capgate CLI usage errors (in process)', () => {
  it('exit 2 without paths, with an unknown option, or an unknown command; the error and usage on stderr', async () => {
    const err: string[] = [];
    const io = { stdout: () => undefined, stderr: (s: string) => err.push(s), env: {}, stderrIsTTY: false };
    expect(await main(['validate'], io)).toBe(2);
    expect(await main(['validate', '--frobnicate', valid], io)).toBe(2);
    expect(await main(['frobnicate'], io)).toBe(2);
    const text = err.join('');
    expect(text).toContain("error: missing required argument 'paths'");
    expect(text).toContain("error: unknown option '--frobnicate'");
    expect(text).toContain("error: unknown command 'frobnicate'");
    expect(text).toContain('usage: capgate validate [options] <paths...>');
  });

  it('main validate returns 0 for a valid file and prints to its stdout', async () => {
    const out: string[] = [];
    const io = { stdout: (s: string) => out.push(s), stderr: () => undefined, env: {}, stderrIsTTY: false };
    expect(await main(['validate', '--quiet', valid], io)).toBe(0);
    expect(out.join('')).toContain('1 files: 1 valid, 0 invalid');
  });
});
