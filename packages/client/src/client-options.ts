import { parseConnectString, type ParsedConnectString } from './connect-string.js';
import { InvalidArgumentError } from './errors.js';
import type { ZkClientOptions } from './zk-client.js';

/**
 * Session timeout requested when none is given, ms.
 *
 * @example
 * ```ts
 * resolveClientOptions({ connectString: 'h:1' }).sessionTimeoutMs === DEFAULT_SESSION_TIMEOUT_MS; // true
 * ```
 */
export const DEFAULT_SESSION_TIMEOUT_MS = 10_000;

/**
 * Default wait for the first connection, ms.
 *
 * @example
 * ```ts
 * resolveClientOptions({ connectString: 'h:1' }).connectTimeoutMs === DEFAULT_CONNECT_TIMEOUT_MS; // true
 * ```
 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;

const INT32_MAX = 0x7fffffff;

/**
 * An optional positive integer option (at most 2^31 - 1, what the protocol's int fields hold), or
 * `fallback` when absent; anything else throws `InvalidArgumentError` naming `field`.
 *
 * @example
 * ```ts
 * positiveInt('closeTimeoutMs', options.closeTimeoutMs, 1000);
 * ```
 */
export function positiveInt(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0 || value > INT32_MAX) {
    throw new InvalidArgumentError(
      field,
      `must be an integer from 1 to ${INT32_MAX}, got ${String(value)}`,
    );
  }
  return value;
}

/** The options every transport shares, after validation and defaulting. */
export interface ResolvedClientOptions {
  readonly connectString: string;
  readonly parsed: ParsedConnectString;
  readonly sessionTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /** Set together with `sessionPassword`, or neither. */
  readonly sessionId: bigint | undefined;
  readonly sessionPassword: Buffer | undefined;
  readonly deterministicHostOrder: boolean;
}

/**
 * Validates and defaults the options common to both transports, so they accept and reject exactly the
 * same input; throws `InvalidArgumentError` naming the field.
 *
 * @example
 * ```ts
 * const { parsed, sessionTimeoutMs } = resolveClientOptions({ connectString: '127.0.0.1:2181/app' });
 * ```
 */
export function resolveClientOptions(options: ZkClientOptions): ResolvedClientOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', 'must be an object');
  }
  const parsed = parseConnectString(options.connectString);
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
  const deterministicHostOrder = options.deterministicHostOrder ?? false;
  if (typeof deterministicHostOrder !== 'boolean') {
    throw new InvalidArgumentError('deterministicHostOrder', 'must be a boolean');
  }
  return {
    connectString: options.connectString,
    parsed,
    sessionTimeoutMs: positiveInt(
      'sessionTimeoutMs',
      options.sessionTimeoutMs,
      DEFAULT_SESSION_TIMEOUT_MS,
    ),
    connectTimeoutMs: positiveInt(
      'connectTimeoutMs',
      options.connectTimeoutMs,
      DEFAULT_CONNECT_TIMEOUT_MS,
    ),
    sessionId,
    sessionPassword,
    deterministicHostOrder,
  };
}
