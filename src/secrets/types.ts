/**
 * @module secrets/types — the shapes the secrets module works on. A capability is a SecretOwner:
 * its file, its `binds` declarations and the variable names they declare. Structural, so this
 * module depends on no layer above it.
 */

/** One `binds` entry: variable names read from the environment or from a file's keys. */
export interface BindDeclaration {
  readonly namespace: string;
  readonly location?: string;
  /** variable name (UPPER_SNAKE) → environment variable or file key it reads. */
  readonly keys: Readonly<Record<string, string>>;
  readonly source: { readonly file: string; readonly pointer: string };
  /** variable name → where it is declared (`…/keys/NAME`), for located missing-value problems. */
  readonly keyPositions?: Readonly<Record<string, { readonly line: number; readonly column: number }>>;
  /** variable name → JSON pointer of that place, when it is not `<source.pointer>/keys/NAME` (implicit binds). */
  readonly keyPointers?: Readonly<Record<string, string>>;
}

export interface SecretOwner {
  /** Display path of the capability file (relative bind locations resolve against it). */
  readonly file: string;
  readonly binds: readonly BindDeclaration[];
  /** Every bind variable name the binds declare. */
  readonly declaredVars: ReadonlySet<string>;
}

export interface SecretValues {
  readonly values: ReadonlyMap<string, string>;
  /** Variable name → why it is missing (names the env var or file key, never a value). */
  readonly missing: ReadonlyMap<string, string>;
  /**
   * Missing variables whose bind file exists but can never give values (not a regular file, too
   * large, not parseable, not a map): a configuration error, unlike a value not provided yet.
   */
  readonly unusable?: ReadonlySet<string>;
}
