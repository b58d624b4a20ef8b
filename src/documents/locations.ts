/**
 * @module documents/locations — turn a `location` written in a capability (import or bind) into
 * candidate file paths. Real files write `./x.yaml`, `x.yaml`, `file:///./x.yaml` (meaning
 * relative) and `file:///abs/x.yaml`; relative ones resolve against the capability file's
 * folder first and the working directory second (what the reference engine did for binds).
 */
import path from 'node:path';

export function candidatePaths(location: string, fromFile: string, cwd = process.cwd()): string[] {
  const dir = path.dirname(fromFile);
  let loc = location.trim();
  if (/^file:\/\/\/\.\.?\//.test(loc)) loc = loc.slice('file:///'.length);
  else if (/^file:\/\//.test(loc)) {
    try {
      return [decodeURIComponent(new URL(loc).pathname)];
    } catch {
      return [];
    }
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(loc)) return [];
  if (path.isAbsolute(loc)) return [loc];
  const out = [path.resolve(dir, loc), path.resolve(cwd, loc)];
  return [...new Set(out)];
}

/** True for a scheme other than file:// (vault://, k8s://…) that capgate cannot read. */
export function isUnsupportedScheme(location: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !/^file:\/\//i.test(location);
}
