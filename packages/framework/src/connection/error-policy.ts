import type { ConnectionState } from './connection-state.js';

/**
 * Which connection states count as errors for recipes (Curator's `ConnectionStateErrorPolicy`).
 * `standard`: `suspended` and `lost`. `session`: only `lost`.
 *
 * @example
 * ```ts
 * const zk = createFramework({ connectString, errorPolicy: 'session' });
 * ```
 */
export type ErrorPolicy = 'standard' | 'session';

/**
 * Whether `state` is an error state under `policy`.
 *
 * @example
 * ```ts
 * isErrorState('standard', 'suspended'); // true
 * isErrorState('session', 'suspended');  // false
 * ```
 */
export function isErrorState(policy: ErrorPolicy, state: ConnectionState): boolean {
  return state === 'lost' || (policy === 'standard' && state === 'suspended');
}
