/**
 * @module secrets/names — recognise bind (secret) variables inside templates. `{{VAR}}` with an
 * UPPER_SNAKE name, `{{env.VAR}}` and `{{<bind-namespace>.VAR}}` all name bind variables; the
 * planner uses this to check declarations, the request builder to inject values.
 */
import type { SecretOwner } from './types.ts';

const UPPER_SNAKE = /^[A-Z][A-Z0-9_]*$/;

export function isBindName(name: string): boolean {
  return UPPER_SNAKE.test(name);
}

/** The bind variable a template variable refers to, or undefined if it is a request value. */
export function bindVarOf(name: string, owner: SecretOwner): string | undefined {
  if (owner.declaredVars.has(name)) return name;
  const dot = name.indexOf('.');
  if (dot > 0) {
    const ns = name.slice(0, dot);
    const rest = name.slice(dot + 1);
    if (isBindName(rest) && (ns === 'env' || owner.binds.some((b) => b.namespace === ns))) return rest;
  }
  return isBindName(name) ? name : undefined;
}

/** The declared bind variable a template variable names, or undefined (request value or undeclared). */
export function declaredBindOf(name: string, owner: SecretOwner): string | undefined {
  const bind = bindVarOf(name, owner);
  return bind !== undefined && owner.declaredVars.has(bind) ? bind : undefined;
}
