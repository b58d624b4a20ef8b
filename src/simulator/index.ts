/** @module simulator — offline simulator of the Ampersand, Amba, Chainloop and bctrl operation APIs. */

export {
  createSimulator,
  SIMULATOR_BASE_PATHS,
  SIMULATOR_TOKENS,
  type Simulator,
  type SimulatorOptions,
  type Vendor,
} from './app.ts';
export { startSimulator, type RunningSimulator, type SimulatorServerOptions } from './server.ts';
export {
  AMBA_OPERATIONS,
  AMBA_PROJECT_ID,
  AMPERSAND_CONFIG_ID,
  AMPERSAND_INSTALLATION_ID,
  AMPERSAND_INTEGRATION_ID,
  AMPERSAND_OPERATIONS,
  AMPERSAND_PROJECT,
  BCTRL_OPERATIONS,
  BCTRL_WATCH_ID,
  BCTRL_WORKSPACE_ID,
  CHAINLOOP_OPERATIONS,
  CHAINLOOP_PROJECT_ID,
  CHAINLOOP_PROJECT_VERSION_ID,
} from './fixtures.ts';
export { DEFAULT_PENDING_MS, DEFAULT_RUNNING_MS } from './lifecycle.ts';
