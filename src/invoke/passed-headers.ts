/**
 * @module invoke/passed-headers — the few upstream response headers a result carries to the caller,
 * by a fixed whitelist: Location and Retry-After with a redirect, Retry-After with an error status.
 * Nothing else of the upstream's headers leaves (cookies, server details, CORS, caching of another
 * origin). Link is deliberately not passed: its URLs point at the upstream and would first need
 * rewriting to the gateway's own. Success statuses pass none, so the common path pays nothing.
 */
import type { UpstreamResponse } from '../consume/http.ts';
import { isRedirect } from './redirect.ts';

const ON_REDIRECT = ['location', 'retry-after'] as const;
const ON_ERROR = ['retry-after'] as const;

/** Header field values a Response accepts: visible Latin-1, spaces and tabs (anything else is dropped). */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export function passedHeaders(res: UpstreamResponse): Record<string, string> | undefined {
  const names = isRedirect(res.status) ? ON_REDIRECT : res.status >= 400 ? ON_ERROR : undefined;
  if (!names) return undefined;
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
