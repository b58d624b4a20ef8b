/**
 * @module expose/rest/links — upstream `Location` and `Link` URLs in the gateway's terms. A URL that points at the
 * upstream (relative, or on the upstream's base URL) becomes the path of the GET route serving the same consumed
 * operation, its path variables carried over through the route's `with`; one no route serves is dropped from a
 * success answer (the caller could not follow it) and left as it was on a redirect. URLs elsewhere pass unchanged.
 */
import type { ConsumedOperationPlan, RestRoutePlan, UpstreamPlan } from '../../plan/types.ts';
import { isRedirect } from '../../invoke/redirect.ts';

/** The base URL an upstream is called at, when known without a request (an override, or a constant baseUri). */
export type BaseOf = (upstream: UpstreamPlan) => string | undefined;

export interface LinkRewriter {
  /** The headers with Location and Link rewritten for a result of `upstream`'s call answered with `status`. */
  rewrite(upstream: UpstreamPlan | undefined, status: number, headers: Record<string, string>): Record<string, string>;
}

interface Reverse {
  readonly regex: RegExp;
  readonly vars: readonly string[];
  /** The route path with `{input}` placeholders and, per placeholder, the operation variable feeding it. */
  readonly target: ReadonlyArray<string | { readonly opVar: string }>;
}

const SAME = 'https://same-upstream.invalid';

export function createLinkRewriter(routes: readonly RestRoutePlan[], baseOf: BaseOf): LinkRewriter {
  const byUpstream = new Map<UpstreamPlan, Reverse[]>();
  for (const route of routes) {
    const op = route.operation;
    if (route.method !== 'GET' || op.action.kind !== 'call' || op.action.op.method !== 'GET') continue;
    const reverse = reverseOf(route, op.action.op);
    if (!reverse) continue;
    const list = byUpstream.get(op.action.op.upstream) ?? [];
    list.push(reverse);
    byUpstream.set(op.action.op.upstream, list);
  }
  const toGateway = (upstream: UpstreamPlan | undefined, url: string): string | null | undefined => {
    let parsed: URL;
    try {
      parsed = new URL(url, SAME);
    } catch {
      return undefined;
    }
    const base = upstream ? baseOf(upstream) : undefined;
    let baseUrl: URL | undefined;
    try {
      baseUrl = base ? new URL(base) : undefined;
    } catch {
      baseUrl = undefined;
    }
    const relative = parsed.origin === SAME;
    if (!relative && (!baseUrl || parsed.origin !== baseUrl.origin)) return undefined; // elsewhere: unchanged
    const basePath = baseUrl ? baseUrl.pathname.replace(/\/+$/, '') : '';
    let path = parsed.pathname;
    if (basePath && (path === basePath || path.startsWith(`${basePath}/`))) path = path.slice(basePath.length);
    for (const r of (upstream && byUpstream.get(upstream)) ?? []) {
      const m = r.regex.exec(path);
      if (!m) continue;
      const values = new Map(r.vars.map((v, i) => [v, m[i + 1]]));
      return r.target.map((p) => (typeof p === 'string' ? p : values.get(p.opVar)!)).join('');
    }
    return null; // the upstream's, but no route serves it
  };
  return {
    rewrite(upstream, status, headers) {
      if (headers.location === undefined && headers.link === undefined) return headers;
      const keepUnserved = isRedirect(status);
      const out = { ...headers };
      if (out.location !== undefined) {
        const to = toGateway(upstream, out.location);
        if (to) out.location = to;
        else if (to === null && !keepUnserved) delete out.location;
      }
      if (out.link !== undefined) {
        const links: string[] = [];
        for (const m of out.link.matchAll(/<([^>]*)>([^,]*)/g)) {
          const to = toGateway(upstream, m[1]);
          if (to === null) continue;
          links.push(`<${to ?? m[1]}>${m[2]}`);
        }
        if (links.length) out.link = links.join(', ');
        else delete out.link;
      }
      return out;
    },
  };
}

/**
 * How to read the operation's path back into the route's: each route path variable must be fed, through a `with`
 * reference, by a variable of the consumed path (else the route cannot be named from the URL alone).
 */
function reverseOf(route: RestRoutePlan, op: ConsumedOperationPlan): Reverse | undefined {
  const vars: string[] = [];
  let pattern = '^';
  let last = 0;
  const source = op.path.source;
  for (const m of source.matchAll(/\{\{?\s*([^{}\s]+)\s*\}?\}/g)) {
    pattern += escape(source.slice(last, m.index)) + '([^/?#]+)';
    vars.push(m[1]);
    last = m.index + m[0].length;
  }
  pattern += escape(source.slice(last)) + '/?$';
  const feeds = new Map<string, string>(); // route input → operation variable
  for (const w of route.operation.with) {
    const opVar = vars.find((v) => loose(v) === loose(w.key));
    if (w.kind === 'ref' && opVar) feeds.set(loose(w.name), opVar);
  }
  for (const v of vars) if (![...feeds.values()].includes(v)) feeds.set(loose(v), v);
  const target: Array<string | { opVar: string }> = [];
  last = 0;
  for (const m of route.specPath.matchAll(/\{([^{}]+)\}/g)) {
    target.push(route.specPath.slice(last, m.index));
    const opVar = feeds.get(loose(m[1]));
    if (!opVar) return undefined;
    target.push({ opVar });
    last = m.index + m[0].length;
  }
  target.push(route.specPath.slice(last));
  return { regex: new RegExp(pattern), vars, target };
}

function loose(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
