/**
 * @module auth/challenge-parse — parses `WWW-Authenticate` / `Authorization` values made of
 * `scheme param=value, param="quoted"` lists (RFC 9110 §11), including several challenges in one value.
 */

export interface AuthChallenge {
  /** Scheme as written (compare case-insensitively). */
  scheme: string;
  /** Parameter names lower-cased; quoted values unescaped. */
  params: Record<string, string>;
}

const TOKEN_STOP = new Set([' ', '\t', ',', '=', '"']);

/** Parse every challenge (or the single credential) in a header value. */
export function parseAuthChallenges(header: string): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  let i = 0;
  const readToken = (): string => {
    const start = i;
    while (i < header.length && !TOKEN_STOP.has(header[i]!)) i++;
    return header.slice(start, i);
  };
  const skipSpace = (): void => {
    while (i < header.length && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  while (i < header.length) {
    skipSpace();
    if (header[i] === ',') {
      i++;
      continue;
    }
    const word = readToken();
    if (word === '') {
      i++; // stray character: skip rather than loop forever
      continue;
    }
    skipSpace();
    const current = out[out.length - 1];
    if (header[i] === '=' && current) {
      i++;
      skipSpace();
      current.params[word.toLowerCase()] = header[i] === '"' ? readQuoted() : readValue();
    } else {
      out.push({ scheme: word, params: {} });
    }
  }
  return out;

  function readQuoted(): string {
    i++; // opening quote
    let value = '';
    while (i < header.length && header[i] !== '"') {
      if (header[i] === '\\' && i + 1 < header.length) i++;
      value += header[i];
      i++;
    }
    i++; // closing quote
    return value;
  }

  function readValue(): string {
    const start = i;
    while (i < header.length && header[i] !== ',' && header[i] !== ' ' && header[i] !== '\t') i++;
    return header.slice(start, i);
  }
}

/** Quote a value for an auth-param, escaping `"` and `\`. */
export function quote(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
