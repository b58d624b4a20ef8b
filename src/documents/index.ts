/**
 * @module documents — load capability files: expand paths, parse each once, resolve imports.
 * Output is a list of located documents with their problems; nothing here runs anything.
 */
import { nodeFileSystem, type FileSystem } from './files.ts';
import type { LoadedDocument } from './load.ts';
import { DocumentCache } from './cache.ts';
import type { LoadLimits } from './limits.ts';

export type { LoadedDocument } from './load.ts';
export { DocumentCache, type DocumentSnapshot } from './cache.ts';
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

/** Load every capability file under `paths` (files or folders, recursive), once. */
export async function loadCapabilities(
  paths: readonly string[],
  fs: FileSystem = nodeFileSystem,
  opts: LoadOptions = {},
): Promise<LoadResult> {
  const { documents, missing } = await new DocumentCache(paths, fs, opts.limits).refresh();
  return { documents: [...documents], missing: [...missing] };
}
