/**
 * @module mapping/template — compile `{{name}}` (Mustache-style) and, for paths and URLs,
 * `{name}` (OpenAPI-style) placeholders once; render many times with an encoder chosen by the
 * caller (path segment, JSON, XML, plain). Missing values are reported, never guessed.
 */

export interface TemplateVar {
  readonly name: string;
  /** Index of this placeholder among all parts; lets encoders know the surrounding text. */
  readonly index: number;
}

type Part = string | TemplateVar;

export interface Template {
  readonly source: string;
  readonly parts: readonly Part[];
  readonly vars: readonly string[];
  /** True when the template has no placeholders (render is then the identity). */
  readonly constant: boolean;
}

export type Lookup = (name: string) => unknown;
export type Encoder = (value: unknown, v: TemplateVar, t: Template) => string;

const DOUBLE = /\{\{\s*([^{}\s]+)\s*\}\}/g;
const EITHER = /\{\{\s*([^{}\s]+)\s*\}\}|\{([A-Za-z0-9_.$-]+)\}/g;

/** Compile once. `singleBrace` also treats `{name}` as a placeholder (paths, base URIs). */
export function compileTemplate(source: string, opts: { singleBrace?: boolean } = {}): Template {
  const re = new RegExp((opts.singleBrace ? EITHER : DOUBLE).source, 'g');
  const parts: Part[] = [];
  const vars: string[] = [];
  let last = 0;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    if (m.index > last) parts.push(source.slice(last, m.index));
    const name = (m[1] ?? m[2]).trim();
    parts.push({ name, index: parts.length });
    if (!vars.includes(name)) vars.push(name);
    last = m.index + m[0].length;
  }
  if (last < source.length) parts.push(source.slice(last));
  return Object.freeze({ source, parts: Object.freeze(parts), vars: Object.freeze(vars), constant: vars.length === 0 });
}

/** Plain text rendering: scalars as text, arrays/objects as JSON, missing as ''. */
export const textEncoder: Encoder = (value) => {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
};

/** One URL path segment: a value can never add `/`, `?`, `#` or walk up with `..`. */
export const pathSegmentEncoder: Encoder = (value) => {
  const s = textEncoder(value, { name: '', index: 0 }, EMPTY);
  if (s === '.' || s === '..') return s.replace(/\./g, '%2E');
  return encodeURIComponent(s);
};

/** XML text: escape markup characters. */
export const xmlEncoder: Encoder = (value) =>
  textEncoder(value, { name: '', index: 0 }, EMPTY).replace(/[<>&'"]/g, (c) => XML_ESCAPES[c]);

const XML_ESCAPES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };
const EMPTY = compileTemplate('');

/** Render with `lookup`; returns the text and the names that had no value. */
export function renderTemplate(
  t: Template,
  lookup: Lookup,
  encode: Encoder = textEncoder,
): { text: string; missing: string[] } {
  if (t.constant) return { text: t.source, missing: [] };
  let out = '';
  let missing: string[] | undefined;
  for (const part of t.parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const value = lookup(part.name);
    if (value === undefined) (missing ??= []).push(part.name);
    out += encode(value, part, t);
  }
  return { text: out, missing: missing ?? [] };
}
