/**
 * @module common/version — the package version, read once from package.json: what `--version`, MCP serverInfo and
 * logs report.
 */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  // src/common/ and dist/common/ both sit two levels below the package root.
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const VERSION: string = readVersion();
