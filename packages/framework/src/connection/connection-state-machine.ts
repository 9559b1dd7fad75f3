/**
 * The connection-state rules as a PURE reducer: (model, input) → (model, events to post, commands for the
 * session manager). No timers, no I/O, no clock of its own: every time comes in with the input. The state
 * table in docs/concepts/connection-states.md is this file.
 */
import type { ConnectionState, ConnectionStateEvent, LostReason } from './connection-state.js';

/** What the session manager feeds the reducer. `generation` identifies the client object (one per session). */
export type ConnectionInput =
  | {
      readonly type: 'connected';
      readonly generation: number;
      readonly sessionId: bigint;
      readonly negotiatedTimeoutMs: number;
      readonly readOnly: boolean;
      readonly now: number;
    }
  | {
      readonly type: 'disconnected';
      readonly generation: number;
      readonly lastHeardAt: number;
      readonly now: number;
    }
  | { readonly type: 'expired'; readonly generation: number; readonly now: number }
  | { readonly type: 'authFailed'; readonly generation: number; readonly now: number }
  /** The client never connected (connect timeout): open another one, post nothing. */
  | { readonly type: 'connectFailed'; readonly generation: number; readonly now: number }
  /** The lease timer fired: post `lost` if the server has not been heard from for a session timeout. */
  | {
      readonly type: 'leaseCheck';
      readonly generation: number;
      readonly lastHeardAt: number;
      readonly now: number;
    }
  /** The framework is closing: no state is posted any more (Curator posts no LOST on close). */
  | { readonly type: 'close' };

/** Side effects the session manager must carry out, in order. */
export type ConnectionCommand =
  | { readonly type: 'scheduleLeaseCheck'; readonly atMs: number }
  | { readonly type: 'cancelLeaseCheck' }
  | {
      /** Close the current client (best effort) and open a new one with `generation`. */
      readonly type: 'replaceClient';
      readonly generation: number;
      readonly reason: LostReason | 'connectFailed';
    };

/** The reducer's state. */
export interface ConnectionModel {
  /** The last state posted; `undefined` before the first connection. */
  readonly state: ConnectionState | undefined;
  /** Generation of the current client; inputs from other generations are stale and ignored. */
  readonly generation: number;
  /** Session of the last connection (kept after it is lost, for `previousSessionId`). */
  readonly sessionId: bigint | undefined;
  /** Timeout the server granted to that session. */
  readonly negotiatedTimeoutMs: number | undefined;
  /** Curator posts CONNECTED once: the first non-negative state; every later connection is RECONNECTED. */
  readonly everConnected: boolean;
  readonly closed: boolean;
}

/** The reducer's output. */
export interface ConnectionTransition {
  readonly model: ConnectionModel;
  readonly events: readonly ConnectionStateEvent[];
  readonly commands: readonly ConnectionCommand[];
}

/** Settings the reducer needs. */
export interface ConnectionRules {
  /** The requested session timeout, used until one is negotiated. */
  readonly sessionTimeoutMs: number;
}

/** The model before anything happened. */
export const initialConnectionModel: ConnectionModel = {
  state: undefined,
  generation: 0,
  sessionId: undefined,
  negotiatedTimeoutMs: undefined,
  everConnected: false,
  closed: false,
};

/**
 * Margin kept before the lease deadline: a tenth of the timeout, at most 1 s. It covers the time between
 * the server's last message and our reading of the clock, and the server's tick granularity.
 */
export function leaseMarginMs(timeoutMs: number): number {
  return Math.min(1000, Math.round(timeoutMs / 10));
}

/** Last contact + timeout − margin: the moment a holder must stop trusting its session. */
export function leaseDeadline(lastHeardAt: number, timeoutMs: number): number {
  return lastHeardAt + timeoutMs - leaseMarginMs(timeoutMs);
}

const unchanged = (model: ConnectionModel): ConnectionTransition => ({
  model,
  events: [],
  commands: [],
});

/**
 * Applies one input. See the state table in `docs/concepts/connection-states.md`.
 *
 * @example
 * ```ts
 * let t = reduceConnection(initialConnectionModel, { type: 'connected', generation: 0, sessionId: 1n,
 *   negotiatedTimeoutMs: 4000, readOnly: false, now: 0 }, { sessionTimeoutMs: 4000 });
 * t.events; // [{ state: 'connected', sessionId: 1n, ... }]
 * ```
 */
