/**
 * @module documents/fast-locate — find the line:column of a JSON pointer in block-style YAML by
 * reading indentation only, without building a syntax tree. Real capability files are almost
 * all block style; whenever the text is anything else (flow collections, anchors, odd keys) the
 * function answers `undefined` and the caller falls back to the full `yaml` parser. Positions
 * match that parser's: a map entry is located at its key, a sequence item at its content.
 */

interface Cursor {
  /** 0-based line of the block's first entry. */
  readonly line: number;
  /** Column where the block's entries start. */
  readonly col: number;
  /** Exclusive end line of the block. */
  readonly end: number;
}

export interface FastPosition {
  readonly line: number;
  readonly column: number;
}

const KEY =
  /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s"'#:{}[\],&*!|>%@`-][^#:]*?|-[^\s#:][^#:]*?))[ \t]*:(?=[ \t]|$)/;

/**
 * Per-line indentation, computed once per file: -1 for blank and comment lines. Locating many
 * problems in one large file then costs integer comparisons, not string scans.
 */
const indents = new WeakMap<readonly string[], Int32Array>();

function indentTable(lines: readonly string[]): Int32Array {
  let t = indents.get(lines);
  if (!t) {
    t = new Int32Array(lines.length);
    for (let l = 0; l < lines.length; l++) t[l] = isContentText(lines[l]) ? indentOfText(lines[l]) : -1;
    indents.set(lines, t);
  }
  return t;
}

/** The text being located: its lines and their indentation table. */
interface Doc {
  readonly lines: readonly string[];
  readonly ind: Int32Array;
}

/** 1-based position for `segments`, or undefined when the text is not plain block YAML. */
export function fastLocate(lines: readonly string[], segments: readonly string[]): FastPosition | undefined {
  const doc: Doc = { lines, ind: indentTable(lines) };
  const first = nextContent(doc, 0, lines.length);
  if (first < 0) return { line: 1, column: 1 };
  let cur: Cursor = { line: first, col: indentOf(lines[first]), end: lines.length };
  let pos = { line: first, col: cur.col };
  for (let i = 0; i < segments.length; i++) {
    const step = childOf(doc, cur, segments[i]);
    if (step === null) return undefined;
    if (step === undefined) break;
    pos = step.pos;
    if (!step.child) {
      // A flow collection cannot be walked by indentation: only its own position is known.
      return step.opaque && i < segments.length - 1 ? undefined : toPosition(pos);
    }
    cur = step.child;
  }
  return toPosition(pos);
}

function toPosition(p: { line: number; col: number }): FastPosition {
  return { line: p.line + 1, column: p.col + 1 };
}

type Step = { pos: { line: number; col: number }; child?: Cursor; opaque?: boolean };

/** The child entry named `seg`: undefined = absent (stop here), null = cannot tell (fallback). */
function childOf(doc: Doc, cur: Cursor, seg: string): Step | undefined | null {
  const entries = entriesOf(doc, cur);
  if (!entries) return null;
  const isSeq = doc.lines[entries[0]].charAt(cur.col) === '-' && /^-(\s|$)/.test(doc.lines[entries[0]].slice(cur.col));
  return isSeq ? seqChild(doc, cur, entries, seg) : mapChild(doc, cur, entries, seg);
}

/** Line numbers of the block's entries (the first one may sit inline after `- `). */
function entriesOf(doc: Doc, cur: Cursor): number[] | null {
  const out = [cur.line];
  for (let l = cur.line + 1; l < cur.end; l++) {
    const ind = doc.ind[l];
    if (ind < 0) continue;
    if (ind < cur.col) return null;
    if (ind === cur.col) out.push(l);
  }
  return out;
}

function seqChild(doc: Doc, cur: Cursor, entries: number[], seg: string): Step | undefined | null {
  if (!/^\d+$/.test(seg)) return undefined;
  const l = entries[Number(seg)];
  if (l === undefined) return undefined;
  const text = doc.lines[l];
  if (!/^-(\s|$)/.test(text.slice(cur.col))) return null;
  const end = entryEnd(doc, l, cur.col, cur.end, true);
  const after = text.slice(cur.col + 1);
  const inline = after.search(/\S/);
  if (inline >= 0 && after.charAt(inline) !== '#') {
    const col = cur.col + 1 + inline;
    const c = text.charAt(col);
    if ('[{&*!|>"\''.includes(c) || c === '-') return { pos: { line: l, col }, opaque: true };
    return { pos: { line: l, col }, child: { line: l, col, end } };
  }
  const next = nextContent(doc, l + 1, end);
  if (next < 0) return { pos: { line: l, col: cur.col } };
  const col = indentOf(doc.lines[next]);
  return { pos: { line: next, col }, child: { line: next, col, end } };
}

function mapChild(doc: Doc, cur: Cursor, entries: number[], seg: string): Step | undefined | null {
  for (const l of entries) {
    const text = doc.lines[l];
    // Dash lines at the map's own indentation belong to the previous key's sequence.
    if (/^-(\s|$)/.test(text.slice(cur.col))) continue;
    const m = KEY.exec(text.slice(cur.col));
    if (!m) return null;
    const key = m[1] !== undefined ? unescapeDouble(m[1]) : m[2] !== undefined ? m[2].replace(/''/g, "'") : m[3].trim();
    if (key !== seg) continue;
    const end = entryEnd(doc, l, cur.col, cur.end, false);
    const rest = text.slice(cur.col + m[0].length);
    const valueAt = rest.search(/\S/);
    const pos = { line: l, col: cur.col };
    if (valueAt >= 0 && rest.charAt(valueAt) !== '#') {
      // An inline scalar is a leaf; flow collections, anchors and tags are left to the parser.
      return '[{&*!'.includes(rest.charAt(valueAt)) ? { pos, opaque: true } : { pos };
    }
    const next = nextContent(doc, l + 1, end);
    if (next < 0) return { pos };
    const col = indentOf(doc.lines[next]);
    return { pos, child: { line: next, col, end } };
  }
  return undefined;
}

/** Where the entry starting on line `l` at column `col` ends (exclusive). */
function entryEnd(doc: Doc, l: number, col: number, blockEnd: number, isSeqItem: boolean): number {
  for (let k = l + 1; k < blockEnd; k++) {
    const ind = doc.ind[k];
    if (ind < 0) continue;
    if (ind < col) return k;
    // A map key's value may be a sequence written at the key's own indentation.
    if (ind === col && (isSeqItem || doc.lines[k].charAt(col) !== '-')) return k;
  }
  return blockEnd;
}

function nextContent(doc: Doc, from: number, end: number): number {
  for (let l = from; l < end; l++) {
    if (doc.ind[l] >= 0 && !/^(---|\.\.\.|%)/.test(doc.lines[l])) return l;
  }
  return -1;
}

function indentOf(line: string): number {
  return indentOfText(line);
}

function isContentText(line: string): boolean {
  const i = line.search(/\S/);
  return i >= 0 && line.charAt(i) !== '#';
}

function indentOfText(line: string): number {
  const i = line.search(/[^ ]/);
  return i < 0 ? line.length : i;
}

function unescapeDouble(s: string): string {
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
}
