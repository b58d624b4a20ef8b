/**
 * Layer rules for src/: data flows one way (documents → plan → invoke → consume, with mapping and
 * secrets beside them), exposers translate protocols, the gateway composes, the CLI starts things.
 * A layer may import layers listed before it, never one listed after it.
 */
const LAYERS = [
  ['common', 'common/: errors, clock, small helpers'],
  ['documents', 'documents/: read and check capability files'],
  ['auth', 'auth/: authenticators and client credentials'],
  ['mapping', 'mapping/: pure templates, JSONPath, shapes, formats'],
  ['secrets', 'secrets/: bind variables resolved and injected'],
  ['plan', 'plan/: resolve and compile documents once'],
  ['consume', 'consume/: upstream HTTP'],
  ['invoke', 'invoke/: the one execution path'],
  ['expose', 'expose/: REST and MCP exposers'],
  ['gateway', 'gateway/: composition and listening'],
  ['cli', 'cli/: command-line entry points'],
];

/** The simulator stands apart: only the CLI (the demo) may start it, and it imports no layer but common. */
const forbidden = LAYERS.flatMap(([name, what], i) => {
  const higher = LAYERS.slice(i + 1).map(([n]) => n);
  if (!higher.length) return [];
  return [
    {
      name: `${name}-not-above`,
      comment: `${what}: may not import ${higher.join(', ')}`,
      severity: 'error',
      from: { path: `^src/${name}/` },
      to: { path: `^src/(${higher.join('|')})/` },
    },
  ];
});

module.exports = {
  forbidden: [
    ...forbidden,
    {
      name: 'simulator-apart',
      comment: 'simulator/ is the offline vendor simulator: it imports nothing of the gateway but common/',
      severity: 'error',
      from: { path: '^src/simulator/' },
      to: { path: '^src/', pathNot: '^src/(simulator|common)/' },
    },
    {
      name: 'only-cli-starts-the-simulator',
      comment: 'the simulator is started by the demo, never by the gateway',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(cli|simulator)/' },
      to: { path: '^src/simulator/' },
    },
    {
      name: 'mcp-protocol-not-transport',
      comment: 'expose/mcp/protocol/ is transport-neutral: HTTP and stdio import it, not the other way round',
      severity: 'error',
      from: { path: '^src/expose/mcp/protocol/' },
      to: { path: '^src/expose/mcp/(transport/|endpoints|file-resources)' },
    },
    {
      name: 'exposers-apart',
      comment: 'the REST and MCP exposers do not import each other',
      severity: 'error',
      from: { path: '^src/expose/(rest|mcp)/' },
      to: { path: '^src/expose/(rest|mcp)/', pathNot: '^src/expose/$1/' },
    },
    {
      name: 'no-circular',
      comment: 'no import cycles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
};
