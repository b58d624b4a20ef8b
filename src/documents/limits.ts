/**
 * @module documents/limits — how much a capability file may ask of the loader. Real files stay far
 * below every limit (the 824-file corpus: largest file 115 KB, deepest nesting 20, no anchors or
 * aliases, at most 7,316 nodes); hostile ones (alias bombs, million-deep nesting, tens of
 * thousands of anchors, FIFOs and devices) are refused fast with a located problem instead of
 * hanging the process or exhausting its memory.
 */

export interface LoadLimits {
  /** Largest file read, in bytes (capability, imported and bind files). Default 4 MiB. */
  readonly maxFileBytes: number;
  /** Deepest nesting of YAML collections and scalars. Default 100. */
  readonly maxDepth: number;
  /** Most anchors (`&name`) in one file. Default 1,000. */
  readonly maxAnchors: number;
  /** Most aliases (`*name`) in one file. Default 1,000. */
  readonly maxAliases: number;
  /** Most nodes aliases may add to a file when expanded (what an alias bomb multiplies). Default 100,000. */
  readonly maxAliasNodes: number;
}

export const DEFAULT_LOAD_LIMITS: LoadLimits = Object.freeze({
  maxFileBytes: 4 * 1024 * 1024,
  maxDepth: 100,
  maxAnchors: 1000,
  maxAliases: 1000,
  maxAliasNodes: 100_000,
});

/** The defaults with the given overrides. */
export function loadLimits(overrides: Partial<LoadLimits> = {}): LoadLimits {
  return Object.freeze({ ...DEFAULT_LOAD_LIMITS, ...overrides });
}

/** The hint every limit problem carries: which limit, its value, and that it can be raised. */
export function limitHint(name: keyof LoadLimits, limits: LoadLimits): string {
  return `limit ${name} = ${limits[name]} (raise it with the loader option limits.${name}); real capability files stay far below it`;
}
