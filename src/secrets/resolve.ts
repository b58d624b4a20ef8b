/**
 * @module secrets/resolve — read bind variables (secrets) from the environment or from YAML/JSON
 * files named by `location`. Missing values are reported per capability and key; they never
 * abort the whole gateway: the upstreams needing them answer 503 instead.
 *
 * A bind file is read like a capability file: only when it is a regular file (a FIFO would block
 * start-up forever, /dev/zero would be read without end), up to the same size cap, and parsed with
 * the same YAML limits (no alias bomb in a secrets file either).
 */
import { readRegularFile } from '../common/regular-file.ts';
import { isPlainObject } from '../common/json.ts';
import { candidatePaths, isUnsupportedScheme } from '../documents/locations.ts';
import { DEFAULT_LOAD_LIMITS } from '../documents/limits.ts';
import { parseYamlSource } from '../documents/yaml-source.ts';
import type { SecretOwner, SecretValues } from './types.ts';

export type ReadText = (file: string) => Promise<string>;

const readBounded: ReadText = (f) => readRegularFile(f, DEFAULT_LOAD_LIMITS.maxFileBytes);

/** Resolve one capability's binds. */
export async function resolveSecrets(
  owner: SecretOwner,
  env: NodeJS.ProcessEnv,
  read: ReadText = readBounded,
): Promise<SecretValues> {
  const values = new Map<string, string>();
  const missing = new Map<string, string>();
  const unusable = new Set<string>();
  for (const bind of owner.binds) {
    if (!bind.location) {
      for (const [name, envName] of Object.entries(bind.keys)) {
        const v = env[envName];
        if (v !== undefined && v !== '') values.set(name, v);
        else missing.set(name, `environment variable ${envName} is not set`);
      }
      continue;
    }
    const data = await readBindFile(bind.location, owner.file, read);
    for (const [name, key] of Object.entries(bind.keys)) {
      if ('why' in data) {
        missing.set(name, data.why);
        if (data.unusable) unusable.add(name);
      } else if (data.map[key] === undefined || data.map[key] === null)
        missing.set(name, `key '${key}' not found in ${bind.location}`);
      else values.set(name, String(data.map[key]));
    }
  }
  return { values, missing, unusable };
}

type BindFile = { map: Record<string, unknown> } | { why: string; unusable: boolean };

/**
 * The file's map, or why it could not be used. `unusable` marks a file that exists but can never
 * give values (not a regular file, too large, not parseable, not a map), as opposed to one that is
 * not there yet (its values may be provided at deployment).
 */
async function readBindFile(location: string, ownerFile: string, read: ReadText): Promise<BindFile> {
  if (isUnsupportedScheme(location))
    return { why: `bind location ${location} uses an unsupported scheme (only file:// is read)`, unusable: false };
  for (const candidate of candidatePaths(location, ownerFile)) {
    let text: string;
    try {
      text = await read(candidate);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException)?.code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      return { why: `bind file ${location} ${unreadableWhy(code)}`, unusable: true };
    }
    return parseBindFile(location, candidate, text);
  }
  return { why: `bind file not found: ${location}`, unusable: false };
}

function unreadableWhy(code: string | undefined): string {
  if (code === 'ENOTREG') return 'is not a regular file (a FIFO, device or socket)';
  if (code === 'EFBIG') return `is larger than ${DEFAULT_LOAD_LIMITS.maxFileBytes} bytes`;
  return `cannot be read (${code ?? 'error'})`;
}

/** Parse a bind file. Messages name the file and a position, never its content (it holds secrets). */
function parseBindFile(location: string, candidate: string, text: string): BindFile {
  let data: unknown;
  if (/\.json$/i.test(candidate)) {
    try {
      data = JSON.parse(text);
    } catch {
      return { why: `bind file ${location} could not be parsed as JSON`, unusable: true };
    }
  } else {
    const src = parseYamlSource(text, DEFAULT_LOAD_LIMITS);
    const issue = src.issues[0];
    if (issue)
      return {
        why: `bind file ${location} could not be parsed (${issue.code} at ${issue.line}:${issue.column})`,
        unusable: true,
      };
    data = src.data;
  }
  return isPlainObject(data) ? { map: data } : { why: `bind file ${location} is not a map`, unusable: true };
}
