/**
 * docs/architecture.md is where a newcomer starts: every file it names (`invoke/task.ts`, `http-post.ts`, …) must
 * exist, so a move or rename that forgets the map fails here instead of sending readers to nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function filesUnder(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) filesUnder(rel, out);
    else out.push(rel);
  }
  return out;
}

describe('docs/architecture.md', () => {
  it('names only files that exist', () => {
    const text = readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');
    const named = [...new Set([...text.matchAll(/`([\w./-]+\.(?:ts|js|cjs|mjs))`/g)].map((m) => m[1]))];
    expect(named.length).toBeGreaterThan(30);
    const files = [...filesUnder('src'), ...filesUnder('bin'), '.dependency-cruiser.cjs'];
    // The compiled file a doc names (dist/cli/main.js) exists once its source does.
    const source = (n: string) => n.replace(/^dist\/(.*)\.js$/, 'src/$1.ts');
    const missing = named.map(source).filter((n) => !files.some((f) => f === n || f.endsWith(`/${n}`)));
    expect(missing).toEqual([]);
  });
});
