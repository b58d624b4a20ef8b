/**
 * @module documents — load capability files: expand paths, parse each once, resolve imports.
 * Output is a list of located documents with their problems; nothing here runs anything.
 */
import { nodeFileSystem, type FileSystem } from './files.ts';
import type { LoadedDocument } from './load.ts';
import { DocumentCache } from './cache.ts';

export type { LoadedDocument } from './load.ts';
export { DocumentCache, type DocumentSnapshot } from './cache.ts';
export type { Problem, Severity } from './problems.ts';
export { formatProblem } from './problems.ts';

export interface LoadResult {
  readonly documents: LoadedDocument[];
  /** Paths given by the user that do not exist. */
  readonly missing: string[];
}

/** Load every capability file under `paths` (files or folders, recursive), once. */
export async function loadCapabilities(paths: readonly string[], fs: FileSystem = nodeFileSystem): Promise<LoadResult> {
  const { documents, missing } = await new DocumentCache(paths, fs).refresh();
  return { documents: [...documents], missing: [...missing] };
}
