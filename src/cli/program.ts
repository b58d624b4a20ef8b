/**
 * @module cli/program — the `capgate` command line, declared with commander: the commands, their
 * arguments and options, help and version. Each action sets the exit code it ends with.
 */
import { Command, Option } from 'commander';
import { VERSION } from '../common/version.ts';
import { parsePort } from './ports.ts';
import { addServeOptions, declareServe, serveArgsFrom, type ServeArgs } from './serve-options.ts';
import { runValidate } from './validate.ts';

/** The world a command line runs in: output streams, environment, and whether stderr is a terminal. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly stderrIsTTY: boolean;
}

const SIMULATOR_PORT = 8787;

export function createProgram(io: CliIO): { program: Command; exitCode: () => number } {
  let code = 0;
  const out = (line: string) => io.stdout(line + '\n');
  const err = (line: string) => io.stderr(line + '\n');
  const program = new Command('capgate')
    .description('Declarative capability gateway: Naftiko capability YAML in, REST and MCP endpoints out.')
    .version(VERSION, '-v, --version', 'print the package version')
    .helpOption('-h, --help', 'print this help')
    .helpCommand('help [command]', 'print the help of a command')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .addHelpText('after', "\nRun 'capgate <command> --help' for a command's arguments and options.");

  program
    .command('validate')
    .summary('check capability files (exit 0 valid, 1 invalid)')
    .description(
      'check capability files: each problem like a compiler (file:line:col: severity CODE message [pointer]), then a summary',
    )
    .argument('<paths...>', 'capability files or folders (recursive *.yml / *.yaml)')
    .option('--json', 'one JSON object per file, then one {"summary": …} object')
    .option('--quiet', 'print errors and the summary only')
    .option('--each', 'check every file on its own (no cross-file port, route or tool clashes)')
    .option('--summary', 'print only the counts: files per status, problems per severity and per code')
    .addHelpText(
      'after',
      '\nExit status: 0 all valid, 1 any invalid file or missing path, 2 usage error.\nProgress is shown on stderr when it is a terminal.',
    )
    .action(async (paths: string[], o: { json?: boolean; quiet?: boolean; each?: boolean; summary?: boolean }) => {
      code = await runValidate(paths, {
        json: !!o.json,
        quiet: !!o.quiet,
        each: !!o.each,
        summary: !!o.summary,
        env: io.env,
        write: out,
        progress: io.stderrIsTTY ? statusLine(io.stderr) : undefined,
      });
    });

  const inspect = program
    .command('inspect')
    .summary('show the ports, REST routes and MCP tools serve would serve')
    .description('print what `serve` would serve (ports, REST routes, MCP tools) without opening a port')
    .argument('<paths...>', 'capability files or folders (recursive *.yml / *.yaml)')
    .option('--json', 'one JSON object instead of the table');
  addServeOptions(inspect, ['upstreams', 'restPort', 'mcpPort', 'host', 'partial']).action(
    async (paths: string[], o: { json?: boolean }, cmd: Command) => {
      const args = serveArgsOrFail(cmd, paths);
      const { runInspect } = await import('./inspect.ts');
      code = await runInspect(paths, { ...args, json: !!o.json, env: io.env, write: out, log: err });
    },
  );

  declareServe(program.command('serve')).action(async (paths: string[], _o: unknown, cmd: Command) => {
    const args = serveArgsOrFail(cmd, paths);
    code = await (await import('./serve.ts')).runServe(args, io.env);
  });

  program
    .command('simulate')
    .summary('start the offline vendor simulator')
    .description('start the offline simulator of the four vendor operation APIs (Ampersand, Amba, Chainloop, bctrl)')
    .addOption(portOption('--port <port>', 'listen on this port (0 = any free port)', SIMULATOR_PORT))
    .action(async (o: { port: number }) => {
      code = await (await import('./demo.ts')).runSimulate(o.port, err);
    });

  const demo = program
    .command('demo')
    .summary('simulator + serve on the bundled capabilities (no keys, no network)')
    .description(
      'the simulator + serve, upstreams and tokens wired to it: working REST and MCP with no keys, no network',
    )
    .argument('[paths...]', 'capability files or folders (default: the bundled capabilities/)')
    .addOption(portOption('--sim-port <port>', "the simulator's port (0 = any free port)", SIMULATOR_PORT));
  addServeOptions(demo).action(async (paths: string[], o: { simPort: number }, cmd: Command) => {
    const args = serveArgsOrFail(cmd, paths);
    code = await (await import('./demo.ts')).runDemo(args, o.simPort, io.env, err);
  });

  // A usage error prints commander's one-line error, then the command's usage and where its help is.
  for (const cmd of [program, ...program.commands]) {
    const name = cmd === program ? 'capgate' : `capgate ${cmd.name()}`;
    cmd.showHelpAfterError(`usage: ${name} ${cmd.usage()}\nrun '${name} --help' for more`);
  }

  /** ServeArgs from flags and environment; a bad environment value is a usage error (exit 2). */
  function serveArgsOrFail(cmd: Command, paths: string[]): ServeArgs {
    const args = serveArgsFrom(cmd, paths, io.env);
    if ('error' in args) cmd.error(`error: ${args.error}`, { code: 'capgate.invalidEnvironment' });
    return args;
  }

  return { program, exitCode: () => code };
}

function portOption(flags: string, help: string, fallback: number): Option {
  return new Option(flags, help).argParser(parsePort).default(fallback);
}

/** A single status line on a terminal: each update overwrites it, '' erases it. */
function statusLine(write: (text: string) => void): (text: string) => void {
  return (text) => write(`\r\x1b[2K${text}`);
}
