/**
 * @module expose/mcp/file-resources — MCP resources backed by a directory (`location: file:///dir`):
 * list every regular file as `<uri>/<relative path>`, read one with strict segment rules and a
 * realpath check so neither `..` nor a symlink can escape the directory.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { GatewayError } from '../../common/errors.ts';

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

export async function listDirectory(
  dir: string,
  baseUri: string,
  declared?: string,
): Promise<Array<{ uri: string; mimeType?: string }>> {
  const out: Array<{ uri: string; mimeType?: string }> = [];
  const walk = async (rel: string) => {
    const entries = await readdir(path.join(dir, rel), { withFileTypes: true }).catch(() => []);
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else if (e.isFile()) out.push({ uri: `${baseUri.replace(/\/+$/, '')}/${r}`, mimeType: mimeOf(r, declared) });
    }
  };
  await walk('');
  return out;
}

export async function readDirectoryResource(
  dir: string,
  baseUri: string,
  uri: string,
  declared?: string,
): Promise<{ text: string; mimeType: string }> {
  const prefix = baseUri.replace(/\/+$/, '') + '/';
  if (!uri.startsWith(prefix)) throw new GatewayError('NOT_FOUND', `Unknown resource URI: ${uri}`);
  const segments = uri.slice(prefix.length).split('/');
  if (segments.includes('..') || segments.includes('.'))
    throw new GatewayError('INPUT_INVALID', `Path traversal detected for resource URI: ${uri}`);
  const bad = segments.find((s) => !SEGMENT.test(s));
  if (bad !== undefined) throw new GatewayError('INPUT_INVALID', `Invalid path segment in resource URI: ${bad}`);
  const root = await realpath(dir).catch(() => dir);
  const target = await realpath(path.join(root, ...segments)).catch(() => {
    throw new GatewayError('NOT_FOUND', `Unknown resource URI: ${uri}`);
  });
  if (target !== root && !target.startsWith(root + path.sep))
    throw new GatewayError('INPUT_INVALID', `Path traversal detected for resource URI: ${uri}`);
  if (!(await stat(target)).isFile()) throw new GatewayError('INPUT_INVALID', `Resource URI is not a file: ${uri}`);
  return { text: await readFile(target, 'utf8'), mimeType: mimeOf(target, declared) };
}
