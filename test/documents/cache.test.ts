/**
 * The document cache reads again only what changed and what imports it: unchanged documents are the same objects
 * after a refresh, so what was planned from them can be reused (hot reload's incremental step).
 */
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DocumentCache } from '../../src/documents/cache.ts';

const cap = (ns: string, extra = '') => `naftiko: "1.0.0-alpha3"
info: { label: ${ns}, description: ${ns} }
capability:
  consumes:
    - namespace: ${ns}
      type: http
      baseUri: https://${ns}.example.test
      resources:
        - name: items
          path: /items
          operations:
            - { name: list, method: GET }
  exposes:
    - type: rest
      port: 8080
      namespace: ${ns}-api
      resources:
        - path: /${ns}
          operations:
            - { method: GET, call: ${ns}.list }${extra}
`;

const importer = `naftiko: "1.0.0-alpha3"
info: { label: imp, description: imp }
capability:
  consumes:
    - { location: ./lib/shared.yaml, import: shared }
  exposes:
    - type: rest
      port: 8080
      namespace: imp-api
      resources:
        - path: /imp
          operations:
            - { method: GET, call: shared.list }
`;

const library = (description: string) => `naftiko: "1.0.0-alpha3"
consumes:
  - namespace: shared
    type: http
    baseUri: https://shared.example.test
    description: ${description}
    resources:
      - name: items
        path: /items
        operations:
          - { name: list, method: GET }
`;

let dir = '';
const f = (name: string) => path.join(dir, name);
const names = (set: ReadonlySet<string>) => [...set].map((p) => path.relative(dir, p)).sort();

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'capgate-cache-'));
  await writeFile(f('a.yaml'), cap('a'));
  await writeFile(f('b.yaml'), cap('b'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('DocumentCache', () => {
  it('reads every file the first time and none when nothing changed', async () => {
    const cache = new DocumentCache([dir]);
    const first = await cache.refresh();
    expect(names(first.reloaded)).toEqual(['a.yaml', 'b.yaml']);
    const second = await cache.refresh();
    expect(second.reloaded.size).toBe(0);
    expect(second.documents).toEqual(first.documents);
    expect(second.documents[0]).toBe(first.documents[0]);
  });

  it('reads again only a changed file; the other document is the same object', async () => {
    const cache = new DocumentCache([dir]);
    const first = await cache.refresh();
    await writeFile(f('a.yaml'), cap('a', '\n            - { method: POST, call: a.list }'));
    const second = await cache.refresh();
    expect(names(second.reloaded)).toEqual(['a.yaml']);
    expect(second.documents[1]).toBe(first.documents[1]);
    expect(second.documents[0]).not.toBe(first.documents[0]);
  });

  it('reads a file again when the caller names it, even with an unchanged stamp', async () => {
    const cache = new DocumentCache([dir]);
    await cache.refresh();
    const again = await cache.refresh([f('b.yaml')]);
    expect(names(again.reloaded)).toEqual(['b.yaml']);
  });

  it('a changed import target reloads it and its importer, not the others', async () => {
    await writeFile(f('imp.yaml'), importer);
    await import('node:fs/promises').then((fs) => fs.mkdir(f('lib')));
    await writeFile(f('lib/shared.yaml'), library('one'));
    const cache = new DocumentCache([f('a.yaml'), f('imp.yaml')]);
    const first = await cache.refresh();
    expect(first.files.map((p) => path.relative(dir, p))).toEqual(['a.yaml', 'imp.yaml', 'lib/shared.yaml']);
    await writeFile(f('lib/shared.yaml'), library('two, longer'));
    const second = await cache.refresh();
    expect(names(second.reloaded)).toEqual(['imp.yaml', 'lib/shared.yaml']);
    const imp = second.documents.find((d) => d.path === f('imp.yaml'))!;
    expect((imp.doc!.capability!.consumes![0] as { description?: string }).description).toBe('two, longer');
    expect(second.documents.find((d) => d.path === f('a.yaml'))).toBe(
      first.documents.find((d) => d.path === f('a.yaml')),
    );
  });

  it('an import target that appears later reloads the importer that looked for it', async () => {
    await writeFile(f('imp.yaml'), importer);
    const cache = new DocumentCache([f('imp.yaml')]);
    const first = await cache.refresh();
    expect(first.documents[0].sink.problems.map((p) => p.code)).toContain('IMPORT_NOT_FOUND');
    await import('node:fs/promises').then((fs) => fs.mkdir(f('lib')));
    await writeFile(f('lib/shared.yaml'), library('now here'));
    const second = await cache.refresh();
    expect(names(second.reloaded)).toContain('imp.yaml');
    expect(second.documents[0].sink.problems.map((p) => p.code)).not.toContain('IMPORT_NOT_FOUND');
  });

  it('sees added and deleted files', async () => {
    const cache = new DocumentCache([dir]);
    await cache.refresh();
    await writeFile(f('c.yaml'), cap('c'));
    await unlink(f('a.yaml'));
    const next = await cache.refresh();
    expect(names(next.reloaded)).toEqual(['c.yaml']);
    expect(next.documents.map((d) => path.basename(d.path))).toEqual(['b.yaml', 'c.yaml']);
  });
});
