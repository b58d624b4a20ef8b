/**
 * Static MCP resources (`location: file:///…`). A location naming a directory serves every file in
 * it under `<uri>/<path>`; a location naming one file serves that file at the declared `uri` (it
 * used to validate and then vanish from `resources/list`). Files are read only when they are
 * regular files, with a size cap.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFileResources, readFileResource } from '../../../src/expose/mcp/file-resources.ts';
import { GatewayError } from '../../../src/common/errors.ts';
import { startGateway, type StartedGateway } from '../../helpers/start-gateway.ts';
import { connectMcp, type McpClient } from '../../helpers/mcp-client.ts';

const UNIX = process.platform !== 'win32';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'capgate-res-'));
  await mkdir(path.join(dir, 'docs/sub'), { recursive: true });
  await writeFile(path.join(dir, 'docs/intro.md'), '# Intro');
  await writeFile(path.join(dir, 'docs/sub/more.txt'), 'more');
  await writeFile(path.join(dir, 'guide.md'), '# Guide\n');
  if (UNIX) {
    execFileSync('mkfifo', [path.join(dir, 'pipe.md')]);
    await symlink('/dev/zero', path.join(dir, 'zero.md'));
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function refusal(p: Promise<unknown>): Promise<GatewayError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GatewayError);
  return err as GatewayError;
}

describe('file-backed resources (unit)', () => {
  it('a directory lists every file under <uri>/<path>', async () => {
    expect(await listFileResources(path.join(dir, 'docs'), 'docs://all')).toEqual([
      { uri: 'docs://all/intro.md', mimeType: 'text/markdown' },
      { uri: 'docs://all/sub/more.txt', mimeType: 'text/plain' },
    ]);
    expect(await readFileResource(path.join(dir, 'docs'), 'docs://all', 'docs://all/sub/more.txt')).toEqual({
      text: 'more',
      mimeType: 'text/plain',
    });
  });

  it('a single file is listed at the declared uri and read from it', async () => {
    const file = path.join(dir, 'guide.md');
    expect(await listFileResources(file, 'docs://guide')).toEqual([{ uri: 'docs://guide', mimeType: 'text/markdown' }]);
    expect(await readFileResource(file, 'docs://guide', 'docs://guide')).toEqual({
      text: '# Guide\n',
      mimeType: 'text/markdown',
    });
    expect(await readFileResource(file, 'docs://guide', 'docs://guide', 'text/plain')).toEqual({
      text: '# Guide\n',
      mimeType: 'text/plain',
    });
    expect((await refusal(readFileResource(file, 'docs://guide', 'docs://guide/x'))).code).toBe('NOT_FOUND');
  });

  it('a location that does not exist lists nothing and reads as unknown', async () => {
    const gone = path.join(dir, 'nope.md');
    expect(await listFileResources(gone, 'docs://nope')).toEqual([]);
    expect((await refusal(readFileResource(gone, 'docs://nope', 'docs://nope'))).code).toBe('NOT_FOUND');
  });

  it.runIf(UNIX)(
    'a FIFO or a device is neither listed nor read (no hang, no endless read)',
    async () => {
      expect(await listFileResources(path.join(dir, 'pipe.md'), 'docs://pipe')).toEqual([]);
      expect(await listFileResources(path.join(dir, 'zero.md'), 'docs://zero')).toEqual([]);
      const pipe = await refusal(readFileResource(path.join(dir, 'pipe.md'), 'docs://pipe', 'docs://pipe'));
      expect(pipe.code).toBe('INPUT_INVALID');
      expect(pipe.message).toBe('Resource URI is not a file: docs://pipe');
      const zero = await refusal(readFileResource(dir, 'docs://d', 'docs://d/zero.md'));
      expect(zero.code).toBe('INPUT_INVALID');
    },
    5_000,
  );
});

const CAPABILITY = `naftiko: "1.0.0-alpha3"
info:
  label: Docs
  description: Static documents.
capability:
  consumes:
    - namespace: things
      type: http
      baseUri: https://api.example.test
      resources:
        - name: thing
          path: /things
          operations:
            - name: list-things
              method: GET
  exposes:
    - type: mcp
      port: 9090
      namespace: docs
      tools:
        - name: list-things
          description: List things.
          call: things.list-things
      resources:
        - name: guide
          label: Guide
          description: The user guide.
          uri: docs://guide
          location: file:///./guide.md
        - name: all-docs
          label: All docs
          description: Every document.
          uri: docs://all
          location: file:///./docs
`;

describe('a single-file resource through the gateway', () => {
  let gw: StartedGateway;
  let client: McpClient;

  beforeAll(async () => {
    gw = await startGateway(CAPABILITY, {
      files: { 'guide.md': '# Guide\n\nRead me.\n', 'docs/intro.md': '# Intro' },
      upstream: 'http://127.0.0.1:9',
    });
    client = await connectMcp(gw.mcp);
  });

  afterAll(async () => {
    await client?.close();
    await gw?.stop();
  });

  it('validates without problems', () => {
    expect(gw.plan.problems.filter((p) => p.severity !== 'info')).toEqual([]);
  });

  it('resources/list shows it at its declared uri, next to the directory’s files', async () => {
    const { resources } = await client.listResources();
    expect(resources).toEqual([
      { uri: 'docs://guide', name: 'guide', title: 'Guide', description: 'The user guide.', mimeType: 'text/markdown' },
      {
        uri: 'docs://all/intro.md',
        name: 'all-docs',
        title: 'All docs',
        description: 'Every document.',
        mimeType: 'text/markdown',
      },
    ]);
  });

  it('resources/read returns the file', async () => {
    expect(await client.readResource({ uri: 'docs://guide' })).toEqual({
      contents: [{ uri: 'docs://guide', mimeType: 'text/markdown', text: '# Guide\n\nRead me.\n' }],
    });
  });
});
