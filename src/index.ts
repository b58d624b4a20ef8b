/**
 * @module index — capgate as a library: load capability files, build the plan, and serve it with the REST and MCP
 * exposers (what `capgate serve` does), for embedding the gateway in another Node program.
 */
export {
  loadCapabilities,
  DEFAULT_LOAD_LIMITS,
  type LoadLimits,
  type LoadOptions,
  type LoadResult,
  type LoadedDocument,
  type Problem,
  formatProblem,
} from './documents/index.ts';
export { buildPlan, type BuildOptions } from './plan/build.ts';
export type { Plan } from './plan/types.ts';
export { createDeps, parseOverrides, type DepsOptions } from './gateway/deps.ts';
export { createGateway, type Gateway, type GatewayOptions, type Listener } from './gateway/gateway.ts';
export { createHttpClient, type HttpClient, type HttpClientOptions } from './consume/http.ts';
export { GatewayError, type ErrorCode } from './common/errors.ts';
export { VERSION } from './common/version.ts';
