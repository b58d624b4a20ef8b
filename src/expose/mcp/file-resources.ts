/**
 * @module expose/mcp/file-resources — MCP resources backed by files (`location: file:///…`). A
 * location naming a directory lists every regular file as `<uri>/<relative path>` and reads one
 * with strict segment rules and a realpath check, so neither `..` nor a symlink can escape the
 * directory. A location naming a single file is that one resource, listed and read at its declared
 * `uri`. Files are read only when they are regular files (a FIFO would hang the request, a device
 * never end) and up to MAX_RESOURCE_BYTES.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { GatewayError } from '../../common/errors.ts';
import { readRegularFile } from '../../common/regular-file.ts';

/** Largest file served as a resource (10 MiB, the size capgate accepts from an upstream). */
export const MAX_RESOURCE_BYTES = 10 * 1024 * 1024;

const SEGMENT = /^[A-Za-z0-9._-]+$/;
const TYPES: Record<string, string> = {
  '.md': 'text/markdown',
  '.json': 'application/json',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.txt': 'text/plain',
  '.xml': 'application/xml',
};

export function mimeOf(file: string, declared?: string): string {
  return declared ?? TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** What the location is now: it may change while the gateway runs, so it is looked at per request. */
async function kindOf(location: string): Promise<'file' | 'directory' | 'other' | 'missing'> {
  const st = await stat(location).catch(() => undefined);
  if (!st) return 'missing';
  return st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other';
}

export async function listFileResources(
  location: string,
  baseUri: string,
  declared?: string,
): Promise<Array<{ uri: string; mimeType?: string }>> {
  const kind = await kindOf(location);
  if (kind === 'file') return [{ uri: baseUri, mimeType: mimeOf(location, declared) }];
  if (kind !== 'directory') return [];
  const out: Array<{ uri: string; mimeType?: string }> = [];
  const walk = async (rel: string) => {
    const entries = await readdir(path.join(location, rel), { withFileTypes: true }).catch(() => []);
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else if (e.isFile()) out.push({ uri: `${baseUri.replace(/\/+$/, '')}/${r}`, mimeType: mimeOf(r, declared) });
    }
  };
  await walk('');
  return out;
}

export async function readFileResource(
  location: string,
  baseUri: string,
  uri: string,
  declared?: string,
): Promise<{ text: string; mimeType: string }> {
  if (uri === baseUri) {
    const kind = await kindOf(location);
    if (kind === 'missing' || kind === 'directory') throw new GatewayError('NOT_FOUND', `Unknown resource URI: ${uri}`);
    return { text: await readResourceFile(location, uri), mimeType: mimeOf(location, declared) };
  }
  const prefix = baseUri.replace(/\/+$/, '') + '/';
  if (!uri.startsWith(prefix) || (await kindOf(location)) !== 'directory')
    throw new GatewayError('NOT_FOUND', `Unknown resource URI: ${uri}`);
  const segments = uri.slice(prefix.length).split('/');
  if (segments.includes('..') || segments.includes('.'))
    throw new GatewayError('INPUT_INVALID', `Path traversal detected for resource URI: ${uri}`);
  const bad = segments.find((s) => !SEGMENT.test(s));
  if (bad !== undefined) throw new GatewayError('INPUT_INVALID', `Invalid path segment in resource URI: ${bad}`);
  const root = await realpath(location).catch(() => location);
  const target = await realpath(path.join(root, ...segments)).catch(() => {
    throw new GatewayError('NOT_FOUND', `Unknown resource URI: ${uri}`);
  });
  if (target !== root && !target.startsWith(root + path.sep))
    throw new GatewayError('INPUT_INVALID', `Path traversal detected for resource URI: ${uri}`);
  return { text: await readResourceFile(target, uri), mimeType: mimeOf(target, declared) };
}

/** The file's text; a FIFO, device or directory, a file over the cap or a vanished one is a gateway error. */
async function readResourceFile(file: string, uri: string): Promise<string> {
  try {
    return await readRegularFile(file, MAX_RESOURCE_BYTES);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException)?.code;
    if (code === 'ENOTREG') throw new GatewayError('INPUT_INVALID', `Resource URI is not a file: ${uri}`);
    if (code === 'EFBIG')
      throw new GatewayError('NOT_SUPPORTED', `Resource ${uri} is larger than ${MAX_RESOURCE_BYTES} bytes`);
    throw new GatewayError('NOT_FOUND', `Unknown resource URI: ${uri}`);
  }
}
