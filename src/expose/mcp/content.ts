/**
 * @module expose/mcp/content — MCP content blocks from an upstream answer: by its content type (an image/* or
 * audio/* answer is an image or audio block) or as `x-capgate-content` declares (blocks taken from the whole body
 * or from values of its JSON, embedded resources with a declared URI).
 */
import { GatewayError } from '../../common/errors.ts';
import { isPlainObject, parseJsonOrUndefined } from '../../common/json.ts';
import type { ContentBlockPlan } from '../../plan/types.ts';
import type { InvokeResult } from '../../invoke/types.ts';
import type { ContentBlock } from './protocol/types.ts';

/** Media types sent as text (everything else an upstream answers is binary: base64 `data` or `blob`). */
export function isTextual(mimeType: string): boolean {
  const t = mimeType.split(';')[0].trim().toLowerCase();
  return (
    t.startsWith('text/') ||
    t === 'application/json' ||
    t.endsWith('+json') ||
    t.endsWith('+xml') ||
    t === 'application/xml' ||
    t === 'application/yaml' ||
    t === 'application/x-yaml' ||
    t === 'application/javascript' ||
    t === 'application/x-www-form-urlencoded' ||
    t === ''
  );
}

/** The media type without parameters (`image/png; q=1` → `image/png`). */
export function bareType(mimeType: string): string {
  return mimeType.split(';')[0].trim().toLowerCase();
}

/** An undeclared image/* or audio/* answer as its own block; undefined for everything else (sent as text). */
export function mediaBlock(body: InvokeResult['body']): ContentBlock | undefined {
  if (body.kind !== 'raw') return undefined;
  const type = bareType(body.contentType);
  if (type.startsWith('image/')) return { type: 'image', data: body.bytes.toString('base64'), mimeType: type };
  if (type.startsWith('audio/')) return { type: 'audio', data: body.bytes.toString('base64'), mimeType: type };
  return undefined;
}

interface Whole {
  readonly bytes: Buffer;
  readonly mimeType: string;
  readonly json: unknown;
}

function wholeOf(body: InvokeResult['body']): Whole {
  if (body.kind === 'raw') {
    const json =
      body.json ?? (isTextual(body.contentType) ? parseJsonOrUndefined(body.bytes.toString('utf8')) : undefined);
    return { bytes: body.bytes, mimeType: bareType(body.contentType), json };
  }
  if (body.kind === 'json') {
    const text = JSON.stringify(body.value) ?? '';
    return { bytes: Buffer.from(text, 'utf8'), mimeType: 'application/json', json: body.value };
  }
  return { bytes: Buffer.alloc(0), mimeType: 'text/plain', json: undefined };
}

function asText(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
}

/** The blocks `x-capgate-content` declares, built from one answer. */
export function declaredBlocks(plan: readonly ContentBlockPlan[], body: InvokeResult['body']): ContentBlock[] {
  const whole = wholeOf(body);
  return plan.map((b) => {
    const picked = b.from ? b.from.evaluate(whole.json) : undefined;
    if (b.from && picked === undefined) {
      throw new GatewayError('MAPPING_FAILED', `content ${b.from.source} matched nothing in the upstream answer`);
    }
    const mimeType = b.mimeType ?? whole.mimeType;
    switch (b.type) {
      case 'text':
        return { type: 'text', text: b.from ? asText(picked) : whole.bytes.toString('utf8') };
      case 'image':
      case 'audio': {
        if (b.from && typeof picked !== 'string')
          throw new GatewayError('MAPPING_FAILED', `${b.type} content ${b.from.source} must be base64 text`);
        const data = b.from ? (picked as string) : whole.bytes.toString('base64');
        return { type: b.type, data, mimeType };
      }
      case 'resource': {
        const uri = b.uri!;
        if (b.from) {
          if (isPlainObject(picked) && typeof picked.blob === 'string')
            return { type: 'resource', resource: { uri, mimeType, blob: picked.blob } };
          return { type: 'resource', resource: { uri, mimeType, text: asText(picked) } };
        }
        return isTextual(mimeType)
          ? { type: 'resource', resource: { uri, mimeType, text: whole.bytes.toString('utf8') } }
          : { type: 'resource', resource: { uri, mimeType, blob: whole.bytes.toString('base64') } };
      }
    }
  });
}
