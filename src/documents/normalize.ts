/**
 * @module documents/normalize — recognise the document kind and version, then rewrite legacy forms
 * (0.4/0.5/alpha1 spellings) into the alpha3 shape the schema describes, warning at each site.
 * Runs before schema validation; mutates a private copy of the parsed data.
 */
import type { ProblemSink } from './problems.ts';
import { escapeSegment, pointerOf } from '../common/json-pointer.ts';
import { isPlainObject as isObject } from '../common/json.ts';

export const SUPPORTED_VERSIONS = ['1.0.0-alpha1', '1.0.0-alpha2', '1.0.0-alpha3'] as const;
export type SpecVersion = (typeof SUPPORTED_VERSIONS)[number];

export type DocumentKind = 'capability' | 'consumes-library';

type Obj = Record<string, unknown>;

/** Decide what the document is; report why it cannot be read when it is not a Naftiko document. */
export function classify(data: unknown, sink: ProblemSink): { kind: DocumentKind; version: SpecVersion } | undefined {
  if (!isObject(data)) {
    sink.error('DOC_NOT_MAPPING', '', 'a capability document must be a YAML mapping at its root');
    return undefined;
  }
  if ('ikanos' in data && !('naftiko' in data)) {
    sink.error(
      'DOC_IKANOS',
      '/ikanos',
      'this is an Ikanos document (the renamed successor of Naftiko, with keyed maps, `display` and `flows`); capgate reads Naftiko 1.0.0-alpha1…alpha3',
      'rewrite it with a `naftiko:` root (collections as arrays with `name`, `label` instead of `display`, `functions` instead of `flows`, `location` instead of `from`)',
    );
    return undefined;
  }
  if (!('naftiko' in data) && !('capability' in data) && !('consumes' in data)) {
    // Bind files (secrets.yaml) and other YAML living next to capabilities: not ours, not broken.
    sink.add('info', 'NOT_NAFTIKO', '', 'not a Naftiko document (no `naftiko` key); skipped');
    return undefined;
  }
  if (!('naftiko' in data)) {
    sink.error(
      'DOC_NO_VERSION',
      '',
      'missing the `naftiko` version key; this does not look like a Naftiko capability',
      'add `naftiko: "1.0.0-alpha3"` at the top',
    );
    return undefined;
  }
  const version = checkVersion(data.naftiko, sink);
  if (!version) return undefined;
  if (isObject(data.capability)) return { kind: 'capability', version };
  if (Array.isArray(data.consumes)) return { kind: 'consumes-library', version };
  sink.error(
    'DOC_NO_CAPABILITY',
    '',
    'the document has neither a `capability` block nor a root `consumes` list',
    'add `capability: { consumes: [...], exposes: [...] }`',
  );
  return undefined;
}

function checkVersion(raw: unknown, sink: ProblemSink): SpecVersion | undefined {
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof text === 'string' && (SUPPORTED_VERSIONS as readonly string[]).includes(text)) return text as SpecVersion;
  const supported = SUPPORTED_VERSIONS.join(', ');
  if (text === '0.4' || text === '0.5') {
    sink.error(
      'DOC_VERSION_UNSUPPORTED',
      '/naftiko',
      `Naftiko ${text} documents are not supported; supported versions: ${supported}`,
      text === '0.4'
        ? 'since 0.5 the expose type `api` is `rest`; since 1.0.0-alpha1 `externalRefs` is `binds` (namespace, location, keys); then set `naftiko: "1.0.0-alpha3"`'
        : 'since 1.0.0-alpha1 root `externalRefs` became `binds` (`name`→`namespace`, `uri`→`location`, keys named in UPPER_SNAKE_CASE); then set `naftiko: "1.0.0-alpha3"`',
    );
    return undefined;
  }
  const shown = typeof text === 'string' ? `"${text}"` : JSON.stringify(raw);
  sink.error(
    'DOC_VERSION_UNSUPPORTED',
    '/naftiko',
    `unsupported Naftiko version ${shown}; supported versions: ${supported}`,
    'use `naftiko: "1.0.0-alpha3"`',
  );
  return undefined;
}

/** Apply the legacy rewrites in place (on a copy the caller owns). */
export function rewriteLegacy(doc: Obj, sink: ProblemSink): void {
  doc.naftiko = String(doc.naftiko);
  renameExternalRefs(doc, sink);
  const cap = isObject(doc.capability) ? doc.capability : undefined;
  if (cap && Array.isArray(cap.exposes)) {
    cap.exposes.forEach((e, i) => {
      if (isObject(e) && e.type === 'api') {
        e.type = 'rest';
        sink.warn(
          'LEGACY_EXPOSE_API',
          pointerOf('capability', 'exposes', i, 'type'),
          "expose type 'api' was renamed 'rest' in Naftiko 0.5; read as 'rest'",
        );
      }
    });
  }
  walk(doc, '', sink);
}

function renameExternalRefs(doc: Obj, sink: ProblemSink): void {
  if (!Array.isArray(doc.externalRefs)) return;
  const binds = doc.externalRefs.map((ref) => {
    if (!isObject(ref)) return ref;
    const { name, uri, type: _type, resolution: _resolution, ...rest } = ref;
    return { namespace: name, ...(uri ? { location: uri } : {}), ...rest };
  });
  doc.binds = [...(Array.isArray(doc.binds) ? doc.binds : []), ...binds];
  delete doc.externalRefs;
  sink.warn(
    'LEGACY_EXTERNAL_REFS',
    '/externalRefs',
    '`externalRefs` was renamed `binds` in 1.0.0-alpha1; read as `binds` (name→namespace, uri→location)',
  );
}

/** Rewrite `const` → literal `value` and list-form `items` → its first element, anywhere. */
function walk(node: unknown, pointer: string, sink: ProblemSink): void {
  if (Array.isArray(node)) {
    node.forEach((child, i) => walk(child, `${pointer}/${i}`, sink));
    return;
  }
  if (!isObject(node)) return;
  if ('const' in node && !('value' in node) && isOutputLike(node)) {
    const value = String(node.const);
    node.value = value;
    // A `const` was never a template: keep any `{{` in it literal.
    if (value.includes('{{')) node['x-capgate-literal'] = true;
    delete node.const;
    sink.warn(
      'LEGACY_CONST',
      `${pointer}/const`,
      '`const` is superseded by `value` since 1.0.0-alpha2; read as a literal `value`',
    );
  }
  if (Array.isArray(node.items) && 'type' in node) {
    const items = node.items;
    node.items = items[0];
    sink.warn(
      'LEGACY_ITEMS_LIST',
      `${pointer}/items`,
      '`items` should be a single parameter, not a list; using the first element' +
        (items.length > 1 ? ` (ignoring ${items.length - 1} more)` : ''),
    );
  }
  for (const [key, child] of Object.entries(node)) walk(child, `${pointer}/${escapeSegment(key)}`, sink);
}

function isOutputLike(node: Obj): boolean {
  return 'type' in node || 'name' in node;
}
