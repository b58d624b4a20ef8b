/**
 * @module documents/yaml-source — parse YAML text into plain data plus a pointer → line:column locator.
 * Duplicate keys, syntax errors and broken limits become located issues; nothing here knows about Naftiko.
 *
 * Two parsers, one result: plain block-style files (nearly all real ones) are read with js-yaml 4
 * (about 14× faster than `yaml` on the corpus, which dominated load time; js-yaml 5 is ~3× slower
 * than 4 here) and located by
 * indentation (fast-locate.ts); anything else — anchors, tags, several documents, any error —
 * goes through `yaml`, which keeps a full syntax tree with positions and gives the precise
 * messages. Both use the YAML 1.2 core schema, so the data is the same.
 *
 * Hostile input is stopped early (limits.ts): the size before parsing, the depth while js-yaml
 * parses, and on the full path the anchors, aliases and depth on the tokens (yaml-scan.ts) and the
 * alias expansion on the tree (yaml-tree.ts) before any data is built. Aliases are only ever
 * resolved by the full parser after that check, so no path expands them without a limit.
 */
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node } from 'yaml';
import { load as loadFast, CORE_SCHEMA, type LoadOptions } from 'js-yaml';
import type { Locator } from './problems.ts';
import { segmentsOf } from '../common/json-pointer.ts';
import { fastLocate } from './fast-locate.ts';
import { DEFAULT_LOAD_LIMITS, limitHint, type LoadLimits } from './limits.ts';
import type { YamlIssue } from './yaml-issue.ts';
import { scanYaml } from './yaml-scan.ts';
import { checkTree } from './yaml-tree.ts';

export type { YamlIssue } from './yaml-issue.ts';

export interface YamlSource {
  readonly data: unknown;
  readonly locate: Locator;
  readonly issues: YamlIssue[];
}

/**
 * What may be an anchor (`&` then any non-space, non-flow-indicator character: YAML anchor names
 * are not limited to ASCII), a tag or a merge key: leave those to the full parser. Aliases need an
 * anchor, so `*` alone (markdown emphasis in descriptions) does not count. This is only a shortcut;
 * js-yaml's own anchor table decides exactly (see parseFast).
 */
const NEEDS_FULL_PARSER = /(^|[\s[{,:\uFEFF])&[^\s,[\]{}]|(^|[\s[{,])!{1,2}[\w:/.-]*(?=\s)|<<\s*:/m;

export function parseYamlSource(text: string, limits: LoadLimits = DEFAULT_LOAD_LIMITS): YamlSource {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxFileBytes)
    return failed({
      code: 'FILE_TOO_LARGE',
      message: `file is ${bytes} bytes, more than the ${limits.maxFileBytes} a capability file may have`,
      line: 1,
      column: 1,
      hint: limitHint('maxFileBytes', limits),
    });
  if (!NEEDS_FULL_PARSER.test(text)) {
    const fast = parseFast(text, limits);
    if (fast) return fast;
  }
  return parseFull(text, limits);
}

/** The result for text that was not (or not fully) parsed: its issues, located already. */
function failed(issue: YamlIssue): YamlSource {
  return { data: undefined, locate: () => ({ line: 1, column: 1 }), issues: [issue] };
}

/** js-yaml's parser state as the listener sees it (its typings omit these fields). */
interface FastState {
  readonly depth: number;
  readonly line: number;
  readonly position: number;
  readonly lineStart: number;
  readonly anchorMap?: Record<string, unknown>;
}

/** Thrown from the listener to stop js-yaml. */
const STOP = new Error('stopped');

/**
 * js-yaml for plain files. Undefined sends the text to the full parser: any error (the full parser
 * words it better), or any anchor (js-yaml shares aliased data without counting it; the full path
 * checks what aliases expand to). Too deep a nesting is reported from here, before js-yaml recurses
 * any further.
 */
function parseFast(text: string, limits: LoadLimits): YamlSource | undefined {
  let data: unknown;
  let state: FastState | undefined;
  let tooDeep: YamlIssue | undefined;
  const options = {
    schema: CORE_SCHEMA,
    // json: false makes duplicate keys an error, as in the full parser.
    json: false,
    // js-yaml has its own depth limit (default 100); ours must speak first, so its message is ours.
    maxDepth: limits.maxDepth + 1,
    listener(event: 'open' | 'close', s: unknown) {
      state = s as FastState;
      if (event === 'open' && state.depth > limits.maxDepth) {
        tooDeep = {
          code: 'YAML_TOO_DEEP',
          message: `nesting deeper than ${limits.maxDepth} levels`,
          line: state.line + 1,
          column: state.position - state.lineStart + 1,
          hint: limitHint('maxDepth', limits),
        };
        throw STOP;
      }
    },
  };
  try {
    data = loadFast(text, options as LoadOptions);
  } catch {
    return tooDeep ? failed(tooDeep) : undefined;
  }
  if (state?.anchorMap && Object.keys(state.anchorMap).length) return undefined;
  const lines = text.split(/\r?\n/);
  let full: YamlSource | undefined;
  const locate: Locator = (pointer) => {
    const hit = fastLocate(lines, segmentsOf(pointer));
    if (hit) return hit;
    full ??= parseFull(text, limits);
    return full.locate(pointer);
  };
  return { data, locate, issues: [] };
}

/**
 * Parse with a full syntax tree; the locator walks it lazily, only when a problem needs a position.
 * The limits are checked on the tokens before the tree is built and on the tree before it becomes data.
 */
function parseFull(text: string, limits: LoadLimits): YamlSource {
  const early = scanYaml(text, limits);
  if (early) return failed(early);
  const lineCounter = new LineCounter();
  // Duplicate keys are found by checkTree in linear time; the parser's own check is quadratic.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const issues: YamlIssue[] = doc.errors.map((e) => {
    // linePos is only filled with prettyErrors; the offset always is.
    const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos?.[0] ?? 0);
    return { code: 'YAML_SYNTAX', message: firstLine(e.message), line: pos.line, column: pos.col };
  });
  if (!issues.length) issues.push(...checkTree(doc.contents as Node | null, limits, lineCounter));
  let data: unknown;
  try {
    // checkTree bounded what the aliases expand to; the parser's own count is quadratic in the aliases.
    data = issues.length ? undefined : doc.toJS({ maxAliasCount: -1 });
  } catch (err) {
    issues.push({ code: 'YAML_SYNTAX', message: firstLine((err as Error).message), line: 1, column: 1 });
  }
  const locate: Locator = (pointer) => {
    const offset = offsetOf(doc.contents as Node | null, segmentsOf(pointer));
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return { data, locate, issues };
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}

/** Offset of the deepest existing node on the pointer's path (falls back to the nearest ancestor). */
function offsetOf(root: Node | null, segments: string[]): number {
  let node: unknown = root;
  let offset = rangeStart(root);
  for (const seg of segments) {
    const next = childOf(node, seg);
    if (!next) break;
    offset = next.offset;
    node = next.node;
  }
  return offset;
}

function childOf(node: unknown, seg: string): { node: unknown; offset: number } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (key === seg) {
        // Point at the key: that is where a reader looks for "this property".
        return { node: pair.value, offset: rangeStart(pair.key as Node) };
      }
    }
    return undefined;
  }
  if (isSeq(node)) {
    const item = node.items[Number(seg)];
    return item ? { node: item, offset: rangeStart(item as Node) } : undefined;
  }
  return undefined;
}

function rangeStart(node: Node | null | undefined): number {
  return (node && node.range && node.range[0]) || 0;
}
