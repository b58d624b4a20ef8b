/**
 * @module documents/yaml-source — parse YAML text into plain data plus a pointer → line:column locator.
 * Duplicate keys and syntax errors become problems; nothing here knows about Naftiko.
 *
 * Two parsers, one result: plain block-style files (nearly all real ones) are read with js-yaml 4
 * (about 14× faster than `yaml` on the corpus, which dominated load time; js-yaml 5 is ~3× slower
 * than 4 here) and located by
 * indentation (fast-locate.ts); anything else — anchors, tags, several documents, any error —
 * goes through `yaml`, which keeps a full syntax tree with positions and gives the precise
 * messages. Both use the YAML 1.2 core schema, so the data is the same.
 */
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node } from 'yaml';
import { load as loadFast, CORE_SCHEMA } from 'js-yaml';
import type { Locator } from './problems.ts';
import { segmentsOf } from '../common/json-pointer.ts';
import { fastLocate } from './fast-locate.ts';

export interface YamlIssue {
  code: 'YAML_SYNTAX' | 'YAML_DUPLICATE_KEY';
  message: string;
  line: number;
  column: number;
}

export interface YamlSource {
  readonly data: unknown;
  readonly locate: Locator;
  readonly issues: YamlIssue[];
}

/** Anchors, aliases, tags or merge keys (or what looks like them): leave those to the full parser. */
const NEEDS_FULL_PARSER = /(^|[\s[{,])([&*][\w.-]+(?=[\s,\]}]|$)|!{1,2}[\w:/.-]*(?=\s))|<<\s*:/m;

export function parseYamlSource(text: string): YamlSource {
  if (!NEEDS_FULL_PARSER.test(text)) {
    const fast = parseFast(text);
    if (fast) return fast;
  }
  return parseFull(text);
}

function parseFast(text: string): YamlSource | undefined {
  let data: unknown;
  try {
    // json: false makes duplicate keys an error, as in the full parser.
    data = loadFast(text, { schema: CORE_SCHEMA, json: false });
  } catch {
    return undefined;
  }
  const lines = text.split(/\r?\n/);
  let full: YamlSource | undefined;
  const locate: Locator = (pointer) => {
    const hit = fastLocate(lines, segmentsOf(pointer));
    if (hit) return hit;
    full ??= parseFull(text);
    return full.locate(pointer);
  };
  return { data, locate, issues: [] };
}

/** Parse with a full syntax tree; the locator walks it lazily, only when a problem needs a position. */
function parseFull(text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const issues: YamlIssue[] = doc.errors.map((e) => {
    // linePos is only filled with prettyErrors; the offset always is.
    const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos?.[0] ?? 0);
    const code = e.code === 'DUPLICATE_KEY' ? 'YAML_DUPLICATE_KEY' : 'YAML_SYNTAX';
    return { code, message: firstLine(e.message), line: pos.line, column: pos.col };
  });
  let data: unknown;
  try {
    data = issues.length ? undefined : doc.toJS({ maxAliasCount: 100 });
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
