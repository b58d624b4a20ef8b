/**
 * One inline document per problem code the loader and the plan emit for a single file:
 * the code expected, its severity, JSON pointer and line:column. Multi-file codes (imports,
 * ports, duplicate routes and tools, binds) live in their own tests.
 */
export interface CodeCase {
  readonly name: string;
  readonly yaml: string;
  readonly code: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly pointer: string;
  /** line:column of the problem. */
  readonly at: string;
}

/** A consumer with one GET operation `things.get-thing` on `/things/{id}`. */
const CONSUMES = `naftiko: "1.0.0-alpha3"
info:
  label: Test
  description: Test capability.
capability:
  consumes:
    - namespace: things
      type: http
      baseUri: https://api.example.test
      resources:
        - name: thing
          path: /things/{id}
          operations:
            - name: get-thing
              method: GET
`;
// CONSUMES is 15 lines; the exposes below start at line 16.

/** MCP adapter header on port 9090, namespace `tools`, then the given tool lines. */
function mcp(tools: string): string {
  return `  exposes:\n    - type: mcp\n      port: 9090\n      namespace: tools\n      tools:\n${tools}`;
}
/** REST adapter header on port 8080, namespace `pub`, then the given resource lines. */
function rest(resources: string): string {
  return `  exposes:\n    - type: rest\n      port: 8080\n      namespace: pub\n      resources:\n${resources}`;
}
function TOOL(extra: string): string {
  return `        - name: get-thing\n          description: Get a thing.\n${extra}`;
}

export const CODE_CASES: CodeCase[] = [
  {
    name: 'YAML_SYNTAX: unclosed flow mapping',
    yaml: 'naftiko: "1.0.0-alpha3"\ninfo: { label: x\n',
    code: 'YAML_SYNTAX',
    severity: 'error',
    pointer: '',
    at: '3:1',
  },
  {
    name: 'YAML_DUPLICATE_KEY: info twice',
    yaml: 'naftiko: "1.0.0-alpha3"\ninfo:\n  label: a\ninfo:\n  label: b\n',
    code: 'YAML_DUPLICATE_KEY',
    severity: 'error',
    pointer: '',
    at: '4:1',
  },
  {
    name: 'DOC_NOT_MAPPING: a list at the root',
    yaml: '- a\n- b\n',
    code: 'DOC_NOT_MAPPING',
    severity: 'error',
    pointer: '',
    at: '1:1',
  },
  {
    name: 'DOC_IKANOS: ikanos root',
    yaml: 'ikanos: 1.0.0-beta5\ncapability: {}\n',
    code: 'DOC_IKANOS',
    severity: 'error',
    pointer: '/ikanos',
    at: '1:1',
  },
  {
    name: 'NOT_NAFTIKO: a secrets file',
    yaml: 'API_KEY: abc\n',
    code: 'NOT_NAFTIKO',
    severity: 'info',
    pointer: '',
    at: '1:1',
  },
  {
    name: 'DOC_NO_VERSION: capability without naftiko',
    yaml: 'info:\n  label: x\ncapability: {}\n',
    code: 'DOC_NO_VERSION',
    severity: 'error',
    pointer: '',
    at: '1:1',
  },
  {
    name: 'DOC_VERSION_UNSUPPORTED: 0.5',
    yaml: 'info:\n  label: x\nnaftiko: "0.5"\ncapability: {}\n',
    code: 'DOC_VERSION_UNSUPPORTED',
    severity: 'error',
    pointer: '/naftiko',
    at: '3:1',
  },
  {
    name: 'DOC_VERSION_UNSUPPORTED: unquoted 0.4',
    yaml: 'naftiko: 0.4\ncapability: {}\n',
    code: 'DOC_VERSION_UNSUPPORTED',
    severity: 'error',
    pointer: '/naftiko',
    at: '1:1',
  },
  {
    name: 'DOC_VERSION_UNSUPPORTED: 1.0.0-beta1',
    yaml: 'naftiko: 1.0.0-beta1\ncapability: {}\n',
    code: 'DOC_VERSION_UNSUPPORTED',
    severity: 'error',
    pointer: '/naftiko',
    at: '1:1',
  },
  {
    name: 'DOC_NO_CAPABILITY: neither capability nor consumes',
    yaml: 'naftiko: 1.0.0-alpha1\ninfo:\n  label: x\n',
    code: 'DOC_NO_CAPABILITY',
    severity: 'error',
    pointer: '',
    at: '1:1',
  },
  {
    name: 'SCHEMA: unknown property with a suggestion',
    yaml: CONSUMES + '  exposez: []\n',
    code: 'SCHEMA',
    severity: 'error',
    pointer: '/capability/exposez',
    at: '16:3',
  },
  {
    name: 'LEGACY_EXTERNAL_REFS: externalRefs read as binds',
    yaml: CONSUMES.replace(
      'info:',
      'externalRefs:\n  - name: env\n    type: environment\n    keys:\n      TOKEN: TOKEN\ninfo:',
    ),
    code: 'LEGACY_EXTERNAL_REFS',
    severity: 'warning',
    pointer: '/externalRefs',
    at: '2:1',
  },
  {
    name: "LEGACY_EXPOSE_API: type 'api' read as rest",
    yaml:
      CONSUMES +
      '  exposes:\n    - type: api\n      port: 8080\n      namespace: pub\n      resources:\n        - path: /things/{id}\n          operations:\n            - method: GET\n              call: things.get-thing\n              with:\n                id: pub.id\n',
    code: 'LEGACY_EXPOSE_API',
    severity: 'warning',
    pointer: '/capability/exposes/0/type',
    at: '17:7',
  },
  {
    name: 'LEGACY_CONST: const output read as value',
    yaml:
      CONSUMES +
      '  exposes:\n    - type: mcp\n      port: 9090\n      namespace: tools\n      tools:\n        - name: hello\n          description: Says hello.\n          outputParameters:\n            - name: greeting\n              type: string\n              const: hi\n',
    code: 'LEGACY_CONST',
    severity: 'warning',
    pointer: '/capability/exposes/0/tools/0/outputParameters/0/const',
    at: '26:15',
  },
  {
    name: 'LEGACY_ITEMS_LIST: items as a list',
    yaml:
      CONSUMES +
      '  exposes:\n    - type: mcp\n      port: 9090\n      namespace: tools\n      tools:\n        - name: hello\n          description: Says hello.\n          inputParameters:\n            - name: tags\n              type: array\n              description: Tags.\n              items:\n                - type: string\n          outputParameters:\n            - name: greeting\n              type: string\n              value: hi\n',
    code: 'LEGACY_ITEMS_LIST',
    severity: 'warning',
    pointer: '/capability/exposes/0/tools/0/inputParameters/0/items',
    at: '27:15',
  },

  ...planCases(),
];

