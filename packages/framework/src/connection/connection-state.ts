/**
 * Curator's connection states.
 *
 * - `connected`: the first successful connection of the framework (posted once).
 * - `suspended`: the connection dropped; the session may or may not still exist.
 * - `reconnected`: connected again, to the same session or, after `lost`, to a new one.
 * - `lost`: the session is gone (expired) or must be presumed gone (the negotiated session timeout has
 *   passed since the server was last heard from).
 * - `readOnly`: connected to a server that is partitioned from its quorum.
 *
 * @example
 * ```ts
 * if (zk.connectionState?.state === ConnectionState.Suspended) pauseWork();
 * ```
 */
export const ConnectionState = {
  Connected: 'connected',
  Suspended: 'suspended',
  Reconnected: 'reconnected',
  Lost: 'lost',
  ReadOnly: 'readOnly',
} as const;

/** One of the {@link ConnectionState} values. */
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];

/**
 * Why `lost` was posted.
 *
 * @example
 * ```ts
 * if (event.state === 'lost' && event.reason === 'timeout') console.warn('presumed expired');
 * ```
 */
export type LostReason = 'expired' | 'timeout' | 'authFailed';

/**
 * A connection-state change, as posted on `connectionState$`. Times are `performance.now()` values.
 *
 * @example
 * ```ts
 * zk.onConnectionStateChange((e) => {
 *   if (e.state === 'reconnected' && e.sessionChanged) console.log('new session', e.sessionId);
 * });
 * ```
 */
export type ConnectionStateEvent =
  | {
      readonly state: 'connected';
      readonly sessionId: bigint;
      readonly negotiatedTimeoutMs: number;
      readonly at: number;
    }
  | {
      readonly state: 'suspended';
      readonly sessionId: bigint;
      /** When the server was last heard from. */
      readonly lastHeardAt: number;
      /** Last contact + negotiated timeout − margin: holders must give up by then. */
      readonly leaseDeadline: number;
      readonly at: number;
    }
  | {
      readonly state: 'reconnected';
      readonly sessionId: bigint;
      readonly previousSessionId: bigint | undefined;
      /** True when this is a new session (after `lost`): ephemerals and watches of the old one are gone. */
      readonly sessionChanged: boolean;
      readonly negotiatedTimeoutMs: number;
      readonly at: number;
    }
  | {
      readonly state: 'lost';
      /** The session that is gone. */
      readonly sessionId: bigint;
      readonly reason: LostReason;
      readonly at: number;
    }
  | {
      readonly state: 'readOnly';
      readonly sessionId: bigint;
      readonly negotiatedTimeoutMs: number;
      readonly at: number;
    };

/**
 * Curator's `ConnectionState.isConnected()`: true for `connected`, `reconnected` and `readOnly`.
 *
 * @example
 * ```ts
 * isConnectedState('reconnected'); // true
 * ```
 */
export function isConnectedState(state: ConnectionState): boolean {
  return state === 'connected' || state === 'reconnected' || state === 'readOnly';
}
