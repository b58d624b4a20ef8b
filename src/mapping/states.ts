/**
 * @module mapping/states — whether an operation's state (read from an upstream answer) is one of the states a
 * capability lists: the same value, or the same text (a YAML `1` and an upstream's "1" name one state).
 */
export function isOneOf(states: readonly unknown[], value: unknown): boolean {
  return states.some((s) => s === value || String(s) === String(value));
}
