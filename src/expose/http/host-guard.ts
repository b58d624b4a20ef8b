/**
 * @module expose/http/host-guard — DNS-rebinding and cross-site protection both exposers apply
 * before anything else: the Host allow-list (loopback names when bound to loopback, plus the
 * configured hosts) and the Origin allow-list. Each exposer answers a refusal in its own protocol.
 */

export interface HostGuardOptions {
  /** The address the port listens on, e.g. '127.0.0.1' or '0.0.0.0'. */
  readonly bindAddress: string;
  /** Host header allow-list (`name` or `name:port`); when bound to loopback, loopback names (any port) always pass. */
  readonly allowedHosts?: readonly string[];
  /** Exact origins allowed; when bound to loopback, loopback origins pass too. Requests with no Origin always pass. */
  readonly allowedOrigins?: readonly string[];
}

/** Why a request was refused, and a message safe to send back. */
export interface Refusal {
  readonly reason: 'host' | 'origin';
  readonly message: string;
}

export interface HostGuard {
  /** A refusal when Host or (a present) Origin is not allowed, else undefined. */
  check(host: string | undefined, origin: string | undefined): Refusal | undefined;
  originAllowed(origin: string): boolean;
  /** Whether the origin is one of the configured allowedOrigins (the only ones that may be sent CORS headers). */
  originListed(origin: string): boolean;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackAddress(addr: string): boolean {
  const a = addr.replace(/^\[|\]$/g, '');
  return a === 'localhost' || a === '::1' || /^127\.\d+\.\d+\.\d+$/.test(a);
}

/** `host[:port]` → lower-cased hostname (IPv6 kept in brackets) and port string. */
function splitHost(hostHeader: string): { hostname: string; port: string } {
  const h = hostHeader.trim().toLowerCase();
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(h);
  return m ? { hostname: m[1], port: m[2] ?? '' } : { hostname: h, port: '' };
}

export function createHostGuard(opts: HostGuardOptions): HostGuard {
  const loopback = isLoopbackAddress(opts.bindAddress);
  const hostEntries = (opts.allowedHosts ?? []).map((h) => splitHost(h));
  const checkHosts = loopback || opts.allowedHosts !== undefined;
  const origins = new Set(opts.allowedOrigins ?? []);

  // Clients send the same Host on every request: remember the last verdict instead of re-parsing it.
  let lastHost: string | undefined;
  let lastVerdict = false;

  function hostAllowed(hostHeader: string | undefined): boolean {
    if (!checkHosts) return true;
    if (!hostHeader) return false;
    if (hostHeader === lastHost) return lastVerdict;
    const { hostname, port } = splitHost(hostHeader);
    const verdict =
      (loopback && LOOPBACK_NAMES.has(hostname)) ||
      hostEntries.some((e) => e.hostname === hostname && (e.port === '' || e.port === port));
    lastHost = hostHeader;
    lastVerdict = verdict;
    return verdict;
  }

  function originAllowed(origin: string): boolean {
    if (origins.has(origin)) return true;
    if (!loopback) return false;
    try {
      return LOOPBACK_NAMES.has(new URL(origin).hostname);
    } catch {
      return false;
    }
  }

  return {
    originAllowed,
    originListed: (origin) => origins.has(origin),
    check(host, origin) {
      if (!hostAllowed(host)) return { reason: 'host', message: `Invalid Host: ${host ?? '(missing)'}` };
      if (origin !== undefined && !originAllowed(origin))
        return { reason: 'origin', message: `Invalid Origin: ${origin}` };
      return undefined;
    },
  };
}
