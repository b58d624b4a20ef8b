/**
 * @module documents/files — expand CLI/config paths into capability files (recursive, *.yml / *.yaml).
 * The file system is injected so the loader can be unit-tested without a disk.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { readRegularFile } from '../common/regular-file.ts';

export interface FileSystem {
  /**
   * The file's text. Rejects a file that is not a regular file (code `ENOTREG`: a FIFO or a device
   * would block or never end) or is larger than `maxBytes` (code `EFBIG`), without reading it all.
   */
  readFile(file: string, maxBytes: number): Promise<string>;
  /** Node's Stats fit; the stamp fields let a cache notice a changed file. */
  stat(
    file: string,
  ): Promise<{ isDirectory(): boolean; isFile(): boolean; mtimeMs?: number; size?: number; ino?: number }>;
  readdir(dir: string): Promise<string[]>;
}

export const nodeFileSystem: FileSystem = {
  readFile: (f, maxBytes) => readRegularFile(f, maxBytes),
  stat: (f) => fsp.stat(f),
  readdir: (d) => fsp.readdir(d),
};

const YAML_FILE = /\.ya?ml$/i;

/**
 * Every YAML file under the given paths, sorted, each once; missing paths are reported back. A path
 * that exists but is neither a folder nor a regular file (a FIFO, a device) is kept, so that loading
 * it reports why it cannot be read instead of skipping it silently.
 */
export async function expandPaths(
  paths: readonly string[],
  fs: FileSystem = nodeFileSystem,
): Promise<{ files: string[]; missing: string[] }> {
  const found = new Set<string>();
  const missing: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(p);
    try {
      await collect(abs, fs, found, true);
    } catch {
      missing.push(p);
    }
  }
  return { files: [...found].sort(), missing };
}

async function collect(abs: string, fs: FileSystem, out: Set<string>, explicit: boolean): Promise<void> {
  const st = await fs.stat(abs);
  if (!st.isDirectory()) {
    if (explicit || YAML_FILE.test(abs)) out.add(abs);
    return;
  }
  for (const name of (await fs.readdir(abs)).sort()) {
    if (name.startsWith('.') || name === 'node_modules') continue;
    await collect(path.join(abs, name), fs, out, false).catch(() => undefined);
  }
}
