/**
 * @module expose/rest/forward-path — the path remainder and query string of a forward route's
 * request exactly as the client sent them. Hono's `path` parameter is percent-decoded (`a%2Fb`
 * would become two segments) and a URLSearchParams round trip rewrites a query (`flag` → `flag=`,
 * `%20` → `+`), so both are cut from the raw request URL instead.
 */

/** Where a forward route's `{path}` sits in its Hono path: how many segments come before and after it. */
interface Cut {
  readonly before: number;
  readonly after: number;
}

const cuts = new Map<string, Cut | null>();

function cutOf(routePath: string): Cut | null {
  let cut = cuts.get(routePath);
  if (cut === undefined) {
    const segments = routePath.split('/');
    const i = segments.findIndex((s) => s.startsWith(':path{'));
    cut = i < 0 ? null : { before: i, after: segments.length - 1 - i };
    cuts.set(routePath, cut);
  }
  return cut;
}

/**
 * The raw remainder (no leading slash) and raw query (no `?`) of `url` for the forward route at
 * `routePath`; `decoded` gives the remainder when the route has no `{path}` segment to cut at.
 * Every segment before the remainder matched one route segment, so counting segments finds it.
 */
export function forwardRemainder(
  url: string,
  routePath: string,
  decoded: () => string,
): { path: string; query: string } {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const hash = url.indexOf('#', start);
  const end = hash < 0 ? url.length : hash;
  const q = url.indexOf('?', start);
  const hasQuery = q >= 0 && q < end;
  const query = hasQuery ? url.slice(q + 1, end) : '';
  const cut = cutOf(routePath);
  if (!cut || start < 0) return { path: decoded(), query };
  const segments = url.slice(start, hasQuery ? q : end).split('/');
  return { path: segments.slice(cut.before, segments.length - cut.after).join('/'), query };
}
