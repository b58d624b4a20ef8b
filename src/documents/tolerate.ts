/**
 * @module documents/tolerate — rewrite real-world spellings whose meaning is obvious into the form the
 * schema describes, with one located warning per kind and file (README "Tolerance policy"). Runs after
 * the legacy rewrites and before schema validation; anything not listed here is left for the schema
 * to judge, so a spelling that would make a request wrong is still rejected there.
 */
import type { ProblemSink } from './problems.ts';
import { pointerOf } from '../common/json-pointer.ts';
import { isPlainObject as isObject } from '../common/json.ts';

type Obj = Record<string, unknown>;

/** Rewrite the tolerated spellings of every consumer (capability `consumes` or a root library). */
export function rewriteTolerated(doc: Obj, sink: ProblemSink): void {
  const warned = new Set<string>();
  const warnOnce = (code: string, pointer: string, message: string, hint: string) => {
    if (warned.has(code)) return;
    warned.add(code);
    sink.warn(code, pointer, `${message} (reported once per file)`, hint);
  };
  const cap = isObject(doc.capability) ? doc.capability : undefined;
  const lists: Array<[unknown, string[]]> = [
    [cap?.consumes, ['capability', 'consumes']],
    [doc.consumes, ['consumes']],
  ];
  for (const [list, base] of lists) {
    if (!Array.isArray(list)) continue;
    list.forEach((consumer, ci) => {
      if (!isObject(consumer)) return;
      const at = (...rest: Array<string | number>) => pointerOf(...base, ci, ...rest);
      rewriteAuth(consumer, at('authentication'), warnOnce);
      forEachOperation(consumer, (op, ri, oi) =>
        rewriteBody(op, at('resources', ri, 'operations', oi, 'body', 'type'), warnOnce),
      );
    });
  }
}

type WarnOnce = (code: string, pointer: string, message: string, hint: string) => void;

function forEachOperation(consumer: Obj, fn: (op: Obj, ri: number, oi: number) => void): void {
  if (!Array.isArray(consumer.resources)) return;
  consumer.resources.forEach((res, ri) => {
    if (isObject(res) && Array.isArray(res.operations))
      res.operations.forEach((op, oi) => {
        if (isObject(op)) fn(op, ri, oi);
      });
  });
}

/** `body: {type: form}` is the form body everyone means: `formUrlEncoded`. */
function rewriteBody(op: Obj, pointer: string, warnOnce: WarnOnce): void {
  if (!isObject(op.body) || op.body.type !== 'form') return;
  op.body.type = 'formUrlEncoded';
  warnOnce(
    'BODY_TYPE_ALIAS',
    pointer,
    "body type 'form' read as 'formUrlEncoded' (an application/x-www-form-urlencoded body)",
    'write `type: formUrlEncoded`',
  );
}

/**
 * Upstream authentication spelled the OpenAPI way (`apikey` with `in`/`name`), a bearer token given
 * as `value` (with the only placement a bearer token has), and `type: none` (no authentication).
 * Placements capgate cannot honour (`in: cookie`, a bearer token in the query) are left as written,
 * so the schema rejects them.
 */
function rewriteAuth(consumer: Obj, pointer: string, warnOnce: WarnOnce): void {
  const auth = consumer.authentication;
  if (!isObject(auth)) return;
  if (auth.type === 'none' && Object.keys(auth).length === 1) {
    delete consumer.authentication;
    warnOnce(
      'AUTH_NONE',
      pointer,
      '`authentication: {type: none}` read as no authentication',
      'remove the authentication block',
    );
    return;
  }
  if (
    auth.type === 'apikey' &&
    (auth.in === 'header' || auth.in === 'query') &&
    typeof auth.name === 'string' &&
    auth.key === undefined &&
    auth.placement === undefined
  ) {
    auth.key = auth.name;
    auth.placement = auth.in;
    delete auth.name;
    delete auth.in;
    warnOnce(
      'AUTH_FIELD_ALIAS',
      pointer,
      'apikey `in`/`name` (OpenAPI spelling) read as `placement`/`key`',
      'write `key: <header or query name>`, `placement: header|query`',
    );
  } else if (
    auth.type === 'bearer' &&
    typeof auth.value === 'string' &&
    auth.token === undefined &&
    (auth.placement === undefined || auth.placement === 'header')
  ) {
    auth.token = auth.value;
    delete auth.value;
    delete auth.placement;
    warnOnce(
      'AUTH_FIELD_ALIAS',
      pointer,
      'bearer `value` read as `token` (sent in the Authorization header)',
      'write `token: <value>`',
    );
  }
}
