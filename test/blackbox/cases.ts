/**
 * @module test/blackbox/cases — ONE scenario table run twice: over HTTP against the REST port
 * (rest.test.ts) and through the MCP SDK client against the MCP port (mcp.test.ts). Each case
 * names its capability (REST and MCP adapters over the same consumed operations), the inputs
 * per protocol, what the mock upstream answers, what the upstream must have received and what
 * the caller must get back. Each case has a short id and says in words what it checks.
 *
 * Where capgate deliberately differs from the reference engine the case asserts capgate's
 * behaviour and says so in `differs`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CREW, SHIPS, SHIP_1, SHIP_1_TEXT, fleetRoutes, type MockRoute } from '../helpers/mock-upstream.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Token in `overrides` values replaced by the mock upstream's URL. */
export const MOCK = '{mock}';
/** Token in `overrides` values replaced by the URL of a port nothing listens on. */
export const CLOSED = '{closed}';

export interface Capability {
  readonly id: string;
  readonly yaml: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly files?: Readonly<Record<string, string>>;
  /** Per-namespace base URLs (MOCK / CLOSED tokens); default: every namespace → mock + baseUri path. */
  readonly overrides?: Readonly<Record<string, string>>;
}

export interface RestCall {
  readonly method: string;
  /** Path and query, e.g. `/ships?status=active`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON request body. */
  readonly json?: unknown;
}

export interface McpCall {
  readonly tool: string;
  readonly args: Record<string, unknown>;
  /** Extra HTTP headers the MCP client sends (e.g. Authorization). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface UpstreamExpect {
  readonly method: string;
  /** Raw path as received (percent-encoding preserved), without the query string. */
  readonly path: string;
  /** Exact raw query string ('' = none); undefined = not checked. */
  readonly query?: string;
  /** Headers that must be present with this value (string) or absent (null). Lower-case names. */
  readonly headers?: Readonly<Record<string, string | null>>;
  /** Exact request body text. */
  readonly body?: string;
}

export type Outcome =
  /** Success: REST status (default 200) with this JSON body (or exact `text`); MCP isError false with this payload. */
  | {
      readonly kind: 'ok';
      readonly value: unknown;
      readonly status?: number;
      readonly text?: string;
      readonly contentType?: string;
    }
  /**
   * The upstream's error passes through: REST status + body as is; MCP isError "Upstream returned <status>: <body>".
   */
  | {
      readonly kind: 'upstream-error';
      readonly status: number;
      readonly body: string | RegExp;
      readonly contentType?: string;
    }
  /** A gateway error: REST problem+json with this code/status; MCP isError whose text mentions every string. */
  | {
      readonly kind: 'error';
      readonly status: number;
      readonly code: string;
      readonly mentions: readonly string[];
      readonly mcpMentions?: readonly string[];
    }
  /** Server authentication refused the caller: REST 401; MCP 401 at the HTTP layer. */
  | { readonly kind: 'unauthorized' };

export interface Case {
  readonly id: string;
  readonly title: string;
  readonly capability: Capability;
  /** Mock upstream routes for this case (default: the fleet routes of mock-upstream.ts). */
  readonly routes?: readonly MockRoute[];
  readonly rest?: RestCall;
  readonly mcp?: McpCall;
  /**
   * Requests the upstream must have received, in order; [] = no upstream call at all. Per protocol when they differ.
   */
  readonly upstream:
    readonly UpstreamExpect[] | { readonly rest: readonly UpstreamExpect[]; readonly mcp: readonly UpstreamExpect[] };
  readonly expect: Outcome;
  /** Load-time warnings (problem codes) the capability must produce. */
  readonly warnings?: readonly string[];
  /** How capgate deliberately differs from the reference engine here (reported to the lead). */
  readonly differs?: string;
}

// ---------------------------------------------------------------------------------------------
// Capabilities

const FLEET_CONSUMES = `
  consumes:
    - namespace: fleet
      type: http
      baseUri: "http://up"
      resources:
        - name: ships
          path: "/ships"
          operations:
            - name: list-ships
              method: GET
              inputParameters:
                - { name: status, in: query }
        - name: ship
          path: "/ships/{{imo_number}}"
          operations:
            - name: get-ship
              method: GET
        - name: crew
          path: "/crew"
          operations:
            - name: list-crew
              method: GET
        - name: voyages
          path: "/voyages"
          operations:
            - name: create-voyage
              method: POST
              body: '{"shipImo":"{{shipImo}}","departurePort":"{{from}}","arrivalPort":"{{to}}","crewIds":{{crewIds}}}'`;

const SHIP_LIST_OUTPUT = `
                - type: array
                  mapping: "$."
                  items:
                    type: object
                    properties:
                      imo: { type: string, mapping: "$.imo_number" }
                      name: { type: string, mapping: "$.vessel_name" }
                      state: { type: string, mapping: "$.operational_status" }`;

const SHIP_CARD_OUTPUT = `
                - type: object
                  properties:
                    imo: { type: string, mapping: "$.imo_number" }
                    specs:
                      type: object
                      properties:
                        yearBuilt: { type: number, mapping: "$.year_built" }
                        length: { type: number, mapping: "$.dimensions.length_overall" }`;

const CREW_STEPS = `
              steps:
                - { type: call, name: ship, call: fleet.get-ship, with: { imo_number: "{{imo}}" } }
                - { type: call, name: roster, call: fleet.list-crew }
                - type: lookup
                  name: crew
                  index: roster
                  match: crewId
                  lookupValue: "$.ship.assignedCrew"
                  outputParameters: [ fullName, role ]
              mappings:
                - { targetName: imo, value: "$.ship.imo_number" }
                - { targetName: specs.length, value: "$.ship.dimensions.length_overall" }
                - { targetName: crew, value: "$.crew" }`;

const VOYAGE_OUTPUT = `
                - type: object
                  properties:
                    id: { type: string, mapping: "$.voyageId" }
                    route: { type: object, properties: { from: { type: string, mapping: "$.departurePort" } } }
                    crew: { type: array, mapping: "$.crewIds", items: { type: string, mapping: "$." } }`;

