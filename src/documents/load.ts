/**
 * @module documents/load — one file in, one normalised and schema-checked document out, with every
 * problem located. Imports of shared consumes files are resolved here (see imports.ts).
 */
import path from 'node:path';
import { ProblemSink, type Locator, type Problem } from './problems.ts';
import { parseYamlSource, type YamlIssue } from './yaml-source.ts';
import { classify, rewriteLegacy, type DocumentKind, type SpecVersion } from './normalize.ts';
import { rewriteTolerated } from './tolerate.ts';
import { validateSchema } from './schema.ts';
import type { CapabilityDocument } from './types.ts';
import type { FileSystem } from './files.ts';
import { DEFAULT_LOAD_LIMITS, limitHint, type LoadLimits } from './limits.ts';

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

/** Read, parse and check one file; never throws: every failure is a located problem. */
export async function loadDocument(
  abs: string,
  fs: FileSystem,
  limits: LoadLimits = DEFAULT_LOAD_LIMITS,
): Promise<LoadedDocument> {
  const file = displayPath(abs);
  let text: string;
  try {
    text = await fs.readFile(abs, limits.maxFileBytes);
  } catch (err) {
    return unreadable(abs, file, (err as NodeJS.ErrnoException)?.code, limits);
  }
  return parseDocumentText(abs, text, limits);
}

/** Parse, classify, normalise and schema-check one document's text; never throws. */
export function parseDocumentText(abs: string, text: string, limits: LoadLimits = DEFAULT_LOAD_LIMITS): LoadedDocument {
  try {
    return parseChecked(abs, text, limits);
  } catch (err) {
    // A bug of ours, not a problem in the file: say so, keep the original error for whoever debugs it.
    const sink = new ProblemSink(displayPath(abs), nowhere);
    sink.internalError(
      'LOAD_FAILED',
      '',
      'capgate could not load this file because of an internal error (a capgate bug, not a problem in the file)',
      err,
      'please report it with this file; the other files are not affected',
    );
    return { path: abs, file: sink.file, schemaValid: false, sink, locate: nowhere };
  }
}

function parseChecked(abs: string, text: string, limits: LoadLimits): LoadedDocument {
  const file = displayPath(abs);
  const src = parseYamlSource(text, limits);
  const sink = new ProblemSink(file, src.locate);
  for (const issue of src.issues) sink.push(yamlProblem(file, issue));
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

/** A file that could not be read: why, in the user's terms. */
function unreadable(abs: string, file: string, code: string | undefined, limits: LoadLimits): LoadedDocument {
  const sink = new ProblemSink(file, nowhere);
  if (code === 'ENOTREG')
    sink.error(
      'FILE_NOT_REGULAR',
      '',
      'not a regular file (a FIFO, device or socket): capgate reads capability files only from regular files',
      'point capgate at the file itself; reading a FIFO or a device would block or never end',
    );
  else if (code === 'EFBIG')
    sink.error(
      'FILE_TOO_LARGE',
      '',
      `file is larger than the ${limits.maxFileBytes} bytes a capability file may have`,
      limitHint('maxFileBytes', limits),
    );
  else sink.error('FILE_UNREADABLE', '', `cannot read file: ${code ?? 'error'}`);
  return { path: abs, file, schemaValid: false, sink, locate: nowhere };
}

const nowhere: Locator = () => ({ line: 1, column: 1 });

function yamlProblem(file: string, issue: YamlIssue): Problem {
  const { code, message, line, column } = issue;
  const hint =
    issue.hint ??
    (code === 'YAML_DUPLICATE_KEY'
      ? 'each key may appear once per mapping; remove or rename the duplicate'
      : undefined);
  return { code, severity: 'error', file, line, column, pointer: '', message, ...(hint ? { hint } : {}) };
}

function schemaHint(keyword: string, params: Record<string, unknown>): string | undefined {
  if (keyword === 'additionalProperties' && typeof params.suggestion === 'string')
    return `did you mean '${params.suggestion}'?`;
  return undefined;
}
