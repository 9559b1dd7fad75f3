import type { ZkClientOptions } from '../zk-client.js';
import { Chroot } from './chroot.js';
import { positiveInt, resolveClientOptions } from '../client-options.js';
import { SET_WATCHES_BATCH_BYTES } from './set-watches-batches.js';
import { toTlsConnectionOptions, type WireTlsOptions } from './tls-options.js';
import type { WireSessionOptions } from './wire-session-options.js';

/**
 * Options of the wire transport: the common ones plus TLS, read-only mode and test hooks.
 *
 * @example
 * ```ts
 * // canBeReadOnly keeps reads working while the server is cut off from its quorum.
 * const client = new WireZkClient({ connectString: 'zk1:2181', canBeReadOnly: true });
 * ```
 */
export interface WireZkClientOptions extends ZkClientOptions {
  /** Connect with TLS (`true`: default trust store). The port must be the server's `secureClientPort`. */
  readonly tls?: WireTlsOptions | boolean;
  /** Accept a read-only server that lost its quorum (writes then fail with `NotReadOnlyError`). */
  readonly canBeReadOnly?: boolean;
  /** First request xid (tests of the 2^31 wrap). Default 1. */
  readonly xidSeed?: number;
  /** Largest reply accepted, in bytes; a bigger frame drops the connection. Default 16 MiB. */
  readonly maxReplyBytes?: number;
  /** Base delay before another round of connection attempts once every server failed. Default 1000. */
  readonly reconnectDelayMs?: number;
  /** How long `close()` waits for the server to confirm `closeSession`. Default 1000. */
  readonly closeTimeoutMs?: number;
  /** Bytes of paths per SetWatches packet after a reconnect. Default 128 KiB (Java's value). */
  readonly setWatchesBatchBytes?: number;
  /** Random source for host shuffling and backoff jitter (tests). Default `Math.random`. */
  readonly random?: () => number;
  /** Receives exceptions thrown by watch and session listeners. Default: a process warning. */
  readonly onListenerError?: (error: unknown) => void;
  /** Told why each connection attempt or connection failed (TLS errors, timeouts, resets), for logs. */
  readonly onConnectionError?: (error: Error, server: string) => void;
}

/** Resolved settings of a wire client. */
export interface ResolvedWireOptions {
  readonly session: WireSessionOptions;
  readonly connectTimeoutMs: number;
  readonly connectString: string;
}

/**
 * Validates and defaults {@link WireZkClientOptions}; throws `InvalidArgumentError` naming the field.
 *
 * @example
 * ```ts
 * const { session } = resolveWireOptions({ connectString: '127.0.0.1:2181' });
 * ```
 */
export function resolveWireOptions(o: WireZkClientOptions): ResolvedWireOptions {
  const common = resolveClientOptions(o);
  const { hosts, chroot } = common.parsed;
  const warn = (error: unknown) =>
    process.emitWarning(`zookit listener threw: ${String(error)}`, 'ZookitWarning');
  return {
    connectString: common.connectString,
    connectTimeoutMs: common.connectTimeoutMs,
    session: {
      hosts,
      shuffleHosts: !common.deterministicHostOrder,
      random: o.random ?? Math.random,
      sessionTimeoutMs: common.sessionTimeoutMs,
      sessionId: common.sessionId,
      sessionPassword: common.sessionPassword,
      canBeReadOnly: o.canBeReadOnly === true,
      tls: toTlsConnectionOptions(o.tls),
      xidSeed: o.xidSeed ?? 1,
      maxReplyBytes: positiveInt('maxReplyBytes', o.maxReplyBytes, 16 * 1024 * 1024),
      reconnectDelayMs: positiveInt('reconnectDelayMs', o.reconnectDelayMs, 1000),
      closeTimeoutMs: positiveInt('closeTimeoutMs', o.closeTimeoutMs, 1000),
      setWatchesBatchBytes: positiveInt(
        'setWatchesBatchBytes',
        o.setWatchesBatchBytes,
        SET_WATCHES_BATCH_BYTES,
      ),
      chroot: new Chroot(chroot),
      onListenerError: o.onListenerError ?? warn,
      onConnectionError: o.onConnectionError,
    },
  };
}
