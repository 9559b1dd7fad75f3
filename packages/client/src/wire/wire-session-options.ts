import type { ConnectionOptions } from 'node:tls';
import type { HostAddress } from '../connect-string.js';
import type { Chroot } from './chroot.js';

/**
 * Settings of a `WireSession`, already defaulted and validated by the client (`resolveWireOptions`).
 *
 * @example
 * ```ts
 * const session = new WireSession(resolveWireOptions({ connectString: '127.0.0.1:2181' }).session);
 * ```
 */
export interface WireSessionOptions {
  readonly hosts: readonly HostAddress[];
  readonly shuffleHosts: boolean;
  readonly random: () => number;
  readonly sessionTimeoutMs: number;
  readonly sessionId: bigint | undefined;
  readonly sessionPassword: Buffer | undefined;
  readonly canBeReadOnly: boolean;
  readonly tls: ConnectionOptions | undefined;
  readonly xidSeed: number;
  readonly maxReplyBytes: number;
  readonly reconnectDelayMs: number;
  readonly closeTimeoutMs: number;
  readonly setWatchesBatchBytes: number;
  readonly chroot: Chroot;
  readonly onListenerError: (error: unknown) => void;
  readonly onConnectionError: ((error: Error, server: string) => void) | undefined;
}
