/**
 * Bind files are read with the care of capability files: a FIFO or a device as `location` must not
 * block or be read without end, a huge or hostile file is refused, and none of it may leak values.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSecrets } from '../../src/secrets/resolve.ts';
import type { SecretOwner } from '../../src/secrets/types.ts';
import { DEFAULT_LOAD_LIMITS } from '../../src/documents/limits.ts';

const UNIX = process.platform !== 'win32';
let dir: string;

function owner(location: string): SecretOwner {
  return {
    file: path.join(dir, 'capability.yaml'),
    binds: [
      {
        namespace: 'vault',
        location,
        keys: { TOKEN: 'token' },
        source: { file: 'capability.yaml', pointer: '/binds/0' },
      },
    ],
    declaredVars: new Set(['TOKEN']),
  };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'capgate-binds-'));
  await writeFile(path.join(dir, 'ok.yaml'), 'token: s3cret-value\n');
  await writeFile(path.join(dir, 'ok.json'), '{"token": "s3cret-json"}');
  await writeFile(path.join(dir, 'list.yaml'), '- token\n');
  await writeFile(path.join(dir, 'broken.yaml'), 'token: [s3cret-value\n');
  let bomb = 'x0: &a0 [s3cret,s3cret,s3cret,s3cret,s3cret,s3cret,s3cret,s3cret,s3cret,s3cret]\n';
  for (let i = 1; i <= 9; i++)
    bomb += `x${i}: &a${i} [${Array(10)
      .fill(`*a${i - 1}`)
      .join(',')}]\n`;
  await writeFile(path.join(dir, 'bomb.yaml'), bomb + 'token: t\n');
  await writeFile(path.join(dir, 'big.yaml'), `token: "${'a'.repeat(DEFAULT_LOAD_LIMITS.maxFileBytes)}"\n`);
  if (UNIX) execFileSync('mkfifo', [path.join(dir, 'secrets.fifo')]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bind files', () => {
  it('reads a regular YAML or JSON file (relative and absolute locations)', async () => {
    expect((await resolveSecrets(owner('file:///./ok.yaml'), {})).values.get('TOKEN')).toBe('s3cret-value');
    const abs = await resolveSecrets(owner(`file://${path.join(dir, 'ok.json')}`), {});
    expect(abs.values.get('TOKEN')).toBe('s3cret-json');
    expect(abs.unusable?.size ?? 0).toBe(0);
  });

  it('a missing file is missing, not unusable (its values may come at deployment)', async () => {
    const r = await resolveSecrets(owner('file:///./nope.yaml'), {});
    expect(r.missing.get('TOKEN')).toBe('bind file not found: file:///./nope.yaml');
    expect(r.unusable?.has('TOKEN')).toBe(false);
  });

  it.runIf(UNIX)(
    'a FIFO is refused at once instead of blocking start-up',
    async () => {
      const r = await resolveSecrets(owner('file:///./secrets.fifo'), {});
      expect(r.values.size).toBe(0);
      expect(r.missing.get('TOKEN')).toBe(
        'bind file file:///./secrets.fifo is not a regular file (a FIFO, device or socket)',
      );
      expect(r.unusable?.has('TOKEN')).toBe(true);
    },
    5_000,
  );

  it.runIf(UNIX)(
    '/dev/zero is refused without reading it',
    async () => {
      const before = process.memoryUsage().rss;
      const r = await resolveSecrets(owner('file:///dev/zero'), {});
      expect(r.missing.get('TOKEN')).toContain('is not a regular file');
      expect(r.unusable?.has('TOKEN')).toBe(true);
      expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024);
    },
    5_000,
  );

  it.each([
    ['big.yaml', 'is larger than 4194304 bytes'],
    ['bomb.yaml', 'could not be parsed (YAML_ALIAS_EXPANSION at 5:'],
    ['broken.yaml', 'could not be parsed (YAML_SYNTAX at'],
    ['list.yaml', 'is not a map'],
  ])('%s is unusable: %s, and no value appears in the reason', async (name, why) => {
    const r = await resolveSecrets(owner(`file:///./${name}`), {});
    const reason = r.missing.get('TOKEN')!;
    expect(reason).toContain(why);
    expect(reason).not.toContain('s3cret');
    expect(r.unusable?.has('TOKEN')).toBe(true);
  });
});
