/**
 * @module plan/vars — recognise bind (secret) variables inside templates. `{{VAR}}` with an
 * UPPER_SNAKE name, `{{env.VAR}}` and `{{<bind-namespace>.VAR}}` all name bind variables.
 */
import type { CapabilityPlan } from '../plan/types.ts';

const UPPER_SNAKE = /^[A-Z][A-Z0-9_]*$/;

export function isBindName(name: string): boolean {
  return UPPER_SNAKE.test(name);
}

/** The bind variable a template variable refers to, or undefined if it is a request value. */
export function bindVarOf(name: string, cap: CapabilityPlan): string | undefined {
  if (cap.declaredVars.has(name)) return name;
  const dot = name.indexOf('.');
  if (dot > 0) {
    const ns = name.slice(0, dot);
    const rest = name.slice(dot + 1);
    if (isBindName(rest) && (ns === 'env' || cap.binds.some((b) => b.namespace === ns))) return rest;
  }
  return isBindName(name) ? name : undefined;
}
