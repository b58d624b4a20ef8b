/**
 * @module documents — load capability files: expand paths, parse each once, resolve imports.
 * Output is a list of located documents with their problems; nothing here runs anything.
 */
import { expandPaths, nodeFileSystem, type FileSystem } from './files.ts';
import { loadDocument, type LoadedDocument } from './load.ts';
import { resolveImports, type DocumentStore } from './imports.ts';
import { loadLimits, type LoadLimits } from './limits.ts';

export type { LoadedDocument } from './load.ts';
export type { LoadLimits } from './limits.ts';
export { DEFAULT_LOAD_LIMITS } from './limits.ts';
export type { Problem, Severity } from './problems.ts';
export { formatProblem } from './problems.ts';

export interface LoadResult {
  readonly documents: LoadedDocument[];
  /** Paths given by the user that do not exist. */
  readonly missing: string[];
}

export interface LoadOptions {
  /** Overrides of the loader's limits (file size, nesting depth, anchors, aliases); see DEFAULT_LOAD_LIMITS. */
  readonly limits?: Partial<LoadLimits>;
}

/** Load every capability file under `paths` (files or folders, recursive). */
export async function loadCapabilities(
  paths: readonly string[],
  fs: FileSystem = nodeFileSystem,
  opts: LoadOptions = {},
): Promise<LoadResult> {
  const { files, missing } = await expandPaths(paths, fs);
  const store = createStore(fs, loadLimits(opts.limits));
  // Start every read at once: parsing is synchronous, so the disk waits overlap the CPU work.
  const pending = files.map((f) => store.get(f));
  const documents: LoadedDocument[] = [];
  for (const p of pending) {
    const doc = await p;
    if (doc) documents.push(doc);
  }
  for (const doc of documents) await resolveImports(doc, store);
  return { documents, missing };
}

/**
 * Caches loaded documents by absolute path so an imported file is parsed once. Undefined only for
 * a path that does not exist or is a folder; anything else is loaded, and a file that cannot be
 * read or parsed comes back with its problems, never dropped.
 */
export function createStore(fs: FileSystem, limits: LoadLimits = loadLimits()): DocumentStore {
  const cache = new Map<string, Promise<LoadedDocument | undefined>>();
  return {
    get(abs) {
      let p = cache.get(abs);
      if (!p) {
        p = fs.stat(abs).then(
          (st) => (st.isDirectory() ? undefined : loadDocument(abs, fs, limits)),
          () => undefined,
        );
        cache.set(abs, p);
      }
      return p;
    },
  };
}
