/**
 * @module runtime/secrets — resolve bind variables (secrets) from the environment or from
 * YAML/JSON files named by `location`. Missing values are reported per capability and key;
 * they never abort the whole gateway: the upstreams needing them answer 503 instead.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { CapabilityPlan, Plan } from '../plan/types.ts';
import type { Problem, Severity } from '../documents/problems.ts';
import { candidatePaths, isUnsupportedScheme } from '../documents/locations.ts';

export interface SecretValues {
  readonly values: ReadonlyMap<string, string>;
  /** Variable name → why it is missing (names the env var or file key, never a value). */
  readonly missing: ReadonlyMap<string, string>;
}

export type ReadText = (file: string) => Promise<string>;

/** Resolve one capability's binds. */
export async function resolveSecrets(cap: CapabilityPlan, env: NodeJS.ProcessEnv, read: ReadText = (f) => readFile(f, 'utf8')): Promise<SecretValues> {
  const values = new Map<string, string>();
  const missing = new Map<string, string>();
  for (const bind of cap.binds) {
    if (!bind.location) {
      for (const [name, envName] of Object.entries(bind.keys)) {
        const v = env[envName];
        if (v !== undefined && v !== '') values.set(name, v);
        else missing.set(name, `environment variable ${envName} is not set`);
      }
      continue;
    }
    const data = await readBindFile(bind.location, cap.file, read);
    for (const [name, key] of Object.entries(bind.keys)) {
      if (typeof data === 'string') missing.set(name, data);
      else if (data[key] === undefined || data[key] === null) missing.set(name, `key '${key}' not found in ${bind.location}`);
      else values.set(name, String(data[key]));
    }
  }
  return { values, missing };
}

/** The file's map, or a string saying why it could not be read. */
async function readBindFile(location: string, capFile: string, read: ReadText): Promise<Record<string, unknown> | string> {
  if (isUnsupportedScheme(location)) return `bind location ${location} uses an unsupported scheme (only file:// is read)`;
  for (const candidate of candidatePaths(location, capFile)) {
    let text: string;
    try {
      text = await read(candidate);
    } catch {
      continue;
    }
    try {
      const data = /\.json$/i.test(candidate) ? JSON.parse(text) : parseYaml(text);
      return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : `bind file ${location} is not a map`;
    } catch {
      return `bind file ${location} could not be parsed`;
    }
  }
  return `bind file not found: ${location}`;
}

/** Problems for every missing bind value (warnings for `validate`, errors for `serve`). */
export async function checkBindsAvailable(plan: Plan, env: NodeJS.ProcessEnv, severity: Severity): Promise<Problem[]> {
  const out: Problem[] = [];
  for (const cap of plan.capabilities) {
    const { missing } = await resolveSecrets(cap, env);
    for (const [name, why] of missing) {
      const bind = cap.binds.find((b) => name in b.keys);
      const pos = bind?.keyPositions?.[name] ?? { line: 1, column: 1 };
      const pointer = bind ? `${bind.source.pointer}/keys/${name.replace(/~/g, '~0').replace(/\//g, '~1')}` : '/binds';
      out.push({ code: 'BIND_MISSING_VALUE', severity, file: cap.file, line: pos.line, column: pos.column, pointer, message: `bind variable ${name}: ${why}`, hint: 'set it before `capgate serve`; upstreams that need it answer 503 until then' });
    }
  }
  return out;
}
