/**
 * @module documents/yaml-issue — a problem found while reading YAML text, already located
 * (1-based line and column); the loader turns it into a `Problem`.
 */

export interface YamlIssue {
  readonly code: string;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly hint?: string;
}
