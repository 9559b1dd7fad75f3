/**
 * Option checks of the native transport: everything is validated before the addon sees it, because the
 * addon accepts garbage silently (an invalid connect string gives a dead handle and no event at all).
 */
import { parseConnectString } from '../connect-string.js';
import { InvalidArgumentError } from '../errors.js';
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
  readOnly: false,
});

/**
 * Default requested session timeout, ms.
 *
 * @example
 * ```ts
 * resolveNativeOptions({ connectString: 'h:1' }).sessionTimeoutMs === DEFAULT_SESSION_TIMEOUT_MS; // true
 * ```
 */
export const DEFAULT_SESSION_TIMEOUT_MS = 10_000;
/**
 * Default wait for the first connection, ms.
 *
 * @example
 * ```ts
 * resolveNativeOptions({ connectString: 'h:1' }).connectTimeoutMs === DEFAULT_CONNECT_TIMEOUT_MS; // true
 * ```
 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;

/** Options after validation and defaulting. */
export interface ResolvedNativeOptions {
  readonly connectString: string;
  readonly sessionTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly init: NativeInitConfig;
}

const INT32_MAX = 0x7fffffff;

function positiveInt(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0 || value > INT32_MAX) {
    throw new InvalidArgumentError(
      field,
      `must be an integer from 1 to ${INT32_MAX}, got ${String(value)}`,
    );
  }
  return value;
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
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', 'must be an object');
  }
  parseConnectString(options.connectString);
  const sessionTimeoutMs = positiveInt(
    'sessionTimeoutMs',
    options.sessionTimeoutMs,
    DEFAULT_SESSION_TIMEOUT_MS,
  );
  const connectTimeoutMs = positiveInt(
    'connectTimeoutMs',
    options.connectTimeoutMs,
    DEFAULT_CONNECT_TIMEOUT_MS,
  );
  const { sessionId, sessionPassword } = options;
  if ((sessionId === undefined) !== (sessionPassword === undefined)) {
    throw new InvalidArgumentError(
      'sessionId',
      'sessionId and sessionPassword must be given together',
    );
  }
  if (sessionId !== undefined && typeof sessionId !== 'bigint') {
    throw new InvalidArgumentError('sessionId', 'must be a bigint');
  }
  if (
    sessionPassword !== undefined &&
    (!Buffer.isBuffer(sessionPassword) || sessionPassword.length !== 16)
  ) {
    throw new InvalidArgumentError('sessionPassword', 'must be a Buffer of 16 bytes');
  }
  const deterministic = options.deterministicHostOrder ?? false;
  if (typeof deterministic !== 'boolean') {
    throw new InvalidArgumentError('deterministicHostOrder', 'must be a boolean');
  }
  const init: NativeInitConfig = {
    connect: options.connectString,
    timeout: sessionTimeoutMs,
    // Process-global in the C client: every init() sets it, the last one wins. 0 keeps the addon silent.
    debug_level: 0,
    // Also process-global; it only matters while a handle resolves its host list inside init().
    host_order_deterministic: deterministic,
    // The addon force-closes a handle (a fake "-112 expired") after this many consecutive partial reads; the
    // default of 10 kills sessions on replies above ~700 KB.
    response_counter_limit: 1_000_000,
    ...(sessionId !== undefined && sessionPassword !== undefined
      ? { client_id: sessionIdToHex(sessionId), client_password: sessionPassword.toString('hex') }
      : {}),
  };
  return { connectString: options.connectString, sessionTimeoutMs, connectTimeoutMs, init };
}
