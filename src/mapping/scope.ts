/**
 * @module consume/lookup — how template variables find their value: bind variables (secrets)
 * first, then the request scope by exact name, dotted path, case-insensitively, and finally
 * ignoring '-' and '_'.
 * Bind values win so a request parameter can never impersonate a secret.
 */
import type { CapabilityPlan } from '../plan/types.ts';
import { bindVarOf } from '../secrets/names.ts';
import type { Lookup } from './template.ts';
import type { SecretValues } from '../secrets/resolve.ts';

export type Scope = Readonly<Record<string, unknown>>;

export function scopeLookup(scope: Scope): Lookup {
  return (name) => lookupIn(scope, name);
}

export function lookupIn(scope: Scope, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(scope, name)) return nonNull(scope[name]);
  if (name.includes('.')) {
    const v = walk(scope, name.split('.'));
    if (v !== undefined) return v;
  }
  const lower = name.toLowerCase();
  for (const k in scope) if (k.toLowerCase() === lower) return nonNull(scope[k]);
  // Last resort: ignore '-' and '_' (real files expose `{api-key-id}` and consume `{api_key_id}`).
  const loose = looseKey(name);
  for (const k in scope) if (looseKey(k) === loose) return nonNull(scope[k]);
  return undefined;
}

function looseKey(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

function nonNull(v: unknown): unknown {
  return v === null ? undefined : v;
}

function walk(root: unknown, parts: string[]): unknown {
  let cur: unknown = root;
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return nonNull(cur);
}

/** Lookup for consumed-request templates: secrets, then the scope. Reports missing secrets. */
export function requestLookup(cap: CapabilityPlan, secrets: SecretValues, scope: Scope): Lookup {
  return (name) => {
    const bind = bindVarOf(name, cap);
    if (bind && cap.declaredVars.has(bind)) return secrets.values.get(bind);
    return lookupIn(scope, name);
  };
}
