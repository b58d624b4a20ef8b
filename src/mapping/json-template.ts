/**
 * @module mapping/json-template — string bodies written as JSON text with `{{x}}` placeholders.
 * Placeholders are JSON-encoded according to where they sit, so a quote in a value can never
 * break the document (the reference engine pasted values raw). A missing value becomes `null`
 * when the placeholder is a whole JSON value or a whole string, and '' inside a longer string.
 */
import { compileTemplate, renderTemplate, type Template, type Encoder, type Lookup } from './template.ts';

interface Context {
  inString: boolean;
  /** The placeholder is the entire content of a JSON string literal: "{{x}}". */
  wholeString: boolean;
}

export interface JsonTemplate {
  readonly template: Template;
  readonly contexts: ReadonlyMap<number, Context>;
}

export function compileJsonTemplate(source: string): JsonTemplate {
  const template = compileTemplate(source);
  const contexts = new Map<number, Context>();
  let inString = false;
  template.parts.forEach((part, i) => {
    if (typeof part === 'string') {
      inString = scanStringState(part, inString);
      return;
    }
    const before = template.parts[i - 1];
    const after = template.parts[i + 1];
    const wholeString =
      inString &&
      typeof before === 'string' &&
      before.endsWith('"') &&
      typeof after === 'string' &&
      after.startsWith('"');
    contexts.set(part.index, { inString, wholeString });
  });
  return { template, contexts };
}

/** Track whether we end inside a JSON string literal after this literal chunk. */
function scanStringState(chunk: string, inString: boolean): boolean {
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk[i];
    if (inString && c === '\\') i++;
    else if (c === '"') inString = !inString;
  }
  return inString;
}

export function renderJsonTemplate(jt: JsonTemplate, lookup: Lookup): string {
  const encode: Encoder = (value, v) => {
    const ctx = jt.contexts.get(v.index) ?? { inString: false, wholeString: false };
    const text =
      value === undefined || value === null ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
    if (!ctx.inString) return value === undefined ? 'null' : JSON.stringify(value);
    if (ctx.wholeString && text === undefined) return NULL_MARK;
    return JSON.stringify(text ?? '').slice(1, -1);
  };
  const { text } = renderTemplate(jt.template, lookup, encode);
  return text.includes(NULL_MARK) ? text.split(`"${NULL_MARK}"`).join('null') : text;
}

/** Private marker for "replace the whole quoted string by null"; cannot occur in encoded values. */
const NULL_MARK = '\u0000capgate-null\u0000';
