/**
 * @module invoke/apply-with — apply compiled `with` entries to a scope: refs copy an input
 * (exact name, then case-insensitive; absent refs leave the key untouched), a template that is
 * a single `{{x}}` copies x with its JSON type, other templates render as text, literals are
 * set as is. Returns a new scope; inputs are never mutated.
 */
import type { WithEntry } from '../plan/types.ts';
import { renderTemplate } from '../mapping/template.ts';
import { lookupIn, scopeLookup, type Scope } from '../mapping/scope.ts';

const SINGLE = /^\{\{\s*([^{}\s]+)\s*\}\}$/;

export function applyWith(entries: readonly WithEntry[], scope: Scope): Record<string, unknown> {
  const out: Record<string, unknown> = { ...scope };
  for (const e of entries) {
    if (e.kind === 'literal') out[e.key] = e.value;
    else if (e.kind === 'ref') setIfDefined(out, e.key, lookupIn(scope, e.name));
    else {
      const single = SINGLE.exec(e.template.source.trim());
      if (single) setIfDefined(out, e.key, lookupIn(scope, single[1]));
      else out[e.key] = renderTemplate(e.template, scopeLookup(scope)).text;
    }
  }
  return out;
}

function setIfDefined(out: Record<string, unknown>, key: string, v: unknown): void {
  if (v !== undefined) out[key] = v;
}
