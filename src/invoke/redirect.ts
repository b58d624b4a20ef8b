/**
 * @module invoke/redirect — an upstream 3xx is never followed (that could silently carry a request,
 * and its credentials, to another host) and never mistaken for success. Where the caller cannot
 * follow it itself (mapped outputs, steps, MCP), it is this error: the status and only the origin
 * of the Location, since its path and query may carry tokens.
 */
import { GatewayError } from '../common/errors.ts';

export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}

export interface RedirectAt {
  /** `<namespace>.<operation>` of the consumed call. */
  readonly operation?: string;
  readonly step?: string;
}

export function redirectError(status: number, location: string | undefined, at: RedirectAt = {}): GatewayError {
  const target = redirectTarget(location);
  const who = at.step
    ? `step '${at.step}' (${at.operation}): upstream`
    : at.operation
      ? `upstream operation ${at.operation}`
      : 'the upstream';
  return new GatewayError(
    'UPSTREAM_REDIRECT',
    `${who} answered ${status} ${target.text}; capgate does not follow upstream redirects`,
    {
      details: {
        upstreamStatus: status,
        ...(target.origin ? { redirectOrigin: target.origin } : {}),
        ...(at.operation ? { operation: at.operation } : {}),
        ...(at.step ? { step: at.step } : {}),
      },
    },
  );
}

/** Where a Location points, said without its path or query. */
function redirectTarget(location: string | undefined): { text: string; origin?: string } {
  if (!location) return { text: 'with no Location' };
  let url: URL;
  try {
    url = new URL(location, SAME);
  } catch {
    return { text: 'with an unreadable Location' };
  }
  if (url.origin === SAME) return { text: 'redirecting to another path on the same upstream' };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { text: 'redirecting to a non-HTTP location' };
  return { text: `redirecting to ${url.origin}`, origin: url.origin };
}

/** Base that a relative Location resolves against: resolving to it means "the same upstream". */
const SAME = 'https://same-upstream.invalid';
