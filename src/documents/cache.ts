/**
 * @module documents/cache — the capability files under a set of paths, kept loaded between reloads. A refresh
 * re-expands the paths, notices files that appeared, disappeared or changed (a changed stamp, or named by the
 * caller), and reads again only those and the documents that import them; every other document is the very object
 * of the previous refresh, so whatever was planned from it can be reused.
 */
import { expandPaths, nodeFileSystem, type FileSystem } from './files.ts';
import { resolveImports, type DocumentStore } from './imports.ts';
import { loadDocument, type LoadedDocument } from './load.ts';
import { loadLimits, type LoadLimits } from './limits.ts';

export interface DocumentSnapshot {
  /** The documents of the root files, in path order (files that could not be read as documents are absent). */
  readonly documents: readonly LoadedDocument[];
  /** Paths given by the user that do not exist. */
  readonly missing: readonly string[];
  /** Every file read: the root files and the files they import (absolute paths), for watching. */
  readonly files: readonly string[];
  /** Absolute paths read again by this refresh (every file, the first time). */
  readonly reloaded: ReadonlySet<string>;
}

interface Entry {
  /** Modification time, size and inode when read; a different stamp later means the file changed. */
  stamp: string | undefined;
  readonly doc: Promise<LoadedDocument | undefined>;
  /** Files this document's imports looked for (found or not): a change to any of them reloads it. */
  readonly reads: Set<string>;
}

export class DocumentCache {
  readonly #paths: readonly string[];
  readonly #fs: FileSystem;
  readonly #limits: LoadLimits;
  #entries = new Map<string, Entry>();

  constructor(paths: readonly string[], fs: FileSystem = nodeFileSystem, limits?: Partial<LoadLimits>) {
    this.#paths = paths;
    this.#fs = fs;
    this.#limits = loadLimits(limits);
  }

  /**
   * Bring the documents up to date. `changed` names files known to have changed (a watcher's events); changes are
   * also found from file stamps, so a refresh without it (a reload signal) notices every edit.
   */
  async refresh(changed: Iterable<string> = []): Promise<DocumentSnapshot> {
    const { files: roots, missing } = await expandPaths(this.#paths, this.#fs);
    const previous = this.#entries;
    const dirty = new Set(changed);
    const stamps = await Promise.all([...previous.keys()].map((abs) => this.#stamp(abs)));
    [...previous.values()].forEach((entry, i) => {
      if (stamps[i] !== entry.stamp) dirty.add([...previous.keys()][i]);
    });
    spread(dirty, previous);

    const next = new Map<string, Entry>();
    const reloaded = new Set<string>();
    const entryOf = (abs: string): Entry => {
      let entry = next.get(abs);
      if (entry) return entry;
      const old = previous.get(abs);
      if (old && !dirty.has(abs)) {
        next.set(abs, old);
        // What it imports stays known (and watched) even though nothing asks for it again this time.
        for (const r of old.reads) entryOf(r);
        return old;
      } else {
        // The stamp is taken before the read, so a write landing in between is seen again on the next refresh.
        const fresh: Entry = {
          stamp: undefined,
          reads: new Set(),
          doc: this.#stamp(abs).then((stamp) => {
            fresh.stamp = stamp;
            // A path that is gone or a folder is no document; anything else (a FIFO, a device) is loaded and
            // reports why it cannot be read, never dropped.
            return stamp === undefined || stamp === FOLDER ? undefined : loadDocument(abs, this.#fs, this.#limits);
          }),
        };
        entry = fresh;
        reloaded.add(abs);
      }
      next.set(abs, entry);
      return entry;
    };
    const store: DocumentStore = {
      get(abs, importer) {
        if (importer !== undefined) entryOf(importer).reads.add(abs);
        return entryOf(abs).doc;
      },
    };
    // Every read starts at once: parsing is synchronous, so the disk waits overlap the CPU work.
    const docs = await Promise.all(roots.map((abs) => entryOf(abs).doc));
    for (const abs of reloaded) {
      const doc = await next.get(abs)!.doc;
      if (doc) await resolveImports(doc, store);
    }
    this.#entries = next;
    const files: string[] = [];
    for (const [abs, entry] of next) if ((await entry.doc) !== undefined) files.push(abs);
    return {
      documents: docs.filter((d): d is LoadedDocument => d !== undefined),
      missing,
      files: files.sort(),
      reloaded,
    };
  }

  /** Modification time, size and inode; FOLDER for a folder; undefined when the path is gone. */
  async #stamp(abs: string): Promise<string | undefined> {
    try {
      const st = await this.#fs.stat(abs);
      return st.isDirectory() ? FOLDER : `${st.mtimeMs ?? 0}:${st.size ?? 0}:${st.ino ?? 0}`;
    } catch {
      return undefined;
    }
  }
}

const FOLDER = 'folder';

/** Whatever (transitively) imports a dirty file is dirty too: imported entries are copied in when resolved. */
function spread(dirty: Set<string>, entries: ReadonlyMap<string, Entry>): void {
  for (let grew = true; grew;) {
    grew = false;
    for (const [abs, entry] of entries) {
      if (!dirty.has(abs) && [...entry.reads].some((r) => dirty.has(r))) {
        dirty.add(abs);
        grew = true;
      }
    }
  }
}
