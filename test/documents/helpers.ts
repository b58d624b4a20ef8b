/**
 * Test helpers for the loader and plan: load YAML text without a disk, an in-memory
 * FileSystem for `loadCapabilities`, and a short way to find one problem by code.
 */
import path from 'node:path';
import type { FileSystem } from '../../src/documents/files.ts';
import { parseDocumentText, type LoadedDocument } from '../../src/documents/load.ts';
import type { Problem } from '../../src/documents/problems.ts';
import { buildPlan, type BuildOptions } from '../../src/plan/build.ts';
import type { Plan } from '../../src/plan/types.ts';

/** Absolute path of a virtual file under a folder that does not exist on disk. */
export const VROOT = path.resolve('/virtual-capgate-tests');
export const vpath = (name: string): string => path.join(VROOT, name);

/** Load one document from text and plan it on its own. */
export function loadText(
  text: string,
  name = 'doc.yaml',
  opts: BuildOptions = { partial: true },
): { loaded: LoadedDocument; plan: Plan; problems: readonly Problem[] } {
  const loaded = parseDocumentText(vpath(name), text);
  const plan = buildPlan([loaded], opts);
  return { loaded, plan, problems: plan.problems };
}

/** The problems with this code (fails loudly in the test when none is there). */
export function withCode(problems: readonly Problem[], code: string): Problem[] {
  return problems.filter((p) => p.code === code);
}

/** `line:column` of a problem, for compact assertions. */
export const at = (p: Problem | undefined): string => (p ? `${p.line}:${p.column}` : 'none');

/** A FileSystem over a map of absolute path → text; folders are implied by the paths. */
export function memoryFs(files: Record<string, string>): FileSystem & { reads: string[] } {
  const reads: string[] = [];
  const norm = (p: string) => path.resolve(p);
  const table = new Map(Object.entries(files).map(([k, v]) => [norm(k), v]));
  const isDir = (p: string) => [...table.keys()].some((k) => k.startsWith(norm(p) + path.sep));
  const enoent = (p: string) => Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
  return {
    reads,
    async readFile(f) {
      reads.push(norm(f));
      const t = table.get(norm(f));
      if (t === undefined) throw enoent(f);
      return t;
    },
    async stat(f) {
      const file = table.has(norm(f));
      const dir = !file && isDir(f);
      if (!file && !dir) throw enoent(f);
      return { isFile: () => file, isDirectory: () => dir };
    },
    async readdir(d) {
      const base = norm(d) + path.sep;
      const names = new Set<string>();
      for (const k of table.keys()) if (k.startsWith(base)) names.add(k.slice(base.length).split(path.sep)[0]);
      return [...names];
    },
  };
}
