/**
 * @module expose/mcp/protocol/era — decides whether one inbound message speaks the 2025 (`initialize`) or the
 * 2026-07-28 (per-request envelope) protocol, and rejects header/body disagreements the way the SDK does.
 */
import { HEADER_MISMATCH, INVALID_PARAMS, TRANSPORT_ERROR, UNSUPPORTED_VERSION } from './jsonrpc.ts';
import { isPlainObject } from '../../../common/json.ts';
import {
  CLIENT_CAPABILITIES_META,
  LEGACY_VERSIONS,
  MODERN_VERSIONS,
  PROTOCOL_VERSION_META,
  isModernVersion,
  isSupportedLegacy,
  isSupportedModern,
  type Era,
} from './versions.ts';

/** The protocol headers of one HTTP request (all undefined on stdio). */
export interface ProtocolHeaders {
  version?: string;
  method?: string;
  name?: string;
}

export interface EraRejection {
  status: number;
  code: number;
  message: string;
  data?: unknown;
}
export type EraOutcome = { era: Era; rejection?: undefined } | { era?: undefined; rejection: EraRejection };

/** Methods whose `Mcp-Name` header mirrors a body field (SEP-2243). */
const NAME_SOURCE: Record<string, string> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};

function metaOf(params: unknown): Record<string, unknown> | undefined {
  return isPlainObject(params) && isPlainObject(params._meta) ? params._meta : undefined;
}

function mismatch(detail: string, header: string): EraRejection {
  return {
    status: 400,
    code: HEADER_MISMATCH,
    message: `Bad Request: the request headers and body disagree: ${detail}`,
    data: { mismatch: { header, body: detail } },
  };
}

/** First problem of a 2026-07-28 `_meta` envelope, or undefined when it is well-formed. */
function envelopeProblem(meta: Record<string, unknown>): { key: string; problem: string } | undefined {
  if (!(PROTOCOL_VERSION_META in meta)) return { key: PROTOCOL_VERSION_META, problem: 'missing' };
  if (!(CLIENT_CAPABILITIES_META in meta)) return { key: CLIENT_CAPABILITIES_META, problem: 'missing' };
  if (typeof meta[PROTOCOL_VERSION_META] !== 'string')
    return { key: PROTOCOL_VERSION_META, problem: 'expected a protocol version string' };
  if (!isPlainObject(meta[CLIENT_CAPABILITIES_META]))
    return { key: CLIENT_CAPABILITIES_META, problem: 'expected an object' };
  return undefined;
}

/** Decode the `=?base64?…?=` sentinel some clients use for non-ASCII header values. */
function decodeHeaderValue(v: string): string | undefined {
  if (!(v.startsWith('=?base64?') && v.endsWith('?='))) return v;
  const b64 = v.slice(9, -2);
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(b64)) return undefined;
  return Buffer.from(b64, 'base64').toString('utf8');
}

/** SEP-2243 presence and Mcp-Name checks for a modern request over HTTP. */
function checkModernHeaders(
  method: string,
  params: unknown,
  h: ProtocolHeaders,
  claimed: string,
): EraRejection | undefined {
  if (h.version === undefined)
    return mismatch(
      `the body envelope names protocol version ${claimed} but the required MCP-Protocol-Version header is absent`,
      '(missing)',
    );
  if (h.method === undefined)
    return mismatch(`the body names method ${method} but the required Mcp-Method header is absent`, '(missing)');
  const field = Object.hasOwn(NAME_SOURCE, method) ? NAME_SOURCE[method] : undefined;
  if (field === undefined) return undefined;
  const raw = isPlainObject(params) ? params[field] : undefined;
  const bodyValue = typeof raw === 'string' ? raw : undefined;
  if (h.name === undefined) {
    return bodyValue === undefined
      ? undefined
      : mismatch(
          `the body carries params.${field}="${bodyValue}" but the required Mcp-Name header is absent`,
          '(missing)',
        );
  }
  const decoded = decodeHeaderValue(h.name);
  if (decoded === undefined) return mismatch('the Mcp-Name header carries an invalid Base64 sentinel value', h.name);
  if (bodyValue !== undefined && decoded !== bodyValue) {
    return mismatch(
      `the body carries params.${field}="${bodyValue}" but the Mcp-Name header names "${decoded}"`,
      h.name,
    );
  }
  return undefined;
}

