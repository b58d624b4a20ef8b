/**
 * @module documents/load — one file in, one normalised and schema-checked document out, with every
 * problem located. Imports of shared consumes files are resolved here (see imports.ts).
 */
import path from 'node:path';
import { ProblemSink, type Locator, type Problem } from './problems.ts';
import { parseYamlSource } from './yaml-source.ts';
import { classify, rewriteLegacy, type DocumentKind, type SpecVersion } from './normalize.ts';
import { rewriteTolerated } from './tolerate.ts';
import { validateSchema } from './schema.ts';
import type { CapabilityDocument } from './types.ts';
import type { FileSystem } from './files.ts';

export interface LoadedDocument {
  /** Absolute path of the file. */
  readonly path: string;
  /** Path shown to users (relative to the working directory when inside it). */
  readonly file: string;
  readonly kind?: DocumentKind;
  readonly version?: SpecVersion;
  /** Normalised data; undefined when the file could not be read as a Naftiko document. */
  readonly doc?: CapabilityDocument;
  /** False when the schema rejected the document: semantic checks then stay shallow. */
  readonly schemaValid: boolean;
  readonly sink: ProblemSink;
  /** JSON pointer → line:column in this file (1:1 when the file could not be parsed). */
  readonly locate: Locator;
}

/** Display path: relative to cwd when that is shorter, so compiler-style output stays readable. */
export function displayPath(abs: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') ? rel : abs;
}

export async function loadDocument(abs: string, fs: FileSystem): Promise<LoadedDocument> {
  const file = displayPath(abs);
  let text: string;
  try {
    text = await fs.readFile(abs);
  } catch (err) {
    const sink = new ProblemSink(file, () => ({ line: 1, column: 1 }));
    sink.error('FILE_UNREADABLE', '', `cannot read file: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    return { path: abs, file, schemaValid: false, sink, locate: nowhere };
  }
  return parseDocumentText(abs, text);
}

/** Parse, classify, normalise and schema-check one document's text. */
export function parseDocumentText(abs: string, text: string): LoadedDocument {
  const file = displayPath(abs);
  const src = parseYamlSource(text);
  const sink = new ProblemSink(file, src.locate);
  for (const issue of src.issues) {
    sink.push(yamlProblem(file, issue.code, issue.message, issue.line, issue.column));
  }
  const locate = src.locate;
  if (src.issues.length) return { path: abs, file, schemaValid: false, sink, locate };
  const cls = classify(src.data, sink);
  if (!cls) return { path: abs, file, schemaValid: false, sink, locate };
  // toJS built fresh objects owned by this call only: rewrite them in place, no copy needed.
  const doc = src.data as Record<string, unknown>;
  rewriteLegacy(doc, sink);
  rewriteTolerated(doc, sink);
  const issues = validateSchema(doc);
  for (const i of issues)
    sink.error(
      'SCHEMA',
      i.pointer,
      i.message,
      i.message.includes('did you mean') ? undefined : schemaHint(i.keyword, i.params),
    );
  return {
    path: abs,
    file,
    kind: cls.kind,
    version: cls.version,
    doc: doc as unknown as CapabilityDocument,
    schemaValid: issues.length === 0,
    sink,
    locate,
  };
}

const nowhere: Locator = () => ({ line: 1, column: 1 });

function yamlProblem(file: string, code: string, message: string, line: number, column: number): Problem {
  const hint =
    code === 'YAML_DUPLICATE_KEY' ? 'each key may appear once per mapping; remove or rename the duplicate' : undefined;
  return { code, severity: 'error', file, line, column, pointer: '', message, ...(hint ? { hint } : {}) };
}

function schemaHint(keyword: string, params: Record<string, unknown>): string | undefined {
  if (keyword === 'additionalProperties' && typeof params.suggestion === 'string')
    return `did you mean '${params.suggestion}'?`;
  return undefined;
}
