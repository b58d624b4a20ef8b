/**
 * @module plan/implicit-env — `{{env.VAR}}` that no binds entry declares, in the fields where bind
 * variables are injected (base URI, authentication, headers, parameter values, bodies): read from the
 * environment variable VAR, as if `VAR: VAR` were declared under an env binds entry, with one located
 * warning per variable.
 *
 * Only the explicit `env.` prefix says "the environment"; a bare `{{VAR}}` or `{{ns.VAR}}` that
 * nothing declares stays BIND_UNDECLARED, and so does `{{env.VAR}}` when the document's `env` binds
 * namespace is a bind file (the key is then missing from that file's declaration). The variable
 * joins the declared ones, so it is answered from the resolved secrets before any request value (a
 * caller can never supply it), and a missing value is reported like a declared one's
 * (BIND_MISSING_VALUE at load, SECRET_MISSING where the upstream needs it).
 */
import type { LoadedDocument } from '../documents/load.ts';
import type { ConsumedParamSpec } from '../documents/types.ts';
import { isPlainObject as isObject } from '../common/json.ts';
import { escapeSegment, pointerOf } from '../common/json-pointer.ts';
import { compileTemplate } from '../mapping/template.ts';
import type { BindPlan } from './types.ts';

const ENV_VAR = /^env\.([A-Z][A-Z0-9_]*)$/;

/** The implicit env binds entry of a document, or undefined when it uses none. */
export function implicitEnvBinds(loaded: LoadedDocument, declared: readonly BindPlan[]): BindPlan | undefined {
  const cap = loaded.doc?.capability;
  if (!isObject(cap)) return undefined;
  if (declared.some((b) => b.namespace === 'env' && b.location !== undefined)) return undefined;
  const known = new Set(declared.flatMap((b) => Object.keys(b.keys)));
  const uses = new Map<string, string>();
  const visit = (text: unknown, pointer: string, singleBrace = false) => {
    if (typeof text !== 'string' || !text.includes('{')) return;
    for (const v of compileTemplate(text, { singleBrace }).vars) {
      const name = ENV_VAR.exec(v)?.[1];
      if (name && !known.has(name) && !uses.has(name)) uses.set(name, pointer);
    }
  };
  (Array.isArray(cap.consumes) ? cap.consumes : []).forEach((c, i) => {
    if (isObject(c) && !('location' in c)) visitConsumer(c, pointerOf('capability', 'consumes', i), visit);
  });
  (Array.isArray(cap.exposes) ? cap.exposes : []).forEach((e, i) => {
    if (isObject(e)) visitAuth(e.authentication, pointerOf('capability', 'exposes', i, 'authentication'), visit);
  });
  if (!uses.size) return undefined;
  for (const [name, pointer] of uses) {
    loaded.sink.warn(
      'BIND_IMPLICIT_ENV',
      pointer,
      `'{{env.${name}}}' names ${name}, which no binds entry declares; reading it from the environment variable ${name}`,
      `declare it: binds: [{ namespace: env, keys: { ${name}: ${name} } }]`,
    );
  }
  const names = [...uses.keys()];
  const [first] = uses.values();
  return {
    namespace: 'env',
    keys: Object.fromEntries(names.map((n) => [n, n])),
    source: { file: loaded.file, pointer: first },
    keyPositions: Object.fromEntries(names.map((n) => [n, loaded.locate(uses.get(n)!)])),
    keyPointers: Object.fromEntries(uses),
  };
}

type Visit = (text: unknown, pointer: string, singleBrace?: boolean) => void;

/** The fields of a consumer whose templates may name bind variables. */
function visitConsumer(c: Record<string, unknown>, base: string, visit: Visit): void {
  visit(c.baseUri, `${base}/baseUri`, true);
  visitAuth(c.authentication, `${base}/authentication`, visit);
  if (isObject(c.headers))
    for (const [h, v] of Object.entries(c.headers)) visit(v, `${base}/headers/${escapeSegment(h)}`);
  visitParams(c.inputParameters, `${base}/inputParameters`, visit);
  (Array.isArray(c.resources) ? c.resources : []).forEach((r, ri) => {
    if (!isObject(r)) return;
    const rp = `${base}/resources/${ri}`;
    visitParams(r.inputParameters, `${rp}/inputParameters`, visit);
    (Array.isArray(r.operations) ? r.operations : []).forEach((o, oi) => {
      if (!isObject(o)) return;
      visitParams(o.inputParameters, `${rp}/operations/${oi}/inputParameters`, visit);
      visitStrings(o.body, `${rp}/operations/${oi}/body`, visit);
    });
  });
}

function visitAuth(auth: unknown, base: string, visit: Visit): void {
  if (!isObject(auth)) return;
  for (const [k, v] of Object.entries(auth)) {
    if (k === 'headers' && isObject(v))
      for (const [h, hv] of Object.entries(v)) visit(hv, `${base}/headers/${escapeSegment(h)}`);
    else visit(v, `${base}/${escapeSegment(k)}`);
  }
}

function visitParams(list: unknown, base: string, visit: Visit): void {
  if (!Array.isArray(list)) return;
  list.forEach((p: ConsumedParamSpec, i) => {
    if (isObject(p)) visit(p.value, `${base}/${i}/value`);
  });
}

/** Every string of a body (raw text, or the leaves of structured data). */
function visitStrings(node: unknown, pointer: string, visit: Visit): void {
  if (typeof node === 'string') visit(node, pointer);
  else if (Array.isArray(node)) node.forEach((v, i) => visitStrings(v, `${pointer}/${i}`, visit));
  else if (isObject(node))
    for (const [k, v] of Object.entries(node)) visitStrings(v, `${pointer}/${escapeSegment(k)}`, visit);
}