function legacyOutcome(h: ProtocolHeaders | undefined): EraOutcome {
  if (h?.version !== undefined && !isSupportedLegacy(h.version)) {
    return {
      rejection: {
        status: 400,
        code: TRANSPORT_ERROR,
        message: `Bad Request: Unsupported protocol version: ${h.version} (supported versions: ${[...MODERN_VERSIONS, ...LEGACY_VERSIONS].join(', ')})`,
      },
    };
  }
  return { era: 'legacy' };
}

/**
 * Classify one request or notification. The body decides the era (a proxy that strips headers must
 * not change it); over HTTP (`headers` given) the headers are then cross-checked.
 */
export function classifyEra(
  kind: 'request' | 'notification',
  method: string,
  params: unknown,
  headers: ProtocolHeaders | undefined,
): EraOutcome {
  const h = headers;
  const headerModern = h?.version !== undefined && isModernVersion(h.version);
  const meta = metaOf(params);
  const claim = meta !== undefined && PROTOCOL_VERSION_META in meta;
  if (
    kind === 'request' &&
    method === 'initialize' &&
    !(claim && envelopeProblem(meta) === undefined && isModernVersion(String(meta[PROTOCOL_VERSION_META])))
  ) {
    if (headerModern)
      return {
        rejection: mismatch(
          'an initialize request (legacy handshake) was sent with a modern MCP-Protocol-Version header',
          h!.version!,
        ),
      };
    return { era: 'legacy' };
  }
  if (claim) {
    const problem =
      kind === 'request'
        ? envelopeProblem(meta)
        : typeof meta[PROTOCOL_VERSION_META] === 'string'
          ? undefined
          : { key: PROTOCOL_VERSION_META, problem: 'expected a protocol version string' };
    if (problem) {
      return {
        rejection: {
          status: 400,
          code: INVALID_PARAMS,
          message: `Invalid _meta envelope for protocol revision 2026-07-28: ${problem.key}: ${problem.problem}`,
          data: { envelope: problem },
        },
      };
    }
    const claimed = meta[PROTOCOL_VERSION_META] as string;
    if (h?.version !== undefined && h.version !== claimed) {
      return {
        rejection: mismatch(
          `the body envelope names protocol version ${claimed} but the MCP-Protocol-Version header names ${h.version}`,
          h.version,
        ),
      };
    }
    if (!isModernVersion(claimed)) return legacyOutcome(h);
    if (h?.method !== undefined && h.method !== method) {
      return {
        rejection: mismatch(`the body names method ${method} but the Mcp-Method header names ${h.method}`, h.method),
      };
    }
    if (!isSupportedModern(claimed)) {
      return {
        rejection: {
          status: 400,
          code: UNSUPPORTED_VERSION,
          message: `Unsupported protocol version: ${claimed}`,
          data: { supported: [...MODERN_VERSIONS], requested: claimed },
        },
      };
    }
    if (h && kind === 'request') {
      const bad = checkModernHeaders(method, params, h, claimed);
      if (bad) return { rejection: bad };
    }
    return { era: 'modern' };
  }
  if (headerModern) {
    if (kind === 'notification') {
      if (h!.method !== undefined && h!.method !== method)
        return {
          rejection: mismatch(
            `the notification body names method ${method} but the Mcp-Method header names ${h!.method}`,
            h!.method,
          ),
        };
      return { era: 'modern' };
    }
    return {
      rejection: {
        status: 400,
        code: INVALID_PARAMS,
        message: `Invalid params: the MCP-Protocol-Version header names protocol revision ${h!.version}, but the request is missing the required per-request envelope key(s): _meta`,
        data: { envelope: { missing: ['_meta'] } },
      },
    };
  }
  return legacyOutcome(h);
}