export function reduceConnection(
  model: ConnectionModel,
  input: ConnectionInput,
  rules: ConnectionRules,
): ConnectionTransition {
  if (model.closed) return unchanged(model);
  if (input.type === 'close') {
    return {
      model: { ...model, closed: true },
      events: [],
      commands: [{ type: 'cancelLeaseCheck' }],
    };
  }
  // Inputs from a client that has been replaced describe a session we already gave up on.
  if (input.generation !== model.generation) return unchanged(model);
  const timeoutMs = model.negotiatedTimeoutMs ?? rules.sessionTimeoutMs;

  switch (input.type) {
    case 'connected':
      return onConnected(model, input);
    case 'disconnected': {
      // Nothing to suspend before the first connection; after SUSPENDED or LOST no further SUSPENDED.
      if (model.state === undefined || model.state === 'suspended' || model.state === 'lost') {
        return unchanged(model);
      }
      if (model.sessionId === undefined) return unchanged(model);
      // The countdown starts at the last message received, not now: the server started counting then.
      const expiresAt = input.lastHeardAt + timeoutMs;
      return {
        model: { ...model, state: 'suspended' },
        events: [
          {
            state: 'suspended',
            sessionId: model.sessionId,
            lastHeardAt: input.lastHeardAt,
            leaseDeadline: leaseDeadline(input.lastHeardAt, timeoutMs),
            at: input.now,
          },
        ],
        commands: [{ type: 'scheduleLeaseCheck', atMs: expiresAt }],
      };
    }
    case 'leaseCheck': {
      if (model.state !== 'suspended') return unchanged(model);
      const expiresAt = input.lastHeardAt + timeoutMs;
      if (input.now < expiresAt) {
        return { model, events: [], commands: [{ type: 'scheduleLeaseCheck', atMs: expiresAt }] };
      }
      return lose(model, 'timeout', input.now);
    }
    case 'expired':
      return lose(model, 'expired', input.now);
    case 'authFailed':
      return lose(model, 'authFailed', input.now);
    case 'connectFailed':
      return {
        model: { ...model, generation: model.generation + 1 },
        events: [],
        commands: [
          { type: 'replaceClient', generation: model.generation + 1, reason: 'connectFailed' },
        ],
      };
  }
}

function onConnected(
  model: ConnectionModel,
  input: Extract<ConnectionInput, { type: 'connected' }>,
): ConnectionTransition {
  const events: ConnectionStateEvent[] = [];
  let state = model.state;
  const previous = model.sessionId;
  const sessionChanged = previous !== undefined && previous !== input.sessionId;
  // Curator's checkInstanceIndex: a connection on a different session without LOST in between means the
  // old session is gone; say so before announcing the new one.
  if (sessionChanged && state !== undefined && state !== 'lost') {
    events.push({ state: 'lost', sessionId: previous, reason: 'expired', at: input.now });
    state = 'lost';
  }
  const next: ConnectionState = input.readOnly
    ? 'readOnly'
    : model.everConnected
      ? 'reconnected'
      : 'connected';
  const nextModel: ConnectionModel = {
    ...model,
    state: next,
    sessionId: input.sessionId,
    negotiatedTimeoutMs: input.negotiatedTimeoutMs,
    everConnected: model.everConnected || !input.readOnly,
  };
  const commands: ConnectionCommand[] = [{ type: 'cancelLeaseCheck' }];
  // A change to the state we are already in is dropped (Curator's addStateChange returns false).
  if (next === state) return { model: nextModel, events, commands };
  const base = {
    sessionId: input.sessionId,
    negotiatedTimeoutMs: input.negotiatedTimeoutMs,
    at: input.now,
  };
  if (next === 'connected') events.push({ state: 'connected', ...base });
  else if (next === 'readOnly') events.push({ state: 'readOnly', ...base });
  else events.push({ state: 'reconnected', ...base, previousSessionId: previous, sessionChanged });
  return { model: nextModel, events, commands };
}

function lose(model: ConnectionModel, reason: LostReason, now: number): ConnectionTransition {
  const generation = model.generation + 1;
  const events: ConnectionStateEvent[] =
    model.sessionId !== undefined && model.state !== undefined && model.state !== 'lost'
      ? [{ state: 'lost', sessionId: model.sessionId, reason, at: now }]
      : [];
  return {
    model: { ...model, generation, state: events.length > 0 ? 'lost' : model.state },
    events,
    commands: [{ type: 'cancelLeaseCheck' }, { type: 'replaceClient', generation, reason }],
  };
}
