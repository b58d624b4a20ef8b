/**
 * @module secrets/scrub — take known secrets back out of what an upstream answers. An upstream may
 * echo the credentials it was sent (an error body quoting `Authorization`, a redirect carrying the
 * key); the caller must never receive them. Needles are the capability's bind values and the
 * credentials actually sent, each in the forms it is echoed in (as is, JSON-escaped, percent- and
 * form-encoded); each occurrence becomes REDACTED. Values shorter than MIN_SECRET_LENGTH are left
 * alone: they match ordinary text (regions, versions, flags) far more often than they leak.
 */
import type { SecretValues } from './types.ts';

export const REDACTED = '[redacted]';

/** Shorter values are not scrubbed: too likely to occur in a body by chance. */
export const MIN_SECRET_LENGTH = 6;

export interface ScrubNeedle {
  readonly text: string;
  readonly bytes: Buffer;
}

const MARK = Buffer.from(REDACTED);

/** The needles of one capability's bind values, computed once per resolved secrets. */
const bindNeedles = new WeakMap<SecretValues, readonly string[]>();

/**
 * What to scrub, longest first (a secret inside a longer one is never left half-replaced):
 * the bind values and the `sent` credential header values (`Basic <base64>`, `Bearer <token>`:
 * their credential part, so a token that is no bind, e.g. an OAuth2 access token, is covered too).
 */
export function scrubNeedles(secrets: SecretValues, sent: readonly string[] = []): readonly ScrubNeedle[] {
  let binds = bindNeedles.get(secrets);
  if (!binds) bindNeedles.set(secrets, (binds = [...secrets.values.values()].flatMap(forms)));
  const all = new Set(binds);
  for (const header of sent) for (const f of forms(credentialOf(header))) all.add(f);
  return [...all].sort((a, b) => b.length - a.length).map((text) => ({ text, bytes: Buffer.from(text) }));
}

/** The same buffer when no needle occurs, else a copy with each occurrence replaced. */
export function scrubBytes(body: Buffer, needles: readonly ScrubNeedle[]): Buffer {
  let out = body;
  for (const { bytes } of needles) {
    let at = out.indexOf(bytes);
    if (at < 0) continue;
    const parts: Buffer[] = [];
    let from = 0;
    while (at >= 0) {
      parts.push(out.subarray(from, at), MARK);
      from = at + bytes.length;
      at = out.indexOf(bytes, from);
    }
    parts.push(out.subarray(from));
    out = Buffer.concat(parts);
  }
  return out;
}

export function scrubText(text: string, needles: readonly ScrubNeedle[]): string {
  let out = text;
  for (const n of needles) if (out.includes(n.text)) out = out.split(n.text).join(REDACTED);
  return out;
}

/** A value and the forms an upstream echoes it in; none when it is too short to scrub safely. */
function forms(value: string): string[] {
  if (value.length < MIN_SECRET_LENGTH) return [];
  const out = new Set([value, JSON.stringify(value).slice(1, -1)]);
  try {
    out.add(encodeURIComponent(value));
    out.add(new URLSearchParams({ v: value }).toString().slice(2));
  } catch {
    // A lone surrogate cannot be percent-encoded, so it is never sent that way either.
  }
  return [...out];
}

/** `Basic abc`, `Bearer xyz` → the credential; any other header value as a whole. */
function credentialOf(header: string): string {
  const m = /^(?:basic|bearer)\s+(.+)$/i.exec(header.trim());
  return m ? m[1] : header;
}
