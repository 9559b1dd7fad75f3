import { ClientClosedError, ConnectionLossError } from '@zookit/client';
import type { SessionEvent, WireTlsOptions, ZkClient, ZkClientOptions } from '@zookit/client';
import { ReplaySubject } from 'rxjs';
import type { Observable } from 'rxjs';

import { isConnectedState } from './connection-state.js';
import type { ConnectionStateEvent } from './connection-state.js';
import {
  initialConnectionModel,
  leaseDeadline,
  reduceConnection,
} from './connection-state-machine.js';
import type {
  ConnectionCommand,
  ConnectionInput,
  ConnectionModel,
} from './connection-state-machine.js';

/**
 * Options a {@link ClientFactory} receives.
 *
 * @example
 * ```ts
 * const factory = (o: ClientFactoryOptions) => createZkClient(o);
 * ```
 */
export interface ClientFactoryOptions extends ZkClientOptions {
  readonly transport: 'native' | 'wire';
  /** The framework's `tls` option (only ever set with the wire transport). */
  readonly tls?: WireTlsOptions | boolean;
  /** The framework's `canBeReadOnly` option (only ever set with the wire transport). */
  readonly canBeReadOnly?: boolean;
}

/**
 * Makes one client (one session). The framework calls it again for every new session.
 *
 * @example
 * ```ts
 * const clientFactory: ClientFactory = (o) => createZkClient(o);
 * ```
 */
export type ClientFactory = (options: ClientFactoryOptions) => ZkClient;

/**
 * Credentials applied to every new session.
 *
 * @example
 * ```ts
 * const auth: Authorization = { scheme: 'digest', auth: 'alice:secret' };
 * ```
 */
export interface Authorization {
  readonly scheme: string;
  readonly auth: Uint8Array | string;
}

/** Settings of {@link SessionManager}. */
export interface SessionManagerOptions {
  readonly clientFactory: ClientFactory;
  readonly clientOptions: ClientFactoryOptions;
  readonly authorization: readonly Authorization[];
  /** Background failures (closing an old client, applying auth) go here. */
  readonly onError: (error: unknown) => void;
}

/** Pause before opening a new client after an auth failure or a client factory error. */
const AUTH_FAILED_REOPEN_DELAY_MS = 1000;

/**
 * Owns the current client, feeds its session events through the pure reducer, carries out the reducer's
 * commands (lease timer, replacing the client after `lost`) and posts connection states. Delivery is
 * serialised: a listener that causes another transition cannot re-enter mid-emission.
 */
export class SessionManager {
  readonly #options: SessionManagerOptions;
  readonly #subject = new ReplaySubject<ConnectionStateEvent>(1);
  readonly #queue: ConnectionInput[] = [];
  readonly #waiters = new Set<() => void>();
  #model: ConnectionModel = initialConnectionModel;
  #current: ConnectionStateEvent | undefined;
  #draining = false;
  #client: ZkClient | undefined;
  #clientGeneration = -1;
  #unsubscribe: (() => void) | undefined;
  #leaseTimer: NodeJS.Timeout | undefined;
  #reopenTimer: NodeJS.Timeout | undefined;
  #authChain: Promise<void> = Promise.resolve();
  #started = false;
  #closed = false;
  readonly #retired = new Set<Promise<void>>();

  constructor(options: SessionManagerOptions) {
    this.#options = options;
  }

  /** Connection states; replays the latest to new subscribers; completes on close. */
  get states$(): Observable<ConnectionStateEvent> {
    return this.#subject.asObservable();
  }

  /** The latest posted state, if any. */
  get current(): ConnectionStateEvent | undefined {
    return this.#current;
  }

  /** True while the posted state is connected, reconnected or read-only. */
  get isConnected(): boolean {
    return this.#current !== undefined && isConnectedState(this.#current.state);
  }

  /** The client of the current session while connected. */
  get connectedClient(): ZkClient | undefined {
    return !this.#closed && this.isConnected && this.#clientGeneration === this.#model.generation
      ? this.#client
      : undefined;
  }

