/**
 * @module gateway/watch — notices changes to capability files (and the files they import) and asks for a reload.
 * chokidar does the watching (editors' atomic saves — write a temporary file, rename it over the original — arrive
 * as one change); events are collected for a short quiet period so a burst (a `git checkout`, a copied folder)
 * becomes one reload naming every file that changed.
 */
import { watch, type FSWatcher } from 'chokidar';
import path from 'node:path';

export interface FileWatcher {
  /** Watch more files (those a reload found to be imported). */
  add(paths: readonly string[]): void;
  close(): Promise<void>;
}

export interface WatchOptions {
  /** Quiet time after the last event before the batch is handed over (ms). */
  readonly debounceMs?: number;
  /** Longest a batch waits while events keep coming (ms). */
  readonly maxWaitMs?: number;
  readonly onError?: (err: unknown) => void;
}

const YAML = /\.ya?ml$/i;

/** Watch `paths` (files or folders, recursive) and call `onChange` with the absolute paths of each batch of changes. */
export function watchFiles(
  paths: readonly string[],
  onChange: (changed: string[]) => void,
  opts: WatchOptions = {},
): FileWatcher {
  const debounceMs = opts.debounceMs ?? 100;
  const maxWaitMs = opts.maxWaitMs ?? 1_000;
  const watched = new Set(paths.map((p) => path.resolve(p)));
  const watcher: FSWatcher = watch([...watched], {
    ignoreInitial: true,
    // Only what a capability path can hold: YAML files and folders; no dot files, no node_modules.
    ignored: (p, stats) => {
      const base = path.basename(p);
      if (base.startsWith('.') && !watched.has(p)) return true;
      if (base === 'node_modules') return true;
      return stats?.isFile() === true && !YAML.test(p) && !watched.has(p);
    },
  });
  let batch = new Set<string>();
  let quiet: NodeJS.Timeout | undefined;
  let first = 0;
  const flush = () => {
    quiet = undefined;
    const changed = [...batch];
    batch = new Set();
    if (changed.length) onChange(changed);
  };
  watcher.on('all', (_event, p) => {
    if (!batch.size) first = Date.now();
    batch.add(path.resolve(p));
    if (quiet) clearTimeout(quiet);
    quiet = setTimeout(flush, Math.max(0, Math.min(debounceMs, first + maxWaitMs - Date.now())));
  });
  watcher.on('error', (err) => opts.onError?.(err));
  return {
    add(more) {
      const fresh = more
        .map((p) => path.resolve(p))
        .filter((p) => !watched.has(p) && ![...watched].some((w) => p.startsWith(w + path.sep)));
      for (const p of fresh) watched.add(p);
      if (fresh.length) watcher.add(fresh);
    },
    async close() {
      if (quiet) clearTimeout(quiet);
      await watcher.close();
    },
  };
}
