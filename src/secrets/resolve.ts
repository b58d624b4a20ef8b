/**
 * @module secrets/resolve — read bind variables (secrets) from the environment or from YAML/JSON
 * files named by `location`. Missing values are reported per capability and key; they never
 * abort the whole gateway: the upstreams needing them answer 503 instead.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { isPlainObject } from '../common/json.ts';
import { candidatePaths, isUnsupportedScheme } from '../documents/locations.ts';
import type { SecretOwner, SecretValues } from './types.ts';

export type ReadText = (file: string) => Promise<string>;

const readUtf8: ReadText = (f) => readFile(f, 'utf8');

/** Resolve one capability's binds. */
export async function resolveSecrets(
  owner: SecretOwner,
  env: NodeJS.ProcessEnv,
  read: ReadText = readUtf8,
): Promise<SecretValues> {
  const values = new Map<string, string>();
  const missing = new Map<string, string>();
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
      if (typeof data === 'string') missing.set(name, data);
      else if (data[key] === undefined || data[key] === null)
        missing.set(name, `key '${key}' not found in ${bind.location}`);
      else values.set(name, String(data[key]));
    }
  }
  return { values, missing };
}

/** The file's map, or a string saying why it could not be read. */
async function readBindFile(
  location: string,
  ownerFile: string,
  read: ReadText,
): Promise<Record<string, unknown> | string> {
  if (isUnsupportedScheme(location))
    return `bind location ${location} uses an unsupported scheme (only file:// is read)`;
  for (const candidate of candidatePaths(location, ownerFile)) {
    let text: string;
    try {
      text = await read(candidate);
    } catch {
      continue;
    }
    try {
      const data: unknown = /\.json$/i.test(candidate) ? JSON.parse(text) : parseYaml(text);
      return isPlainObject(data) ? data : `bind file ${location} is not a map`;
    } catch {
      return `bind file ${location} could not be parsed`;
    }
  }
  return `bind file not found: ${location}`;
}