/** The fleet capability: a REST adapter (fleet-api) and an MCP adapter (fleet-tools) over the same operations. */
export const FLEET: Capability = {
  id: 'fleet',
  yaml: `naftiko: "1.0.0-alpha2"
info:
  label: Fleet
  description: Fleet operations
capability:${FLEET_CONSUMES}
  exposes:
    - type: rest
      port: 8080
      namespace: fleet-api
      resources:
        - path: "/ships"
          operations:
            - method: GET
              inputParameters:
                - { name: status, in: query, type: string, description: "Filter" }
              call: fleet.list-ships
              with: { status: fleet-api.status }
              outputParameters:${SHIP_LIST_OUTPUT}
        - path: "/ships/{imo}"
          operations:
            - method: GET
              inputParameters:
                - { name: imo, in: path, type: string, description: "IMO" }
              call: fleet.get-ship
              with: { imo_number: "{{imo}}" }
        - path: "/ship-card"
          operations:
            - method: GET
              inputParameters:
                - { name: imo, in: query, type: string, required: true, description: "IMO" }
              call: fleet.get-ship
              with: { imo_number: fleet-api.imo }
              outputParameters:${SHIP_CARD_OUTPUT}
        - path: "/foreign/{imo}"
          operations:
            - method: GET
              inputParameters:
                - { name: imo, in: path, type: string, description: "IMO" }
              call: fleet.get-ship
              with: { imo_number: fleet-tools.imo }
              outputParameters:${SHIP_CARD_OUTPUT}
        - path: "/ships/{imo}/crew"
          operations:
            - method: GET
              inputParameters:
                - { name: imo, in: path, type: string, description: "IMO" }${CREW_STEPS}
        - path: "/voyages"
          operations:
            - method: POST
              inputParameters:
                - { name: shipImo, in: body, type: string, description: "Ship" }
                - { name: from, in: body, type: string, description: "From", value: "$.route.from" }
                - { name: to, in: body, type: string, description: "To", value: "$.route.to" }
                - { name: crewIds, in: body, type: array, description: "Crew" }
              call: fleet.create-voyage
              outputParameters:${VOYAGE_OUTPUT}
        - path: "/ships/{imo}/name"
          operations:
            - method: GET
              inputParameters:
                - { name: imo, in: path, type: string, description: "IMO" }
              call: fleet.get-ship
              with: { imo_number: fleet-api.imo }
              outputParameters:
                - { type: string, mapping: "$.missing" }
                - { type: string, mapping: "$.vessel_name" }
        - path: "/ships/{imo}/nothing"
          operations:
            - method: GET
              inputParameters:
                - { name: imo, in: path, type: string, description: "IMO" }
              call: fleet.get-ship
              with: { imo_number: fleet-api.imo }
              outputParameters:
                - { type: array, mapping: "$.nope" }
        - path: "/describe/{imo}"
          operations:
            - method: GET
              inputParameters:
                - { name: imo, in: path, type: string, description: "IMO number" }
              outputParameters:
                - { name: imo, type: string, value: "{{imo}}" }
                - { name: name, type: string, value: "Northern Star" }
                - { name: built, type: number, value: "2015" }
        - path: "/hello"
          operations:
            - method: GET
              inputParameters:
                - { name: who, in: query, type: string, description: "Name" }
              outputParameters:
                - { type: string, value: "Hello, {{who}}!" }
    - type: mcp
      port: 9090
      namespace: fleet-tools
      description: "Fleet tools"
      tools:
        - name: describe-ship
          description: "Describe a ship"
          inputParameters:
            - { name: imo, type: string, description: "IMO number" }
          outputParameters:
            - { name: imo, type: string, value: "{{imo}}" }
            - { name: name, type: string, value: "Northern Star" }
            - { name: built, type: number, value: "2015" }
        - name: list-ships
          description: "List ships"
          inputParameters:
            - { name: status, type: string, required: false, description: "Filter" }
          call: fleet.list-ships
          with: { status: fleet-tools.status }
          outputParameters:${SHIP_LIST_OUTPUT.replace(/^ {4}/gm, '')}
        - name: get-ship-raw
          description: "Ship as the upstream returns it"
          inputParameters:
            - { name: imo, type: string, description: "IMO" }
          call: fleet.get-ship
          with: { imo_number: fleet-tools.imo }
        - name: get-ship
          description: "Ship card"
          inputParameters:
            - { name: imo, type: string, description: "IMO" }
          call: fleet.get-ship
          with: { imo_number: fleet-tools.imo }
          outputParameters:${SHIP_CARD_OUTPUT.replace(/^ {4}/gm, '')}
        - name: get-ship-foreign
          description: "Ship card, with a foreign namespace in with"
          inputParameters:
            - { name: imo, type: string, description: "IMO" }
          call: fleet.get-ship
          with: { imo_number: fleet-api.imo }
          outputParameters:${SHIP_CARD_OUTPUT.replace(/^ {4}/gm, '')}
        - name: ship-with-crew
          description: "Ship and crew"
          inputParameters:
            - { name: imo, type: string, description: "IMO" }${CREW_STEPS.replace(/^ {4}/gm, '')}
        - name: plan-voyage
          label: "Plan voyage"
          description: "Create a voyage"
          hints: { readOnly: false, destructive: false, openWorld: true }
          inputParameters:
            - { name: shipImo, type: string, description: "Ship" }
            - { name: from, type: string, description: "From" }
            - { name: to, type: string, description: "To" }
            - { name: crewIds, type: array, description: "Crew ids" }
          call: fleet.create-voyage
          outputParameters:${VOYAGE_OUTPUT.replace(/^ {4}/gm, '')}
        - name: ship-name
          description: "Ship name"
          inputParameters:
            - { name: imo, type: string, description: "IMO" }
          call: fleet.get-ship
          with: { imo_number: fleet-tools.imo }
          outputParameters:
            - { type: string, mapping: "$.missing" }
            - { type: string, mapping: "$.vessel_name" }
        - name: ship-nothing
          description: "Maps nothing"
          inputParameters:
            - { name: imo, type: string, description: "IMO" }
          call: fleet.get-ship
          with: { imo_number: fleet-tools.imo }
          outputParameters:
            - { type: array, mapping: "$.nope" }
        - name: hello
          description: "Greets"
          inputParameters:
            - { name: who, type: string, description: "Name" }
          outputParameters:
            - { type: string, value: "Hello, {{who}}!" }
`,
};