function planCases(): CodeCase[] {
  const c = (
    name: string,
    yaml: string,
    code: string,
    severity: CodeCase['severity'],
    pointer: string,
    at: string,
  ): CodeCase => ({ name, yaml, code, severity, pointer, at });
  const TOOL_PTR = '/capability/exposes/0/tools/0';
  return [
    c(
      'BASEURI_MISSING: empty baseUri',
      CONSUMES.replace('https://api.example.test', "''"),
      'BASEURI_MISSING',
      'warning',
      '/capability/consumes/0/baseUri',
      '9:7',
    ),
    c(
      'BASEURI_TRAILING_SLASH',
      CONSUMES.replace('https://api.example.test', 'https://api.example.test/'),
      'BASEURI_TRAILING_SLASH',
      'warning',
      '/capability/consumes/0/baseUri',
      '9:7',
    ),
    c(
      'BASEURI_UNBOUND_VARIABLE: server variable',
      CONSUMES.replace('https://api.example.test', 'https://{TENANT}.example.test'),
      'BASEURI_UNBOUND_VARIABLE',
      'warning',
      '/capability/consumes/0/baseUri',
      '9:7',
    ),
    c(
      'BASEURI_INVALID: relative',
      CONSUMES.replace('https://api.example.test', 'api.example.test/v1'),
      'BASEURI_INVALID',
      'error',
      '/capability/consumes/0/baseUri',
      '9:7',
    ),
    c(
      'AUTH_APIKEY_PLACEMENT',
      CONSUMES.replace(
        '      type: http\n',
        '      type: http\n      authentication:\n        type: apikey\n        key: X-Key\n        value: "{{API_KEY}}"\n',
      ).replace('info:', 'binds:\n  - namespace: env\n    keys:\n      API_KEY: API_KEY\ninfo:'),
      'AUTH_APIKEY_PLACEMENT',
      'warning',
      '/capability/consumes/0/authentication',
      '13:7',
    ),
    c(
      'BIND_UNDECLARED: {{TOKEN}} without binds',
      CONSUMES.replace(
        '      type: http\n',
        '      type: http\n      authentication:\n        type: bearer\n        token: "{{TOKEN}}"\n',
      ),
      'BIND_UNDECLARED',
      'error',
      '/capability/consumes/0/authentication/token',
      '11:9',
    ),
    c(
      'OPERATION_DUPLICATE',
      CONSUMES + '            - name: get-thing\n              method: GET\n',
      'OPERATION_DUPLICATE',
      'error',
      '/capability/consumes/0/resources/0/operations/1/name',
      '16:15',
    ),
    c(
      'FORMAT_UNSUPPORTED',
      CONSUMES + '              outputRawFormat: protobuf\n',
      'FORMAT_UNSUPPORTED',
      'error',
      '/capability/consumes/0/resources/0/operations/0/outputRawFormat',
      '16:15',
    ),
    c(
      'CALL_FORMAT: call without a namespace',
      CONSUMES + mcp(TOOL('          call: get-thing\n')),
      'CALL_FORMAT',
      'error',
      `${TOOL_PTR}/call`,
      '23:11',
    ),
    c(
      'CALL_UNKNOWN_NAMESPACE',
      CONSUMES + mcp(TOOL('          call: thingz.get-thing\n')),
      'CALL_UNKNOWN_NAMESPACE',
      'error',
      `${TOOL_PTR}/call`,
      '23:11',
    ),
    c(
      'CALL_UNKNOWN_OPERATION',
      CONSUMES + mcp(TOOL('          call: things.get-thingz\n')),
      'CALL_UNKNOWN_OPERATION',
      'error',
      `${TOOL_PTR}/call`,
      '23:11',
    ),
    c(
      'NOTHING_TO_RUN: tool with no call',
      CONSUMES +
        mcp(
          TOOL(
            '          inputParameters:\n            - name: id\n              type: string\n              description: Id.\n',
          ),
        ),
      'NOTHING_TO_RUN',
      'error',
      TOOL_PTR,
      '21:11',
    ),
    c(
      'REF_UNKNOWN',
      CONSUMES + mcp(TOOL('          ref: agg.nope\n')),
      'REF_UNKNOWN',
      'error',
      `${TOOL_PTR}/ref`,
      '23:11',
    ),
    c(
      'JSONPATH_INVALID: output mapping',
      CONSUMES +
        mcp(
          TOOL(
            '          call: things.get-thing\n          with:\n            id: tools.id\n          outputParameters:\n            - name: n\n              type: string\n              mapping: "$.a[?("\n',
          ),
        ),
      'JSONPATH_INVALID',
      'error',
      `${TOOL_PTR}/outputParameters`,
      '26:11',
    ),
    c(
      'PATTERN_INVALID',
      CONSUMES +
        mcp(
          TOOL(
            '          call: things.get-thing\n          inputParameters:\n            - name: id\n              type: string\n              description: Id.\n              pattern: "([a-z"\n',
          ),
        ),
      'PATTERN_INVALID',
      'error',
      `${TOOL_PTR}/inputParameters/0/pattern`,
      '28:15',
    ),
    c(
      'WITH_UNKNOWN_INPUT',
      CONSUMES +
        mcp(
          TOOL(
            '          call: things.get-thing\n          inputParameters:\n            - name: id\n              type: string\n              description: Id.\n          with:\n            id: tools.ident\n',
          ),
        ),
      'WITH_UNKNOWN_INPUT',
      'error',
      `${TOOL_PTR}/with/id`,
      '29:13',
    ),
    c(
      'WITH_FOREIGN_NAMESPACE',
      CONSUMES +
        mcp(
          TOOL(
            '          call: things.get-thing\n          inputParameters:\n            - name: id\n              type: string\n              description: Id.\n          with:\n            id: things.id\n',
          ),
        ),
      'WITH_FOREIGN_NAMESPACE',
      'warning',
      `${TOOL_PTR}/with/id`,
      '29:13',
    ),
    c(
      'CALL_PATH_VAR_UNBOUND: MCP tool without {id} (warning: requests may still send it)',
      CONSUMES +
        mcp(
          TOOL(
            '          call: things.get-thing\n          inputParameters:\n            - name: other\n              type: string\n              description: Other.\n',
          ),
        ),
      'CALL_PATH_VAR_UNBOUND',
      'warning',
      TOOL_PTR,
      '21:11',
    ),
    c(
      'CALL_PATH_VAR_UNBOUND: REST inputs declared, none gives {id}',
      CONSUMES +
        rest(
          '        - path: /things\n          operations:\n            - method: GET\n              call: things.get-thing\n              inputParameters:\n                - name: other\n                  in: query\n                  type: string\n                  description: Other.\n',
        ),
      'CALL_PATH_VAR_UNBOUND',
      'error',
      '/capability/exposes/0/resources/0/operations/0',
      '23:15',
    ),
    c(
      'BODY_TYPE_UNSUPPORTED',
      CONSUMES + '              body:\n                type: protobuf\n                data: x\n',
      'BODY_TYPE_UNSUPPORTED',
      'error',
      '/capability/consumes/0/resources/0/operations/0/body/type',
      '17:17',
    ),
    c(
      'CASE_MISMATCH: {id} provided as ID',
      CONSUMES +
        mcp(
          TOOL(
            '          call: things.get-thing\n          inputParameters:\n            - name: ID\n              type: string\n              description: Id.\n',
          ),
        ),
      'CASE_MISMATCH',
      'warning',
      TOOL_PTR,
      '21:11',
    ),
    c(
      'MCP_INPUTS_INFERRED: tool with no inputs',
      CONSUMES + mcp(TOOL('          call: things.get-thing\n')),
      'MCP_INPUTS_INFERRED',
      'warning',
      TOOL_PTR,
      '21:11',
    ),
    c(
      'MCP_INPUT_IN_IGNORED',
      CONSUMES +
        mcp(
          TOOL(
            '          call: things.get-thing\n          inputParameters:\n            - name: id\n              in: path\n              type: string\n              description: Id.\n',
          ),
        ),
      'MCP_INPUT_IN_IGNORED',
      'warning',
      '/capability/exposes/0',
      '17:7',
    ),
    c(
      'MCP_PORT_DEFAULT',
      CONSUMES + mcp(TOOL('          call: things.get-thing\n')).replace('      port: 9090\n', ''),
      'MCP_PORT_DEFAULT',
      'warning',
      '/capability/exposes/0',
      '17:7',
    ),
    c(
      'LOOKUP_INDEX_UNKNOWN',
      CONSUMES +
        mcp(
          TOOL(
            '          inputParameters:\n            - name: id\n              type: string\n              description: Id.\n          steps:\n            - type: call\n              name: fetch\n              call: things.get-thing\n              with:\n                id: tools.id\n            - type: lookup\n              name: pick\n              index: fetched\n              match: id\n              lookupValue: "{{id}}"\n              outputParameters:\n                - name\n',
          ),
        ),
      'LOOKUP_INDEX_UNKNOWN',
      'error',
      `${TOOL_PTR}/steps/1/index`,
      '35:15',
    ),
    c(
      'STEP_NOT_SUPPORTED: script step',
      CONSUMES +
        mcp(
          TOOL(
            '          steps:\n            - type: script\n              name: calc\n              language: javascript\n              location: file:///./calc.js\n',
          ),
        ),
      'STEP_NOT_SUPPORTED',
      'error',
      `${TOOL_PTR}/steps/0/type`,
      '24:15',
    ),
    c(
      'WAIT_NEEDS_CALL: wait on a mock',
      CONSUMES +
        mcp(
          TOOL(
            '          outputParameters:\n            - name: n\n              type: string\n              value: x\n          x-capgate-wait:\n            until: $.state\n            terminal: [done]\n',
          ),
        ),
      'WAIT_NEEDS_CALL',
      'error',
      `${TOOL_PTR}/x-capgate-wait`,
      '27:11',
    ),
    c(
      'REST_PATH_VAR_UNUSED',
      CONSUMES +
        rest(
          '        - path: /things/{id}/{extra}\n          operations:\n            - method: GET\n              call: things.get-thing\n              with:\n                id: pub.id\n',
        ),
      'REST_PATH_VAR_UNUSED',
      'warning',
      '/capability/exposes/0/resources/0/operations/0',
      '23:15',
    ),
    c(
      'REST_IMPLICIT_CALL: operation named like the consumed one',
      CONSUMES +
        rest(
          '        - path: /things/{id}\n          operations:\n            - method: GET\n              name: get-thing\n',
        ),
      'REST_IMPLICIT_CALL',
      'warning',
      '/capability/exposes/0/resources/0/operations/0',
      '23:15',
    ),
    c(
      'REST_IMPLICIT_INPUTS: with refs and no inputParameters',
      CONSUMES +
        rest(
          '        - path: /things/{id}\n          operations:\n            - method: GET\n              call: things.get-thing\n              with:\n                id: pub.id\n',
        ),
      'REST_IMPLICIT_INPUTS',
      'warning',
      '/capability/exposes/0/resources/0/operations/0',
      '23:15',
    ),
    c(
      'FORWARD_UNKNOWN_NAMESPACE',
      CONSUMES + rest('        - path: /proxy\n          forward:\n            targetNamespace: nowhere\n'),
      'FORWARD_UNKNOWN_NAMESPACE',
      'error',
      '/capability/exposes/0/resources/0/forward/targetNamespace',
      '23:13',
    ),
    c(
      'NAMESPACE_DUPLICATE: expose reuses the consumes namespace',
      CONSUMES + mcp(TOOL('          call: things.get-thing\n')).replace('namespace: tools', 'namespace: things'),
      'NAMESPACE_DUPLICATE',
      'error',
      '/capability/exposes/0/namespace',
      '19:7',
    ),
    c(
      'EXPOSE_SKILL_NOT_SERVED',
      CONSUMES +
        '  exposes:\n    - type: skill\n      port: 7070\n      namespace: sk\n      skills:\n        - name: s\n          description: A skill.\n',
      'EXPOSE_SKILL_NOT_SERVED',
      'warning',
      '/capability/exposes/0',
      '17:7',
    ),
    c(
      'RESOURCE_LOCATION: non-file location',
      CONSUMES +
        '  exposes:\n    - type: mcp\n      port: 9090\n      namespace: tools\n      resources:\n        - name: docs\n          uri: docs://all\n          description: Docs.\n          location: https://example.test/docs\n',
      'RESOURCE_LOCATION',
      'error',
      '/capability/exposes/0/resources/0/location',
      '24:11',
    ),
    c(
      'PROMPT_LOCATION: non-file location',
      CONSUMES +
        '  exposes:\n    - type: mcp\n      port: 9090\n      namespace: tools\n      prompts:\n        - name: p\n          description: A prompt.\n          location: https://example.test/p.md\n',
      'PROMPT_LOCATION',
      'error',
      '/capability/exposes/0/prompts/0/location',
      '23:11',
    ),
    c(
      'REF_DUPLICATE: same function twice',
      CONSUMES +
        '  aggregates:\n    - namespace: agg\n      label: Agg\n      functions:\n        - name: f\n          description: F.\n          call: things.get-thing\n        - name: f\n          description: F again.\n          call: things.get-thing\n',
      'REF_DUPLICATE',
      'error',
      '/capability/aggregates/0/functions/1/name',
      '23:11',
    ),
    c(
      'BODY_TYPE_ALIAS: body type form',
      CONSUMES.replace(
        '              method: GET\n',
        '              method: POST\n              body:\n                type: form\n                data: { a: b }\n',
      ),
      'BODY_TYPE_ALIAS',
      'warning',
      '/capability/consumes/0/resources/0/operations/0/body/type',
      '17:17',
    ),
    c(
      'AUTH_FIELD_ALIAS: apikey with in/name',
      CONSUMES.replace(
        '      resources:\n',
        '      authentication:\n        type: apikey\n        in: header\n        name: x-api-key\n        value: k\n      resources:\n',
      ),
      'AUTH_FIELD_ALIAS',
      'warning',
      '/capability/consumes/0/authentication',
      '10:7',
    ),
    c(
      'AUTH_NONE: authentication type none',
      CONSUMES.replace('      resources:\n', '      authentication:\n        type: none\n      resources:\n'),
      'AUTH_NONE',
      'warning',
      '/capability/consumes/0/authentication',
      '10:7',
    ),
    c(
      'BIND_IMPLICIT_ENV: {{env.X}} nothing declares',
      CONSUMES.replace(
        '      resources:\n',
        "      authentication:\n        type: bearer\n        token: '{{env.THINGS_TOKEN}}'\n      resources:\n",
      ),
      'BIND_IMPLICIT_ENV',
      'warning',
      '/capability/consumes/0/authentication/token',
      '12:9',
    ),
    c(
      'MCP_INPUT_DEFAULTED: tool input without type and description',
      CONSUMES + mcp(TOOL('          inputParameters:\n            - name: id\n          call: things.get-thing\n')),
      'MCP_INPUT_DEFAULTED',
      'warning',
      `${TOOL_PTR}/inputParameters/0`,
      '24:15',
    ),
    c(
      'EXPOSE_EMPTY: REST adapter with no resources',
      CONSUMES + '  exposes:\n    - type: rest\n      port: 8080\n      namespace: pub\n      resources: []\n',
      'EXPOSE_EMPTY',
      'warning',
      '/capability/exposes/0',
      '17:7',
    ),
  ];
}
