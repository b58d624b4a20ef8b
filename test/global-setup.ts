/**
 * @module test/global-setup — builds dist/ once before the suite (`npm run build`): tests that start
 * `bin/capgate.js` (stdio, the CLI, the demo) must run the code under test, not a build left from an earlier change.
 */
import { execSync } from 'node:child_process';

export default function setup(): void {
  execSync('npm run --silent build', { stdio: 'inherit' });
}