/** The fleet capability with its upstream on a closed port. */
export const FLEET_DOWN: Capability = { ...FLEET, id: 'fleet-down', overrides: { fleet: CLOSED } };

/** XML and CSV upstreams. */
export const FORMATS: Capability = {
  id: 'formats',
  yaml: `naftiko: "1.0.0-alpha2"
info:
  label: Formats
  description: XML and CSV upstreams
capability:
  consumes:
    - namespace: dock
      type: http
      baseUri: "http://up"
      resources:
        - name: vessels
          path: "/vessels"
          operations:
            - name: list-vessels
              method: GET
              outputRawFormat: xml
              inputParameters: [ { name: status, in: query } ]
        - name: people
          path: "/people.csv"
          operations:
            - name: list-people
              method: GET
              outputRawFormat: csv
  exposes:
    - type: rest
      port: 8080
      namespace: dock-api
      resources:
        - path: "/vessels"
          operations:
            - method: GET
              inputParameters: [ { name: status, in: query, type: string, description: "s" } ]
              call: dock.list-vessels
              with: { status: dock-api.status }
              outputParameters:
                - { type: array, mapping: "$.vessel", items: { type: object, properties: { code: { type: string, mapping: "$.code" } } } }
        - path: "/people"
          operations:
            - method: GET
              call: dock.list-people
              outputParameters:
                - { type: array, mapping: "$", items: { type: object, properties: { n: { type: string, mapping: "$.name" }, id: { type: string, mapping: "$.id" } } } }
    - type: mcp
      port: 9090
      namespace: dock-tools
      tools:
        - name: list-vessels
          description: "Vessels"
          inputParameters: [ { name: status, type: string, required: false, description: "s" } ]
          call: dock.list-vessels
          with: { status: dock-tools.status }
          outputParameters:
            - { type: array, mapping: "$.vessel", items: { type: object, properties: { code: { type: string, mapping: "$.code" } } } }
        - name: list-people
          description: "People"
          call: dock.list-people
          outputParameters:
            - { type: array, mapping: "$", items: { type: object, properties: { n: { type: string, mapping: "$.name" }, id: { type: string, mapping: "$.id" } } } }
`,
};

/** Forward proxy: REST only. */
export const PROXY: Capability = {
  id: 'proxy',
  yaml: `naftiko: "1.0.0-alpha2"
info:
  label: Proxy
  description: Forward proxy
capability:
  consumes:
    - namespace: notes
      type: http
      baseUri: "http://up/v2"
      inputParameters: [ { name: X-Api-Version, in: header, value: "2025-09-03" } ]
  exposes:
    - type: rest
      port: 8080
      namespace: proxy
      resources:
        - path: "/notes/{path}"
          forward: { targetNamespace: notes, trustedHeaders: [ X-Trace ] }
`,
};

const listShipsOp = (auth: string) => `
      authentication: ${auth}
      resources:
        - name: ships
          path: "/ships"
          operations:
            - name: list-ships
              method: GET
              inputParameters:
                - { name: status, in: query }`;

/** Consumed authentication placements with values from binds. */
export const AUTHS: Capability = {
  id: 'auths',
  env: { FLEET_KEY: 'k-1', FLEET_TOKEN: 't-123', FLEET_USER: 'u', FLEET_PASS: 'p' },
  yaml: `naftiko: "1.0.0-alpha2"
info:
  label: Auth placements
  description: Consumed auth
binds:
  - namespace: env
    keys: { FLEET_KEY: FLEET_KEY, FLEET_TOKEN: FLEET_TOKEN, FLEET_USER: FLEET_USER, FLEET_PASS: FLEET_PASS }
capability:
  consumes:
    - namespace: by-query
      type: http
      baseUri: "http://up"${listShipsOp('{ type: apikey, key: api_key, value: "{{FLEET_KEY}}", placement: query }')}
    - namespace: by-header
      type: http
      baseUri: "http://up"${listShipsOp('{ type: apikey, key: X-Api-Key, value: "{{FLEET_KEY}}", placement: header }')}
    - namespace: by-bearer
      type: http
      baseUri: "http://up"${listShipsOp('{ type: bearer, token: "{{FLEET_TOKEN}}" }')}
    - namespace: by-basic
      type: http
      baseUri: "http://up"${listShipsOp('{ type: basic, username: "{{FLEET_USER}}", password: "{{FLEET_PASS}}" }')}
  exposes:
    - type: rest
      port: 8080
      namespace: auth-api
      resources:
${['query', 'header', 'bearer', 'basic']
  .map(
    (k) => `        - path: "/${k}/ships"
          operations:
            - method: GET
              inputParameters: [ { name: status, in: query, type: string, description: "s" } ]
              call: by-${k}.list-ships
              with: { status: auth-api.status }`,
  )
  .join('\n')}
    - type: mcp
      port: 9090
      namespace: auth-tools
      tools:
${['query', 'header', 'bearer', 'basic']
  .map(
    (k) => `        - name: ships-${k}
          description: "Ships via ${k}"
          inputParameters: [ { name: status, type: string, required: false, description: "s" } ]
          call: by-${k}.list-ships
          with: { status: auth-tools.status }`,
  )
  .join('\n')}
`,
};

/** File binds feed consumed auth and headers. */
export const FILE_BINDS: Capability = {
  id: 'file-binds',
  files: { 'secrets.yaml': 'registry-token: "tok-9"\napi-version: "2.1"\n' },
  yaml: `naftiko: "1.0.0-alpha2"
info:
  label: File binds
  description: Secrets from a file
binds:
  - namespace: env
    location: "file:///./secrets.yaml"
    keys: { REG_TOKEN: registry-token, REG_VERSION: api-version }
capability:
  consumes:
    - namespace: fleet
      type: http
      baseUri: "http://up"
      authentication: { type: bearer, token: "{{REG_TOKEN}}" }
      inputParameters: [ { name: X-Version, in: header, value: "{{REG_VERSION}}" } ]
      resources:
        - name: ships
          path: "/ships"
          operations:
            - name: list-ships
              method: GET
              inputParameters:
                - { name: status, in: query }
  exposes:
    - type: rest
      port: 8080
      namespace: fleet-api
      resources:
        - path: "/ships"
          operations:
            - method: GET
              inputParameters: [ { name: status, in: query, type: string, description: "s" } ]
              call: fleet.list-ships
              with: { status: fleet-api.status }
    - type: mcp
      port: 9090
      namespace: fleet-tools
      tools:
        - name: list-ships
          description: "List ships"
          inputParameters: [ { name: status, type: string, required: false, description: "s" } ]
          call: fleet.list-ships
          with: { status: fleet-tools.status }
`,
};

