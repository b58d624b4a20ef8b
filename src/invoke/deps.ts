/**
 * @module invoke/deps — what the execution path needs from the world: everything consuming an
 * upstream needs, plus randomness for the jitter of waits. Built once per plan by the gateway.
 */
import type { ConsumeDeps } from '../consume/deps.ts';

export interface InvokeDeps extends ConsumeDeps {
  readonly random: () => number;
  /** Aborted when the gateway starts stopping: waits then answer with the state they have. */
  readonly draining?: AbortSignal;
}
