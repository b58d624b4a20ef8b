/**
 * @module cli/main — the only place that reads argv: dispatches `validate`, `serve`, `simulate`,
 * `demo`. Usage errors exit 2.
 */
import { runValidate } from './validate.ts';
import { VERSION } from '../common/version.ts';

const USAGE = `usage: capgate <command> [options]
  validate [--json] [--quiet] [--each] <paths…>
                                          check capability files (exit 0 valid, 1 invalid);
                                          --each checks files independently (no cross-file clashes)
  serve [options] <paths…>                serve REST and MCP adapters (see --help)
  simulate [--port N]                     start the offline vendor simulator
  demo                                    simulator + gateway on the bundled capabilities`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const write = (l: string) => process.stdout.write(l + '\n');
  switch (cmd) {
    case 'validate': {
      const flags = new Set(rest.filter((a) => a.startsWith('--')));
      const paths = rest.filter((a) => !a.startsWith('--'));
      const unknown = [...flags].filter((f) => !['--json', '--quiet', '--each'].includes(f));
      if (!paths.length || unknown.length) {
        process.stderr.write(`${unknown.length ? `unknown option ${unknown[0]}\n` : ''}${USAGE}\n`);
        return 2;
      }
      return runValidate(paths, {
        json: flags.has('--json'),
        quiet: flags.has('--quiet'),
        each: flags.has('--each'),
        write,
      });
    }
    case 'serve':
      return (await import('./serve.ts')).runServe(rest);
    case 'simulate':
      return (await import('./demo.ts')).runSimulate(rest);
    case 'demo':
      return (await import('./demo.ts')).runDemo(rest);
    case '--version':
    case '-v':
    case 'version':
      write(VERSION);
      return 0;
    case '--help':
    case '-h':
    case 'help':
      write(USAGE);
      return 0;
    default:
      process.stderr.write(`${cmd ? `unknown command '${cmd}'\n` : ''}${USAGE}\n`);
      return 2;
  }
}
