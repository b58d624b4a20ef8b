/**
 * @module documents/problems — the located problem record every load/validate/plan step emits.
 * Problems are collected, never thrown, so one file can report all of its defects at once.
 */

export type Severity = 'error' | 'warning' | 'info';

export interface Problem {
  readonly code: string;
  readonly severity: Severity;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** JSON pointer into the document (RFC 6901), '' for the whole document. */
  readonly pointer: string;
  readonly message: string;
  readonly hint?: string;
  /**
   * For internal errors only: the original error, with its stack, for whoever debugs capgate.
   * Not enumerable, so it is never printed, serialised (`validate --json`) or copied by a spread.
   */
  readonly cause?: unknown;
}

/** Turns a JSON pointer into a 1-based line/column inside a source file. */
export type Locator = (pointer: string) => { line: number; column: number };

/** Collects problems for one file, locating each from its pointer. */
export class ProblemSink {
  readonly problems: Problem[] = [];
  #errors = 0;
  readonly #file: string;
  readonly #locate: Locator;

  constructor(file: string, locate: Locator) {
    this.#file = file;
    this.#locate = locate;
  }

  get file(): string {
    return this.#file;
  }

  add(severity: Severity, code: string, pointer: string, message: string, hint?: string): void {
    const { line, column } = this.#locate(pointer);
    const p: Problem = { code, severity, file: this.#file, line, column, pointer, message, ...(hint ? { hint } : {}) };
    this.push(p);
  }

  /** Record an already-located problem (e.g. from the YAML parser). */
  push(p: Problem): void {
    this.problems.push(p);
    if (p.severity === 'error') this.#errors++;
  }

  /** Number of errors so far: lets builders tell whether an element added any. */
  get errorCount(): number {
    return this.#errors;
  }

  /**
   * An error of capgate itself (a bug), told in the user's terms: `message` says what could not be
   * done; the thrown error is kept as the problem's non-enumerable `cause`, never in the message.
   */
  internalError(code: string, pointer: string, message: string, cause: unknown, hint?: string): void {
    const { line, column } = this.#locate(pointer);
    const p: Problem = {
      code,
      severity: 'error',
      file: this.#file,
      line,
      column,
      pointer,
      message,
      ...(hint ? { hint } : {}),
    };
    Object.defineProperty(p, 'cause', { value: cause, enumerable: false });
    this.push(p);
  }

  error(code: string, pointer: string, message: string, hint?: string): void {
    this.add('error', code, pointer, message, hint);
  }

  warn(code: string, pointer: string, message: string, hint?: string): void {
    this.add('warning', code, pointer, message, hint);
  }

  hasErrors(): boolean {
    return this.#errors > 0;
  }
}

/** Format one problem like a compiler: `file:line:col: error CODE message (hint)`. */
export function formatProblem(p: Problem): string {
  const where = p.pointer ? ` [${p.pointer}]` : '';
  const hint = p.hint ? `\n    hint: ${p.hint}` : '';
  return `${p.file}:${p.line}:${p.column}: ${p.severity} ${p.code} ${p.message}${where}${hint}`;
}