/** Server authentication: bearer on MCP, apikey header on REST, secrets from binds. */
export const GUARDED: Capability = {
  id: 'guarded',
  env: { MCP_TOKEN: 'mcp-secret', REST_KEY: 'k-2' },
  yaml: `naftiko: "1.0.0-alpha2"
info:
  label: Guarded
  description: Server auth
binds:
  - namespace: env
    keys: { MCP_TOKEN: MCP_TOKEN, REST_KEY: REST_KEY }
capability:
  consumes:
    - namespace: fleet
      type: http
      baseUri: "http://up"
      resources:
        - name: crew
          path: "/crew"
          operations:
            - name: list-crew
              method: GET
  exposes:
    - type: rest
      port: 8080
      namespace: guarded-api
      authentication: { type: apikey, key: X-Key, value: "{{REST_KEY}}", placement: header }
      resources:
        - path: "/crew"
          operations:
            - method: GET
              call: fleet.list-crew
    - type: mcp
      port: 9090
      namespace: guarded-tools
      authentication: { type: bearer, token: "{{MCP_TOKEN}}" }
      tools:
        - name: list-crew
          description: "Crew"
          call: fleet.list-crew
`,
};

/** Aggregates: one mock function shared by MCP and REST, semantics → annotations. */
export const AGGREGATES: Capability = {
  id: 'aggregates',
  yaml: `naftiko: "1.0.0-alpha2"
info:
  label: Greeting
  description: Aggregates
capability:
  consumes:
    - namespace: fleet
      type: http
      baseUri: "http://up"
      resources:
        - name: ships
          path: "/ships"
          operations:
            - name: list-ships
              method: GET
              inputParameters:
                - { name: status, in: query }
  aggregates:
    - label: Greeting
      namespace: greet
      functions:
        - name: hello
          description: "Greeting payload"
          inputParameters: [ { name: who, type: string, description: "Name" } ]
          outputParameters:
            - { name: message, type: string, value: "Hello, {{who}}!" }
            - { name: source, type: string, value: "aggregate" }
    - label: Fleet aggregate
      namespace: fleet-agg
      functions:
        - name: list
          description: "List ships"
          semantics: { safe: true, idempotent: true, cacheable: true }
          inputParameters: [ { name: status, type: string, required: false, description: "s" } ]
          call: fleet.list-ships
          with: { status: fleet-agg.status }
  exposes:
    - type: mcp
      port: 9090
      namespace: greet-mcp
      tools:
        - { ref: greet.hello }
        - { ref: fleet-agg.list }
        - { ref: fleet-agg.list, name: list-open, hints: { openWorld: true } }
        - { ref: fleet-agg.list, name: list-rw, hints: { readOnly: false } }
        - name: plain
          description: "No ref, no hints"
          outputParameters:
            - { name: x, type: string, value: "y" }
    - type: rest
      port: 8080
      namespace: greet-rest
      resources:
        - path: "/hello"
          operations:
            - { method: GET, ref: greet.hello, inputParameters: [ { name: who, in: query, type: string, description: "n" } ] }
`,
};

export const AMPERSAND_KEY = 'amp-test-key-123';

/** The seed capability, unchanged from the repository; its namespace points at the mock's root. */
export const AMPERSAND: Capability = {
  id: 'ampersand',
  yaml: readFileSync(path.join(ROOT, 'capabilities/ampersand-operation.yaml'), 'utf8'),
  env: { AMPERSAND_API_KEY: AMPERSAND_KEY },
  overrides: { 'ampersand-operation': MOCK },
};

/** The seed capability with its secret unset (503 problem naming the variable). */
export const AMPERSAND_NO_KEY: Capability = { ...AMPERSAND, id: 'ampersand-no-key', env: {} };

// ---------------------------------------------------------------------------------------------
// Mock replies used by several cases

/** A complete operation (every field the seed capability declares), so its mapping is the identity. */
const AMP_OPERATION = {
  id: 'op-1',
  projectId: 'p1',
  integrationId: 'i1',
  installationId: 'n1',
  configId: 'c1',
  actionType: 'read',
  status: 'success',
  result: '[contact] Read 5000 records',
  metadata: {
    objects: ['contact'],
    retry: { attempts: 1, lastAttempt: '2026-05-20T12:00:01Z' },
    progress: {
      installationId: 'n1',
      objectName: 'contact',
      operationId: 'op-1',
      recordsProcessed: 5000,
      recordsEstimatedTotal: 5000,
    },
    successfulRecordIds: ['r1'],
  },
  createTime: '2026-05-20T12:00:00Z',
};
const AMP_LIST = { results: [AMP_OPERATION], pagination: { done: false, nextPageToken: 't2' } };

const ampersandRoutes: MockRoute[] = [
  { method: 'GET', path: '/projects/:project/operations/:op', reply: { json: AMP_OPERATION } },
  { method: 'GET', path: '/projects/:project/integrations/:i/installations/:n/operations', reply: { json: AMP_LIST } },
];

const shipsBadGateway: MockRoute[] = [
  {
    method: 'GET',
    path: '/ships/IMO-1',
    reply: { status: 502, body: 'Bad gateway', headers: { 'content-type': 'text/plain' } },
  },
];

const XML_MANY = '<vessels><vessel><code>A</code></vessel><vessel><code>B</code></vessel></vessels>';
const XML_ONE = '<vessels><vessel><code>B</code></vessel></vessels>';
const formatRoutes: MockRoute[] = [
  {
    method: 'GET',
    path: '/vessels',
    reply: (req) => ({
      body: req.searchParams.get('status') === 'laid_up' ? XML_ONE : XML_MANY,
      headers: { 'content-type': 'application/xml' },
    }),
  },
  {
    method: 'GET',
    path: '/people.csv',
    reply: { body: 'id,name\n1,Ann\n2,Bo\n', headers: { 'content-type': 'text/csv' } },
  },
];

