/**
 * @module documents/imports — resolve `capability.consumes[]` import entries
 * (`{location, import, as}`) by copying the named consumes entry from the target file, which may
 * be a root-`consumes` library or a full capability. Missing files, missing namespaces and
 * import cycles are located errors on the importing entry.
 */
import type { LoadedDocument } from './load.ts';
import { candidatePaths, isUnsupportedScheme } from './locations.ts';
import { isPlainObject as isObject } from '../common/json.ts';
import type { ConsumesHttpSpec } from './types.ts';

/** Finds (loading on demand) documents by absolute path. */
export interface DocumentStore {
  /** The document at `abs`; `importer` is the document whose import looks for it (a cache records the dependency). */
  get(abs: string, importer?: string): Promise<LoadedDocument | undefined>;
}

export async function resolveImports(loaded: LoadedDocument, store: DocumentStore): Promise<void> {
  await resolveIn(loaded, store, [loaded.path]);
}

/** Documents whose imports were already resolved: resolution mutates, so it must run once. */
const resolvedDocs = new WeakSet<LoadedDocument>();

async function resolveIn(loaded: LoadedDocument, store: DocumentStore, stack: string[]): Promise<void> {
  if (resolvedDocs.has(loaded)) return;
  resolvedDocs.add(loaded);
  const entries = consumesOf(loaded);
  const base = loaded.doc?.capability ? '/capability/consumes' : '/consumes';
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (!isObject(entry) || typeof entry.location !== 'string') continue;
    const ptr = `${base}/${i}`;
    const resolved = await resolveEntry(
      loaded,
      entry as { location: string; import: string; as?: string },
      ptr,
      store,
      stack,
    );
    if (resolved) entries[i] = resolved;
  }
}

function consumesOf(loaded: LoadedDocument): unknown[] {
  const doc = loaded.doc;
  if (!doc) return [];
  const list = doc.capability?.consumes ?? doc.consumes;
  return Array.isArray(list) ? list : [];
}

async function resolveEntry(
  loaded: LoadedDocument,
  entry: { location: string; import: string; as?: string },
  ptr: string,
  store: DocumentStore,
  stack: string[],
): Promise<(ConsumesHttpSpec & { 'x-capgate-imported-from'?: string }) | undefined> {
  const { sink } = loaded;
  if (isUnsupportedScheme(entry.location)) {
    sink.error(
      'IMPORT_SCHEME',
      `${ptr}/location`,
      `import location '${entry.location}' uses a scheme capgate cannot read; only files are supported`,
      'use a path relative to this file, e.g. ./shared/consumes.yaml',
    );
    return undefined;
  }
  const target = await findTarget(entry.location, loaded.path, store);
  if (!target) {
    sink.error(
      'IMPORT_NOT_FOUND',
      `${ptr}/location`,
      `import source file not found: ${entry.location} (relative to ${loaded.file})`,
      "paths are resolved against the importing file's folder, then the working directory",
    );
    return undefined;
  }
  if (stack.includes(target.path)) {
    sink.error(
      'IMPORT_CYCLE',
      `${ptr}/location`,
      `import cycle: ${[...stack, target.path].map((p) => p.split('/').pop()).join(' → ')}`,
    );
    return undefined;
  }
  if (!target.doc) {
    // The imported file may not be among the files being loaded: name its first error here.
    const why = target.sink.problems.find((p) => p.severity === 'error');
    sink.error(
      'IMPORT_TARGET_INVALID',
      `${ptr}/location`,
      `imported file ${target.file} could not be read as a Naftiko document` +
        (why ? `: ${why.code} at ${why.line}:${why.column}, ${why.message}` : ''),
    );
    return undefined;
  }
  await resolveIn(target, store, [...stack, target.path]);
  const list = consumesOf(target);
  const found = list.find((c) => isObject(c) && c.namespace === entry.import && typeof c.location !== 'string');
  if (!found) {
    const available = list
      .filter(isObject)
      .map((c) => c.namespace)
      .filter((n): n is string => typeof n === 'string');
    sink.error(
      'IMPORT_NAMESPACE_MISSING',
      `${ptr}/import`,
      `namespace '${entry.import}' not found in ${target.file}${list.length ? '' : ' (it has no consumes list)'}`,
      available.length ? `available namespaces: ${available.join(', ')}` : undefined,
    );
    return undefined;
  }
  const copy = structuredClone(found) as ConsumesHttpSpec & { 'x-capgate-imported-from'?: string };
  if (entry.as) copy.namespace = entry.as;
  copy['x-capgate-imported-from'] = target.file;
  return copy;
}

async function findTarget(
  location: string,
  fromFile: string,
  store: DocumentStore,
): Promise<LoadedDocument | undefined> {
  for (const candidate of candidatePaths(location, fromFile)) {
    const doc = await store.get(candidate, fromFile);
    if (doc) return doc;
  }
  return undefined;
}
