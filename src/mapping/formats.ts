/**
 * @module mapping/formats — turns an upstream body (json, xml, yaml, csv/tsv/psv, html, markdown, text) into the JSON
 * tree that output mappings read, the way the reference engine reads each format.
 */

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseHtml, HTMLElement, type Node as HtmlNode } from 'node-html-parser';
import { parseDocument } from 'yaml';
import { GatewayError } from '../common/errors.ts';
import { isPlainObject } from '../common/json.ts';

export const RAW_FORMATS = ['json', 'xml', 'yaml', 'csv', 'tsv', 'psv', 'html', 'markdown', 'text'] as const;
export type RawFormat = (typeof RAW_FORMATS)[number];

export interface ParseOptions {
  /** html: CSS selector scoping which tables are read; markdown: heading prefix filter for sections. */
  outputSchema?: string;
  /** xml: dotted element paths below the dropped root (e.g. "vessel", "fleet.vessel") that are always arrays. */
  arrayPaths?: ReadonlySet<string>;
}

export function isRawFormat(x: string): x is RawFormat {
  return (RAW_FORMATS as readonly string[]).includes(x);
}

/** Parse an upstream body; throws GatewayError UPSTREAM_FORMAT (never echoing more than a short excerpt). */
export function parseBody(format: RawFormat, body: string, opts: ParseOptions = {}): unknown {
  switch (format) {
    case 'json':
      return parseJson(body);
    case 'xml':
      return parseXml(body, opts.arrayPaths);
    case 'yaml':
      return parseYaml(body);
    case 'csv':
      return parseDelimited(body, ',', format);
    case 'tsv':
      return parseDelimited(body, '\t', format);
    case 'psv':
      return parseDelimited(body, '|', format);
    case 'html':
      return parseHtmlTables(body, opts.outputSchema);
    case 'markdown':
      return parseMarkdown(body, opts.outputSchema);
    case 'text':
      return body;
    default:
      throw formatError(String(format), 'unsupported format');
  }
}

/** Load-time check of `outputSchema` for a format; returns a problem description or undefined. */
export function checkOutputSchema(format: RawFormat, outputSchema: string | undefined): string | undefined {
  if (format !== 'html' || outputSchema === undefined) return undefined;
  try {
    parseHtml('<p></p>').querySelectorAll(outputSchema);
    return undefined;
  } catch (err) {
    return `invalid CSS selector "${clip(outputSchema)}": ${clip(messageOf(err))}`;
  }
}

function formatError(format: string, why: string, cause?: unknown): GatewayError {
  return new GatewayError('UPSTREAM_FORMAT', `Upstream body is not valid ${format}: ${clip(why)}`, {
    details: { format },
    cause,
  });
}

// ---------------------------------------------------------------------------------------------
// json / yaml

function parseJson(body: string): unknown {
  if (body.trim() === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    throw formatError('json', messageOf(err));
  }
}

function parseYaml(body: string, format: RawFormat = 'yaml', context = ''): unknown {
  if (body.trim() === '') return undefined;
  // parseDocument reports a second document as an error instead of silently keeping the first.
  const doc = parseDocument(body, { uniqueKeys: true, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const why = first.code === 'MULTIPLE_DOCS' ? 'multiple documents are not supported' : first.message;
    throw formatError(format, context + why);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (err) {
    throw formatError(format, context + messageOf(err)); // alias bombs end here
  }
}

// ---------------------------------------------------------------------------------------------
// xml

const ATTRS = '@'; // cannot clash with an element name: '@' is not a legal XML name character
const TEXT = '#text';

function parseXml(body: string, arrayPaths: ReadonlySet<string> = new Set()): unknown {
  // Upstream APIs have no business declaring entities; refusing them outright rules out expansion attacks.
  if (/<!ENTITY/i.test(body)) throw formatError('xml', 'entity declarations are not allowed');
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw formatError('xml', `${valid.err.msg} (line ${valid.err.line}, col ${valid.err.col})`);
  let parsed: Record<string, unknown>;
  try {
    parsed = xmlParser(arrayPaths).parse(body) as Record<string, unknown>;
  } catch (err) {
    throw formatError('xml', messageOf(err));
  }
  const rootName = Object.keys(parsed)[0];
  if (rootName === undefined) throw formatError('xml', 'no root element');
  let tree = normalizeXml(parsed[rootName]);
  if (tree === '' && arrayPaths.size > 0) tree = {};
  for (const p of arrayPaths) ensureArray(tree, p.split('.'), 0);
  return tree;
}

function xmlParser(arrayPaths: ReadonlySet<string>): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributesGroupName: ATTRS,
    attributeNamePrefix: '',
    textNodeName: TEXT,
    parseTagValue: false, // leaf values stay strings, as the reference engine reads XML
    parseAttributeValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    removeNSPrefix: true,
    trimValues: true,
    processEntities: { enabled: true, maxEntityCount: 1, maxTotalExpansions: 1000, maxExpandedLength: 100_000 },
    isArray: (_name, jpath, _leaf, isAttribute) => !isAttribute && arrayPaths.has(belowRoot(String(jpath))),
  });
}

