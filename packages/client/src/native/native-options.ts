/**
 * Option checks of the native transport: everything is validated before the addon sees it, because the
 * addon accepts garbage silently (an invalid connect string gives a dead handle and no event at all).
 */
import { resolveClientOptions } from '../client-options.js';
import type { TransportCapabilities, ZkClientOptions } from '../zk-client.js';
import type { NativeInitConfig } from './native-binding.js';
import { sessionIdToHex } from './native-stat.js';

/**
 * What the npm `zookeeper` binding can do: none of the optional capabilities.
 *
 * @example
 * ```ts
 * if (!client.capabilities.multi) console.log('no transactions on', client.transport);
 * NATIVE_CAPABILITIES.multi; // false
 * ```
 */
export const NATIVE_CAPABILITIES: TransportCapabilities = Object.freeze({
  aclOnCreate: false,
  create2: false,
  multi: false,
  persistentWatches: false,
  removeWatches: false,
  tls: false,
  extendedQueries: false,
  reconfig: false,
  readOnly: false,
});

/** Options after validation and defaulting. */
export interface ResolvedNativeOptions {
  readonly connectString: string;
  readonly sessionTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly init: NativeInitConfig;
}

/**
 * Validates the options and builds the addon's init config (with `response_counter_limit` raised to 1e6 and
 * the process-global `debug_level` pinned to 0).
 *
 * @example
 * ```ts
 * const resolved = resolveNativeOptions({ connectString: '127.0.0.1:2181' });
 * ```
 */
export function resolveNativeOptions(options: ZkClientOptions): ResolvedNativeOptions {
  const { connectString, sessionTimeoutMs, connectTimeoutMs, sessionId, sessionPassword, ...rest } =
    resolveClientOptions(options);
  const init: NativeInitConfig = {
    connect: connectString,
    timeout: sessionTimeoutMs,
    // Process-global in the C client: every init() sets it, the last one wins. 0 keeps the addon silent.
    debug_level: 0,
    // Also process-global; it only matters while a handle resolves its host list inside init().
    host_order_deterministic: rest.deterministicHostOrder,
    // The addon force-closes a handle (a fake "-112 expired") after this many consecutive partial reads; the
    // default of 10 kills sessions on replies above ~700 KB.
    response_counter_limit: 1_000_000,
    ...(sessionId !== undefined && sessionPassword !== undefined
      ? { client_id: sessionIdToHex(sessionId), client_password: sessionPassword.toString('hex') }
      : {}),
  };
  return { connectString, sessionTimeoutMs, connectTimeoutMs, init };
}
