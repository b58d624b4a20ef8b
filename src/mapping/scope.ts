/**
 * @module mapping/scope — how a template variable finds its value in the request scope: exact
 * name, dotted path, case-insensitively, and finally ignoring '-' and '_'. Secrets come before
 * the scope; that lookup lives in secrets/inject.ts.
 */
import type { Lookup } from './template.ts';

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