const noteEcho: MockRoute[] = [
  {
    method: '*',
    path: '/v2/*',
    reply: (req) => ({ status: 207, json: { got: req.method, path: req.path, body: req.text } }),
  },
];

// ---------------------------------------------------------------------------------------------
// Expected upstream requests

const getShips = (query = ''): UpstreamExpect => ({ method: 'GET', path: '/ships', query });
const getShip = (id: string): UpstreamExpect => ({ method: 'GET', path: `/ships/${id}`, query: '' });
const LIST_ALL = [
  { imo: 'IMO-1', name: 'Northern Star', state: 'active' },
  { imo: 'IMO-2', name: 'Pacific Dawn', state: 'maintenance' },
];
const SHIP_CARD = { imo: 'IMO-1', specs: { yearBuilt: 2015, length: 229 } };
const NOT_FOUND_BODY = (x: string) => JSON.stringify({ error: 'not_found', message: `no ship ${x}` });
const VOYAGE_REQUEST = { shipImo: 'IMO-1', route: { from: 'Oslo', to: 'Singapore' }, crewIds: ['C-1', 'C-3'] };

// ---------------------------------------------------------------------------------------------
// The table

export const CASES: readonly Case[] = [
  {
    id: 'mock-typed-values',
    title: 'mock tool returns templated values, each of its declared type',
    capability: FLEET,
    rest: { method: 'GET', path: '/describe/IMO-9' },
    mcp: { tool: 'describe-ship', args: { imo: 'IMO-9' } },
    upstream: [],
    expect: { kind: 'ok', value: { imo: 'IMO-9', name: 'Northern Star', built: 2015 } },
    differs:
      'a value declared `type: number` is the number 2015 (the reference emitted every mock value as a string, so a declared number arrived as "2015").',
  },
  {
    id: 'projection-absent-query',
    title: 'array projection; an absent optional query parameter is omitted (no query string at all)',
    capability: FLEET,
    rest: { method: 'GET', path: '/ships' },
    mcp: { tool: 'list-ships', args: {} },
    upstream: [getShips('')],
    expect: { kind: 'ok', value: LIST_ALL },
  },
  {
    id: 'projection-query',
    title: 'array projection; the query input is passed through',
    capability: FLEET,
    rest: { method: 'GET', path: '/ships?status=active' },
    mcp: { tool: 'list-ships', args: { status: 'active' } },
    upstream: [getShips('status=active')],
    expect: { kind: 'ok', value: [LIST_ALL[0]] },
  },
  {
    id: 'nested-output',
    title: 'namespace-qualified with, nested object output, numbers stay numbers',
    capability: FLEET,
    rest: { method: 'GET', path: '/ship-card?imo=IMO-1' },
    mcp: { tool: 'get-ship', args: { imo: 'IMO-1' } },
    upstream: [getShip('IMO-1')],
    expect: { kind: 'ok', value: SHIP_CARD },
  },
  {
    id: 'foreign-namespace-literal',
    title: 'a with value naming another namespace is sent as literal text (and warned about at load)',
    capability: FLEET,
    rest: { method: 'GET', path: '/foreign/IMO-1' },
    mcp: { tool: 'get-ship-foreign', args: { imo: 'IMO-1' } },
    upstream: { rest: [getShip('fleet-tools.imo')], mcp: [getShip('fleet-api.imo')] },
    expect: {
      kind: 'upstream-error',
      status: 404,
      body: /^\{"error":"not_found","message":"no ship fleet-(api|tools)\.imo"\}$/,
    },
    warnings: ['WITH_FOREIGN_NAMESPACE'],
    differs:
      'on an upstream 4xx the reference returns the mapped shell ({"imo":null,…}) as the tool error; capgate returns the upstream error body (REST: status + body as is; MCP: isError "Upstream returned <status>: <body>").',
  },
  {
    id: 'missing-argument',
    title: 'missing required argument: 400 / tool error naming it, no upstream call',
    capability: FLEET,
    rest: { method: 'GET', path: '/ship-card' },
    mcp: { tool: 'get-ship', args: {} },
    upstream: [],
    expect: { kind: 'error', status: 400, code: 'INPUT_MISSING', mentions: ['imo'] },
    differs:
      'the reference does not validate inputs (JSON-RPC -32602 from URI resolution, or an upstream call with an empty segment); capgate answers REST 400 INPUT_MISSING and an MCP isError result "Input validation error: … imo" before any upstream call.',
  },
  {
    id: 'unexpected-argument',
    title: 'an unexpected argument does not stand in for a missing required one',
    capability: FLEET,
    rest: { method: 'GET', path: '/ship-card?other=x' },
    mcp: { tool: 'get-ship', args: { other: 'x' } },
    upstream: [],
    expect: { kind: 'error', status: 400, code: 'INPUT_MISSING', mentions: ['imo'] },
  },
  {
    id: 'upstream-4xx',
    title: 'upstream 4xx: REST passes status and body; MCP isError with status and message',
    capability: FLEET,
    rest: { method: 'GET', path: '/ship-card?imo=IMO-404' },
    mcp: { tool: 'get-ship', args: { imo: 'IMO-404' } },
    upstream: [getShip('IMO-404')],
    expect: { kind: 'upstream-error', status: 404, body: NOT_FOUND_BODY('IMO-404'), contentType: 'application/json' },
  },
  {
    id: 'upstream-5xx-text',
    title: 'upstream 5xx with a non-JSON body',
    capability: FLEET,
    routes: [...shipsBadGateway, ...fleetRoutes()],
    rest: { method: 'GET', path: '/ship-card?imo=IMO-1' },
    mcp: { tool: 'get-ship', args: { imo: 'IMO-1' } },
    upstream: [getShip('IMO-1')],
    expect: { kind: 'upstream-error', status: 502, body: 'Bad gateway', contentType: 'text/plain' },
    differs:
      'the reference answers "Error: <JSON parse error>"; capgate passes the upstream status and body (MCP text "Upstream returned 502: Bad gateway").',
  },
  {
    id: 'upstream-unreachable',
    title: 'unreachable upstream: REST 502 problem UPSTREAM_UNREACHABLE; MCP isError naming the host',
    capability: FLEET_DOWN,
    rest: { method: 'GET', path: '/ship-card?imo=IMO-1' },
    mcp: { tool: 'get-ship', args: { imo: 'IMO-1' } },
    upstream: [],
    expect: { kind: 'error', status: 502, code: 'UPSTREAM_UNREACHABLE', mentions: ['unreachable', '127.0.0.1'] },
  },
  {
    id: 'orchestration',
    title: 'orchestration: call + call + lookup, mappings with dotted targets; lookup fields not filtered',
    capability: FLEET,
    rest: { method: 'GET', path: '/ships/IMO-1/crew' },
    mcp: { tool: 'ship-with-crew', args: { imo: 'IMO-1' } },
    upstream: [getShip('IMO-1'), { method: 'GET', path: '/crew', query: '' }],
    expect: {
      kind: 'ok',
      value: {
        imo: 'IMO-1',
        specs: { length: 229 },
        crew: [
          { fullName: CREW[0].fullName, role: CREW[0].role },
          { fullName: CREW[2].fullName, role: CREW[2].role },
        ],
      },
    },
  },
  {
    id: 'pass-through-raw',
    title: 'no outputs declared: the upstream body passes through byte for byte with its content type',
    capability: FLEET,
    rest: { method: 'GET', path: '/ships/IMO-1' },
    mcp: { tool: 'get-ship-raw', args: { imo: 'IMO-1' } },
    upstream: [getShip('IMO-1')],
    expect: { kind: 'ok', value: SHIP_1, text: SHIP_1_TEXT, contentType: 'application/json' },
  },
  {
    id: 'pass-through-404',
    title: 'pass-through route: upstream 404 status and JSON error body',
    capability: FLEET,
    rest: { method: 'GET', path: '/ships/IMO-404' },
    mcp: { tool: 'get-ship-raw', args: { imo: 'IMO-404' } },
    upstream: [getShip('IMO-404')],
    expect: { kind: 'upstream-error', status: 404, body: NOT_FOUND_BODY('IMO-404'), contentType: 'application/json' },
  },
  {
    id: 'path-segment-encoded',
    title: 'a path value is one percent-encoded segment: "a/b" cannot add a segment',
    capability: FLEET,
    rest: { method: 'GET', path: '/ships/a%2Fb' },
    mcp: { tool: 'get-ship-raw', args: { imo: 'a/b' } },
    upstream: [getShip('a%2Fb')],
    expect: { kind: 'upstream-error', status: 404, body: NOT_FOUND_BODY('a/b') },
  },
  {
    id: 'path-dot-dot',
    title: 'a path value ".." is refused (no encoding of it survives URL normalisation); no upstream call',
    capability: FLEET,
    rest: { method: 'GET', path: '/ship-card?imo=..' },
    mcp: { tool: 'get-ship', args: { imo: '..' } },
    upstream: [],
    expect: { kind: 'error', status: 400, code: 'INPUT_INVALID', mentions: ['imo_number'] },
    differs:
      'path values are percent-encoded as one segment and "." / ".." are refused with 400 INPUT_INVALID; the reference inserts values raw (a value can change the upstream path).',
  },
  {
    id: 'body-template',
    title: 'body fields feed a JSON body template (array as JSON); upstream 201 passes through',
    capability: FLEET,
    rest: { method: 'POST', path: '/voyages', json: VOYAGE_REQUEST },
    mcp: { tool: 'plan-voyage', args: { shipImo: 'IMO-1', from: 'Oslo', to: 'Singapore', crewIds: ['C-1', 'C-3'] } },
    upstream: [
      {
        method: 'POST',
        path: '/voyages',
        query: '',
        headers: { 'content-type': 'application/json' },
        body: '{"shipImo":"IMO-1","departurePort":"Oslo","arrivalPort":"Singapore","crewIds":["C-1","C-3"]}',
      },
    ],
    expect: { kind: 'ok', status: 201, value: { id: 'V-42', route: { from: 'Oslo' }, crew: ['C-1', 'C-3'] } },
  },
  {
    id: 'body-template-quote',
    title: 'a value with a double quote is JSON-escaped inside the body template',
    capability: FLEET,
    rest: { method: 'POST', path: '/voyages', json: { ...VOYAGE_REQUEST, shipImo: 'IMO-"7\\' } },
    mcp: { tool: 'plan-voyage', args: { shipImo: 'IMO-"7\\', from: 'Oslo', to: 'Singapore', crewIds: ['C-1', 'C-3'] } },
    upstream: [
      {
        method: 'POST',
        path: '/voyages',
        body: '{"shipImo":"IMO-\\"7\\\\","departurePort":"Oslo","arrivalPort":"Singapore","crewIds":["C-1","C-3"]}',
      },
    ],
    expect: { kind: 'ok', status: 201, value: { id: 'V-42', route: { from: 'Oslo' }, crew: ['C-1', 'C-3'] } },
    differs:
      'values are JSON-encoded where they sit in a JSON body template (the reference pasted them raw and produced invalid JSON).',
  },
  {
    id: 'body-template-null',
    title: 'an optional body field that is absent renders as JSON null (never invalid JSON)',
    capability: FLEET,
    rest: { method: 'POST', path: '/voyages', json: { shipImo: 'IMO-1', route: { from: 'Oslo', to: 'Singapore' } } },
    upstream: [
      {
        method: 'POST',
        path: '/voyages',
        body: '{"shipImo":"IMO-1","departurePort":"Oslo","arrivalPort":"Singapore","crewIds":null}',
      },
    ],
    expect: { kind: 'ok', status: 201, value: { id: 'V-42', route: { from: 'Oslo' }, crew: null } },
    differs:
      'a missing value in a JSON body template renders null (the reference sent `"crewIds":}`); REST body inputs are optional unless `required: true`, MCP tool inputs are required by default.',
  },
  {
    id: 'mock-static-value',
    title: 'mock operation: a single unnamed static output is the value itself',
    capability: FLEET,
    rest: { method: 'GET', path: '/hello?who=Ada' },
    mcp: { tool: 'hello', args: { who: 'Ada' } },
    upstream: [],
    expect: { kind: 'ok', value: 'Hello, Ada!' },
    differs:
      'the declared value is the answer, "Hello, Ada!" (the reference wrapped unnamed mock outputs as {"value": …}); named mock outputs are still keyed by name.',
  },
  {
    id: 'first-output-wins',
    title: 'first output that yields a value wins (a JSON string)',
    capability: FLEET,
    rest: { method: 'GET', path: '/ships/IMO-1/name' },
    mcp: { tool: 'ship-name', args: { imo: 'IMO-1' } },
    upstream: [getShip('IMO-1')],
    expect: { kind: 'ok', value: 'Northern Star' },
  },
  {
    id: 'mapping-matches-nothing',
    title: 'a mapping that matches nothing is a 502 MAPPING_FAILED, not a silent raw fallback',
    capability: FLEET,
    rest: { method: 'GET', path: '/ships/IMO-1/nothing' },
    mcp: { tool: 'ship-nothing', args: { imo: 'IMO-1' } },
    upstream: [getShip('IMO-1')],
    expect: { kind: 'error', status: 502, code: 'MAPPING_FAILED', mentions: ['matched nothing'] },
    differs:
      'when no output parameter yields a value the reference returns the raw upstream body with 200; capgate answers 502 MAPPING_FAILED (REST problem+json, MCP isError).',
  },
  {
    id: 'xml-many',
    title: 'XML upstream, many elements',
    capability: FORMATS,
    routes: formatRoutes,
    rest: { method: 'GET', path: '/vessels' },
    mcp: { tool: 'list-vessels', args: {} },
    upstream: [{ method: 'GET', path: '/vessels', query: '' }],
    expect: { kind: 'ok', value: [{ code: 'A' }, { code: 'B' }] },
  },
  {
    id: 'xml-one',
    title: 'XML upstream, one element mapped as an array is a one-item array',
    capability: FORMATS,
    routes: formatRoutes,
    rest: { method: 'GET', path: '/vessels?status=laid_up' },
    mcp: { tool: 'list-vessels', args: { status: 'laid_up' } },
    upstream: [{ method: 'GET', path: '/vessels', query: 'status=laid_up' }],
    expect: { kind: 'ok', value: [{ code: 'B' }] },
    differs:
      'a single XML element where an array is mapped becomes a one-item array (the reference falls back to the raw XML).',
  },
  {
    id: 'csv',
    title: 'CSV upstream: rows as objects, every value a string',
    capability: FORMATS,
    routes: formatRoutes,
    rest: { method: 'GET', path: '/people' },
    mcp: { tool: 'list-people', args: {} },
    upstream: [{ method: 'GET', path: '/people.csv' }],
    expect: {
      kind: 'ok',
      value: [
        { n: 'Ann', id: '1' },
        { n: 'Bo', id: '2' },
      ],
    },
  },
  {
    id: 'forward',
    title: 'forward: method, path remainder, query string, body, trusted headers only, consumes-level header',
    capability: PROXY,
    routes: noteEcho,
    rest: {
      method: 'PUT',
      path: '/notes/a/b?x=1',
      headers: { 'X-Trace': 't1', 'X-Secret': 's', Authorization: 'Bearer caller', 'content-type': 'application/json' },
      json: { k: 1 },
    },
    upstream: [
      {
        method: 'PUT',
        path: '/v2/a/b',
        query: 'x=1',
        body: '{"k":1}',
        headers: {
          'x-trace': 't1',
          'x-api-version': '2025-09-03',
          'x-secret': null,
          authorization: null,
          'content-type': 'application/json',
        },
      },
    ],
    expect: { kind: 'ok', status: 207, value: { got: 'PUT', path: '/v2/a/b', body: '{"k":1}' } },
    differs:
      'the query string is forwarded (the reference drops it); the caller Authorization is not forwarded unless listed in trustedHeaders.',
  },
  ...(['query', 'header', 'bearer', 'basic'] as const).map((k): Case => ({
    id: `consumed-auth-${k}`,
    title: `consumed auth from binds: ${k}`,
    capability: AUTHS,
    rest: { method: 'GET', path: `/${k}/ships?status=active` },
    mcp: { tool: `ships-${k}`, args: { status: 'active' } },
    upstream: [
      {
        method: 'GET',
        path: '/ships',
        query: k === 'query' ? 'status=active&api_key=k-1' : 'status=active',
        headers:
          k === 'header'
            ? { 'x-api-key': 'k-1', authorization: null }
            : k === 'bearer'
              ? { authorization: 'Bearer t-123' }
              : k === 'basic'
                ? { authorization: 'Basic dTpw' }
                : { authorization: null, 'x-api-key': null },
      },
    ],
    expect: { kind: 'ok', value: [SHIPS[0]] },
    ...(k === 'query'
      ? {
          differs:
            'bind values are injected into consumed authentication and parameters (the reference sent the {{VAR}} text literally).',
        }
      : {}),
  })),
  {
    id: 'caller-auth-not-forwarded',
    title: "the caller's Authorization is not forwarded upstream",
    capability: FLEET,
    rest: { method: 'GET', path: '/ships', headers: { Authorization: 'Bearer caller-token' } },
    mcp: { tool: 'list-ships', args: {}, headers: { Authorization: 'Bearer caller-token' } },
    upstream: [{ method: 'GET', path: '/ships', headers: { authorization: null } }],
    expect: { kind: 'ok', value: LIST_ALL },
    differs:
      "the reference forwards the caller's Authorization when the consumes block has no auth; capgate never does (forward: only via trustedHeaders).",
  },
  {
    id: 'file-binds',
    title: 'file binds feed the consumed bearer token and a consumes-level header',
    capability: FILE_BINDS,
    rest: { method: 'GET', path: '/ships' },
    mcp: { tool: 'list-ships', args: {} },
    upstream: [
      { method: 'GET', path: '/ships', query: '', headers: { authorization: 'Bearer tok-9', 'x-version': '2.1' } },
    ],
    expect: { kind: 'ok', value: SHIPS },
  },
  {
    id: 'server-auth-denied',
    title: 'server auth: no credentials → 401',
    capability: GUARDED,
    rest: { method: 'GET', path: '/crew' },
    mcp: { tool: 'list-crew', args: {} },
    upstream: [],
    expect: { kind: 'unauthorized' },
  },
  {
    id: 'server-auth-wrong',
    title: 'server auth: wrong credentials → 401',
    capability: GUARDED,
    rest: { method: 'GET', path: '/crew', headers: { 'X-Key': 'nope' } },
    mcp: { tool: 'list-crew', args: {}, headers: { Authorization: 'Bearer wrong' } },
    upstream: [],
    expect: { kind: 'unauthorized' },
  },
  {
    id: 'server-auth-allowed',
    title: 'server auth: secrets from binds; right credentials pass and are not sent upstream',
    capability: GUARDED,
    rest: { method: 'GET', path: '/crew', headers: { 'X-Key': 'k-2' } },
    mcp: { tool: 'list-crew', args: {}, headers: { Authorization: 'Bearer mcp-secret' } },
    upstream: [{ method: 'GET', path: '/crew', headers: { authorization: null, 'x-key': null } }],
    expect: { kind: 'ok', value: CREW },
  },
  {
    id: 'aggregate-mock',
    title: 'one aggregate mock function shared by MCP and REST',
    capability: AGGREGATES,
    rest: { method: 'GET', path: '/hello?who=Nina' },
    mcp: { tool: 'hello', args: { who: 'Nina' } },
    upstream: [],
    expect: { kind: 'ok', value: { message: 'Hello, Nina!', source: 'aggregate' } },
  },
  {
    id: 'seed-ampersand',
    title: 'seed capability: path variables, bearer from the environment, JSON passed through unchanged',
    capability: AMPERSAND,
    routes: ampersandRoutes,
    rest: { method: 'GET', path: '/v1/projects/p1/operations/op-1' },
    mcp: { tool: 'ampersand-get-operation', args: { projectIdOrName: 'p1', operationId: 'op-1' } },
    upstream: [
      {
        method: 'GET',
        path: '/projects/p1/operations/op-1',
        query: '',
        headers: { authorization: `Bearer ${AMPERSAND_KEY}` },
      },
    ],
    expect: { kind: 'ok', value: AMP_OPERATION, contentType: 'application/json' },
  },
  {
    id: 'seed-ampersand-encode',
    title: 'seed capability: "../x" and "a/b" stay one segment each',
    capability: AMPERSAND,
    routes: [{ method: 'GET', path: /^\/projects\/[^/]+\/operations\/[^/]+$/, reply: { json: AMP_OPERATION } }],
    rest: { method: 'GET', path: '/v1/projects/..%2Fx/operations/a%2Fb' },
    mcp: { tool: 'ampersand-get-operation', args: { projectIdOrName: '../x', operationId: 'a/b' } },
    upstream: [{ method: 'GET', path: '/projects/..%2Fx/operations/a%2Fb', query: '' }],
    expect: { kind: 'ok', value: AMP_OPERATION },
  },
  {
    id: 'seed-ampersand-optional-query',
    title: 'seed capability: undeclared optional query parameters are omitted, never sent empty',
    capability: AMPERSAND,
    routes: ampersandRoutes,
    rest: { method: 'GET', path: '/v1/projects/p1/integrations/i1/installations/n1/operations' },
    mcp: {
      tool: 'ampersand-list-operations',
      args: { projectIdOrName: 'p1', integrationId: 'i1', installationId: 'n1' },
    },
    upstream: [{ method: 'GET', path: '/projects/p1/integrations/i1/installations/n1/operations', query: '' }],
    expect: { kind: 'ok', value: AMP_LIST },
  },
  {
    id: 'seed-ampersand-query',
    title: 'seed capability: a given optional query parameter is sent',
    capability: AMPERSAND,
    routes: ampersandRoutes,
    rest: { method: 'GET', path: '/v1/projects/p1/integrations/i1/installations/n1/operations?pageSize=5' },
    mcp: {
      tool: 'ampersand-list-operations',
      args: { projectIdOrName: 'p1', integrationId: 'i1', installationId: 'n1', pageSize: 5 },
    },
    upstream: [
      { method: 'GET', path: '/projects/p1/integrations/i1/installations/n1/operations', query: 'pageSize=5' },
    ],
    expect: { kind: 'ok', value: AMP_LIST },
  },
  {
    id: 'seed-ampersand-no-secret',
    title: 'seed capability without its secret: 503 naming the variable, no upstream call',
    capability: AMPERSAND_NO_KEY,
    routes: ampersandRoutes,
    rest: { method: 'GET', path: '/v1/projects/p1/operations/op-1' },
    mcp: { tool: 'ampersand-get-operation', args: { projectIdOrName: 'p1', operationId: 'op-1' } },
    upstream: [],
    expect: { kind: 'error', status: 503, code: 'SECRET_MISSING', mentions: ['AMPERSAND_API_KEY'] },
  },
];