function belowRoot(jpath: string): string {
  const dot = jpath.indexOf('.');
  return dot < 0 ? '' : jpath.slice(dot + 1);
}

/**
 * Fold the attribute group into the element's fields. On a name clash the child element wins and
 * the attribute is dropped (elements carry the data in practice). Mixed text goes under "" as in
 * the reference engine's XML tree.
 */
function normalizeXml(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalizeXml);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  const attrs = (node as Record<string, unknown>)[ATTRS];
  if (attrs && typeof attrs === 'object') Object.assign(out, attrs);
  for (const [key, value] of Object.entries(node)) {
    if (key === ATTRS) continue;
    out[key === TEXT ? '' : key] = normalizeXml(value);
  }
  return out;
}

/** A path listed as "always array" whose parent exists but has no such child is an empty list. */
function ensureArray(node: unknown, path: readonly string[], i: number): void {
  if (Array.isArray(node)) {
    for (const item of node) ensureArray(item, path, i);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  const key = path[i]!;
  if (i === path.length - 1) {
    if (!Object.hasOwn(obj, key)) obj[key] = [];
    return;
  }
  if (obj[key] === '') obj[key] = {}; // an empty parent element is an object with no children
  ensureArray(obj[key], path, i + 1);
}

// ---------------------------------------------------------------------------------------------
// csv / tsv / psv

function parseDelimited(body: string, delimiter: string, format: RawFormat): Array<Record<string, string>> {
  let rows: string[][];
  try {
    rows = parseCsv(body, {
      delimiter,
      bom: true,
      relax_column_count: true, // ragged rows are padded below
      relax_quotes: true,
      skip_empty_lines: true,
    }) as string[][];
  } catch (err) {
    throw formatError(format, messageOf(err));
  }
  const [header, ...data] = rows;
  if (!header) return [];
  const names = header.map((h) => h.trim());
  return data.map((row) => {
    const obj: Record<string, string> = {};
    names.forEach((name, i) => (obj[name] = row[i] ?? ''));
    return obj;
  });
}

// ---------------------------------------------------------------------------------------------
// html

type TableRow = Array<Record<string, string>>;

function parseHtmlTables(body: string, selector: string | undefined): { tables: TableRow[] } {
  let tables: HTMLElement[];
  try {
    const root = parseHtml(body);
    tables = selector ? scopedTables(root.querySelectorAll(selector)) : root.querySelectorAll('table');
  } catch (err) {
    throw formatError('html', messageOf(err));
  }
  const out: TableRow[] = [];
  for (const table of tables) {
    const rows = readTable(table);
    if (rows) out.push(rows);
  }
  return { tables: out };
}

/** The selector may name tables or their containers; containers contribute the tables inside them. */
function scopedTables(matches: HTMLElement[]): HTMLElement[] {
  const seen = new Set<HTMLElement>();
  for (const el of matches) {
    const found = el.tagName === 'TABLE' ? [el] : el.querySelectorAll('table');
    for (const t of found) seen.add(t);
  }
  return [...seen];
}

function readTable(table: HTMLElement): TableRow | undefined {
  const rows = tableRows(table);
  const header = rows.find((r) => r.inHead) ?? rows.find((r) => r.cells.length > 0 && r.cells.every(isTh));
  if (!header) return undefined;
  const names = header.cells.map(cellText);
  return rows
    .filter((r) => r !== header && !r.inHead && r.cells.length > 0 && !r.cells.some(isTh))
    .map((r) => {
      const obj: Record<string, string> = {};
      names.forEach((name, i) => (obj[name] = r.cells[i] ? cellText(r.cells[i]) : ''));
      return obj;
    });
}

interface RowInfo {
  cells: HTMLElement[];
  inHead: boolean;
}

/** Rows of this table only (not of nested tables): direct `tr`s and those of thead/tbody/tfoot. */
function tableRows(table: HTMLElement): RowInfo[] {
  const rows: RowInfo[] = [];
  for (const child of elements(table.childNodes)) {
    if (child.tagName === 'TR') rows.push({ cells: rowCells(child), inHead: false });
    else if (['THEAD', 'TBODY', 'TFOOT'].includes(child.tagName)) {
      for (const tr of elements(child.childNodes)) {
        if (tr.tagName === 'TR') rows.push({ cells: rowCells(tr), inHead: child.tagName === 'THEAD' });
      }
    }
  }
  return rows;
}

function rowCells(tr: HTMLElement): HTMLElement[] {
  return elements(tr.childNodes).filter((c) => c.tagName === 'TD' || c.tagName === 'TH');
}

function elements(nodes: HtmlNode[]): HTMLElement[] {
  return nodes.filter((n): n is HTMLElement => n instanceof HTMLElement);
}

function isTh(cell: HTMLElement): boolean {
  return cell.tagName === 'TH';
}

/** Decoded text with whitespace runs collapsed, as browsers render it. */
function cellText(cell: HTMLElement): string {
  return cell.text.replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// markdown (a deliberately small walk: front matter, ATX headings, GitHub pipe tables, plain text)

interface MarkdownSection {
  heading: string;
  level: number;
  content: string;
}

interface MarkdownTree {
  frontMatter: Record<string, unknown>;
  tables: TableRow[];
  sections: MarkdownSection[];
}

function parseMarkdown(body: string, headingPrefix: string | undefined): MarkdownTree {
  const lines = body.replace(/^\uFEFF/, '').split(/\r?\n/);
  const { frontMatter, start } = readFrontMatter(lines);
  const tables: TableRow[] = [];
  const sections: MarkdownSection[] = [];
  let current: { section: MarkdownSection; blocks: string[] } | undefined;
  let paragraph: string[] = [];
  const endParagraph = (): void => {
    if (paragraph.length > 0 && current) current.blocks.push(paragraph.join(' '));
    paragraph = [];
  };
  const endSection = (): void => {
    endParagraph();
    if (current) {
      current.section.content = current.blocks.join('\n\n').trim();
      sections.push(current.section);
    }
  };
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    const heading = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (heading) {
      endSection();
      current = {
        section: { heading: inlineText(heading[2] ?? ''), level: heading[1]!.length, content: '' },
        blocks: [],
      };
      continue;
    }
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      endParagraph();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!); i++) code.push(lines[i]!);
      if (current && code.length > 0) current.blocks.push(code.join('\n'));
      continue;
    }
    if (isTableStart(lines, i)) {
      endParagraph();
      const [table, next] = readMarkdownTable(lines, i);
      tables.push(table);
      i = next - 1;
      continue;
    }
    if (line.trim() === '') endParagraph();
    else if (/^ {0,3}([-*_])( *\1){2,} *$/.test(line))
      endParagraph(); // thematic break
    else if (/^\s*([-*+]|\d+[.)])\s+/.test(line)) {
      endParagraph(); // each list item is its own line of text
      paragraph.push(inlineText(line.replace(/^\s*([-*+]|\d+[.)])\s+/, '')));
      endParagraph();
    } else paragraph.push(inlineText(line.replace(/^\s*>\s?/, '').trim()));
  }
  endSection();
  const kept = headingPrefix ? sections.filter((s) => s.heading.startsWith(headingPrefix)) : sections;
  return { frontMatter, tables, sections: kept };
}

