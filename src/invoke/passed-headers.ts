/**
 * @module invoke/passed-headers — the few upstream response headers a result carries to the caller,
 * by a fixed whitelist: Location and Retry-After with a redirect, Retry-After with an error status, and
 * Location, Retry-After and Link with a success (a 201's new resource, a 202's operation to poll, paging links).
 * Nothing else of the upstream's headers leaves (cookies, server details, CORS, caching of another origin). URLs
 * pointing at the upstream are the REST exposer's to rewrite into its own routes (expose/rest/links.ts).
 */
import type { UpstreamResponse } from '../consume/http.ts';
import { isRedirect } from './redirect.ts';

const ON_REDIRECT = ['location', 'retry-after'] as const;
const ON_ERROR = ['retry-after'] as const;
const ON_SUCCESS = ['location', 'retry-after', 'link'] as const;

/** Header field values a Response accepts: visible Latin-1, spaces and tabs (anything else is dropped). */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export function passedHeaders(res: UpstreamResponse): Record<string, string> | undefined {
  const names = isRedirect(res.status) ? ON_REDIRECT : res.status >= 400 ? ON_ERROR : ON_SUCCESS;
  let out: Record<string, string> | undefined;
  for (const name of names) {
    const v = headerText(res.headers[name]);
    if (v !== undefined && FIELD_VALUE.test(v)) (out ??= {})[name] = v;
  }
  return out;
}

export function headerText(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