  /** The current client object, connected or not. */
  get client(): ZkClient | undefined {
    return this.#client;
  }

  /** Session id of the current connection (undefined before the first one). */
  get sessionId(): bigint | undefined {
    return this.#model.sessionId;
  }

  /** Negotiated timeout of the current session. */
  get negotiatedTimeoutMs(): number | undefined {
    return this.#model.negotiatedTimeoutMs;
  }

  /** Last contact + negotiated timeout − margin, or undefined without a live session. */
  get leaseDeadline(): number | undefined {
    const client = this.#client;
    const timeout = this.#model.negotiatedTimeoutMs;
    if (client === undefined || timeout === undefined || this.#current?.state === 'lost')
      return undefined;
    if (this.#clientGeneration !== this.#model.generation) return undefined;
    return leaseDeadline(client.lastHeardAt, timeout);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Opens the first session. Returns at once; throws if the client factory throws (e.g. unknown transport). */
  start(): void {
    if (this.#started || this.#closed) return;
    this.#open(this.#model.generation, true);
    this.#started = true;
  }

  /**
   * Resolves with the connected client, waiting at most `timeoutMs` (forever if undefined). Rejects with
   * `onTimeout()` on timeout (by default a `ConnectionLossError`: Curator then tries the operation anyway,
   * which fails the same way), `ClientClosedError` when closed, or the signal's reason.
   */
  awaitClient(
    timeoutMs: number | undefined,
    signal?: AbortSignal,
    onTimeout: () => Error = () =>
      new ConnectionLossError({ cause: new Error(`not connected within ${timeoutMs} ms`) }),
  ): Promise<ZkClient> {
    if (this.#closed) return Promise.reject(new ClientClosedError());
    const ready = this.connectedClient;
    if (ready !== undefined) return Promise.resolve(ready);
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    return new Promise<ZkClient>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        signal?.removeEventListener('abort', onAbort);
      };
      const check = (): void => {
        if (this.#closed) {
          cleanup();
          reject(new ClientClosedError());
          return;
        }
        const client = this.connectedClient;
        if (client !== undefined) {
          cleanup();
          resolve(client);
        }
      };
      const onAbort = (): void => {
        cleanup();
        reject(signal?.reason as Error);
      };
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              cleanup();
              reject(onTimeout());
            }, timeoutMs);
      this.#waiters.add(check);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** True if `client` is not the current session's client any more (it was replaced after `lost`). */
  isRetired(client: ZkClient): boolean {
    return client !== this.#client || this.#clientGeneration !== this.#model.generation;
  }

  /** Closes the current client. Posts no `lost`. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#feed({ type: 'close' });
    this.#closed = true;
    clearTimeout(this.#reopenTimer);
    clearTimeout(this.#leaseTimer);
    for (const wake of [...this.#waiters]) wake();
    const client = this.#client;
    this.#unsubscribe?.();
    this.#subject.complete();
    const closing = client === undefined ? Promise.resolve() : this.#closeQuietly(client);
    await Promise.all([closing, ...this.#retired]);
  }

  #open(generation: number, first = false): void {
    if (this.#closed) return;
    this.#unsubscribe?.();
    let client: ZkClient;
    try {
      client = this.#options.clientFactory(this.#options.clientOptions);
    } catch (error) {
      if (first) throw error;
      // Never an uncaught exception from a timer: report it and try again a little later.
      this.#options.onError(error);
      this.#reopenTimer = setTimeout(() => this.#open(generation), AUTH_FAILED_REOPEN_DELAY_MS);
      return;
    }
    this.#client = client;
    this.#clientGeneration = generation;
    let authApplied = false;
    this.#unsubscribe = client.onSessionEvent((event) => {
      if (event.type === 'connected' && !authApplied && this.#options.authorization.length > 0) {
        // Credentials go on before the session is announced, so no operation runs unauthenticated.
        authApplied = true;
        this.#authChain = this.#authChain
          .then(() => this.#applyAuth(client))
          .then(() => this.#onSessionEvent(generation, client, event))
          .catch(this.#options.onError);
        return;
      }
      if (event.type === 'connected') authApplied = true;
      // Keep ordering with a pending auth step.
      this.#authChain = this.#authChain
        .then(() => this.#onSessionEvent(generation, client, event))
        .catch(this.#options.onError);
    });
    client.connect().catch((error: unknown) => {
      if (this.#closed || generation !== this.#model.generation) return;
      if (client.state === 'expired' || client.state === 'authFailed') return; // reported as a session event
      this.#options.onError(error);
      this.#feed({ type: 'connectFailed', generation, now: performance.now() });
    });
  }

  async #applyAuth(client: ZkClient): Promise<void> {
    for (const { scheme, auth } of this.#options.authorization) {
      try {
        await client.addAuth(scheme, auth);
      } catch (error) {
        this.#options.onError(error);
        return;
      }
    }
  }

  #onSessionEvent(generation: number, client: ZkClient, event: SessionEvent): void {
    const now = performance.now();
    switch (event.type) {
      case 'connected':
        this.#feed({
          type: 'connected',
          generation,
          sessionId: event.sessionId,
          negotiatedTimeoutMs: event.negotiatedTimeoutMs,
          readOnly: event.readOnly,
          now,
        });
        return;
      case 'disconnected':
        this.#feed({ type: 'disconnected', generation, lastHeardAt: client.lastHeardAt, now });
        return;
      case 'expired':
      case 'closed':
        // A client that closes without us asking has lost its session just the same.
        this.#feed({ type: 'expired', generation, now });
        return;
      case 'authFailed':
        this.#feed({ type: 'authFailed', generation, now });
        return;
    }
  }

  #feed(input: ConnectionInput): void {
    this.#queue.push(input);
    if (this.#draining) return;
    this.#draining = true;
    try {
      for (let next = this.#queue.shift(); next !== undefined; next = this.#queue.shift()) {
        const t = reduceConnection(this.#model, next, {
          sessionTimeoutMs: this.#sessionTimeoutMs(),
        });
        this.#model = t.model;
        for (const command of t.commands) this.#execute(command);
        for (const event of t.events) {
          this.#current = event;
          this.#subject.next(event);
        }
        if (t.events.length > 0) for (const wake of [...this.#waiters]) wake();
      }
    } finally {
      this.#draining = false;
    }
  }

  #sessionTimeoutMs(): number {
    return this.#options.clientOptions.sessionTimeoutMs ?? 10_000;
  }

  #execute(command: ConnectionCommand): void {
    switch (command.type) {
      case 'cancelLeaseCheck':
        clearTimeout(this.#leaseTimer);
        this.#leaseTimer = undefined;
        return;
      case 'scheduleLeaseCheck': {
        clearTimeout(this.#leaseTimer);
        const generation = this.#model.generation;
        const delay = Math.max(0, command.atMs - performance.now());
        this.#leaseTimer = setTimeout(() => {
          this.#leaseTimer = undefined;
          const client = this.#client;
          if (client === undefined) return;
          this.#feed({
            type: 'leaseCheck',
            generation,
            lastHeardAt: client.lastHeardAt,
            now: performance.now(),
          });
        }, delay);
        return;
      }
      case 'replaceClient': {
        const old = this.#client;
        this.#unsubscribe?.();
        this.#unsubscribe = undefined;
        if (old !== undefined) {
          const closing = this.#closeQuietly(old);
          this.#retired.add(closing);
          void closing.finally(() => this.#retired.delete(closing));
        }
        const delay = command.reason === 'authFailed' ? AUTH_FAILED_REOPEN_DELAY_MS : 0;
        clearTimeout(this.#reopenTimer);
        this.#reopenTimer = setTimeout(() => this.#open(command.generation), delay);
        return;
      }
    }
  }

  async #closeQuietly(client: ZkClient): Promise<void> {
    try {
      await client.close();
    } catch (error) {
      this.#options.onError(error);
    }
  }
}
