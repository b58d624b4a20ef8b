/**
 * @module secrets/inject — where secret values enter requests: a template lookup that answers
 * bind variables from the resolved secrets first and everything else from the request scope, so
 * a request parameter can never impersonate a secret; and rendering of the secret-bearing text
 * fields of `authentication` blocks (consumed and exposed alike).
 */
import { compileTemplate, renderTemplate, type Lookup, type Template } from '../mapping/template.ts';
import { lookupIn, type Scope } from '../mapping/scope.ts';
import { declaredBindOf } from './names.ts';
import type { SecretOwner, SecretValues } from './types.ts';

/** Lookup for request templates: declared bind variables from `secrets`, then the scope. */
export function secretLookup(owner: SecretOwner, secrets: SecretValues, scope: Scope): Lookup {
  return (name) => {
    const bind = declaredBindOf(name, owner);
    return bind !== undefined ? secrets.values.get(bind) : lookupIn(scope, name);
  };
}

/** Auth fields are few and fixed per file: each distinct text is compiled once, rendered per use. */
const compiled = new Map<string, Template>();

/** Render one text field (`{{VAR}}` placeholders allowed); reports the variables that had no value. */
export function renderSecretText(text: string, lookup: Lookup): { text: string; missing: string[] } {
  if (!text.includes('{{')) return { text, missing: [] };
  let t = compiled.get(text);
  if (!t) compiled.set(text, (t = compileTemplate(text)));
  return renderTemplate(t, lookup);
}