function readFrontMatter(lines: string[]): { frontMatter: Record<string, unknown>; start: number } {
  if (lines[0]?.trimEnd() !== '---') return { frontMatter: {}, start: 0 };
  const end = lines.findIndex((l, i) => i > 0 && (l.trimEnd() === '---' || l.trimEnd() === '...'));
  if (end < 0) return { frontMatter: {}, start: 0 }; // an unclosed fence is a thematic break, not front matter
  const value = parseYaml(lines.slice(1, end).join('\n'), 'markdown', 'front matter: ');
  const isMap = isPlainObject(value);
  return { frontMatter: isMap ? (value as Record<string, unknown>) : {}, start: end + 1 };
}

const DELIMITER_ROW = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

function isTableStart(lines: string[], i: number): boolean {
  const head = lines[i]!;
  const delim = lines[i + 1];
  if (delim === undefined || !head.includes('|') || !DELIMITER_ROW.test(delim)) return false;
  return splitRow(head).length === splitRow(delim).length;
}

function readMarkdownTable(lines: string[], start: number): [TableRow, number] {
  const names = splitRow(lines[start]!).map(inlineText);
  const rows: TableRow = [];
  let i = start + 2;
  for (; i < lines.length && lines[i]!.trim() !== '' && lines[i]!.includes('|'); i++) {
    const cells = splitRow(lines[i]!);
    const obj: Record<string, string> = {};
    names.forEach((name, c) => (obj[name] = inlineText(cells[c] ?? '')));
    rows.push(obj);
  }
  return [rows, i];
}

/** Cells of a pipe-table row: outer pipes optional, `\|` is a literal pipe. */
function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  return s.split(/(?<!\\)\|/).map((c) => c.replace(/\\\|/g, '|').trim());
}

/** Plain text of inline markdown: images and links keep their text, code spans and emphasis lose their markers. */
function inlineText(s: string): string {
  return s
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\w)/g, '$1$2')
    .replace(/(^|\W)_(?=\S)(.+?)(?<=\S)_(?!\w)/g, '$1$2')
    .trim();
}

// ---------------------------------------------------------------------------------------------

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Error text may quote the body; keep at most ~100 characters of it. */
function clip(s: string): string {
  const oneLine = s.replace(/\s+/g, ' ');
  return oneLine.length > 100 ? `${oneLine.slice(0, 97)}...` : oneLine;
}