// ---------------------------------------------------------------------------------------------
// MCP-only expectations on tools/list

export interface ToolListCase {
  readonly id: string;
  readonly capability: Capability;
  /** Tool name → expected fields (compared with toMatchObject), or `{ annotations: undefined }` for none. */
  readonly tools: Readonly<Record<string, Record<string, unknown>>>;
}

export const TOOL_LIST_CASES: readonly ToolListCase[] = [
  {
    id: 'tool-titles-and-hints',
    capability: FLEET,
    tools: {
      'plan-voyage': {
        title: 'Plan voyage',
        description: 'Create a voyage',
        annotations: { title: 'Plan voyage', readOnlyHint: false, destructiveHint: false, openWorldHint: true },
        inputSchema: { type: 'object', required: ['shipImo', 'from', 'to', 'crewIds'] },
      },
      'list-ships': { annotations: undefined },
    },
  },
  {
    id: 'aggregate-semantics',
    capability: AGGREGATES,
    tools: {
      hello: {
        description: 'Greeting payload',
        inputSchema: {
          type: 'object',
          properties: { who: { type: 'string', description: 'Name' } },
          required: ['who'],
        },
      },
      list: { annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true } },
      'list-open': {
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
      },
      'list-rw': { annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true } },
      plain: { annotations: undefined },
    },
  },
];
