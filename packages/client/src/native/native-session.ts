import {
  AuthFailedError,
  ClientClosedError,
  ConnectTimeoutError,
  errorFromCode,
  InvalidArgumentError,
  InvalidStateError,
  SessionExpiredError,
  type ZkError,
} from '../errors.js';
import { checkConnectOptions, checkListener } from '../validate.js';
import type { WatchListener } from '../watch-event.js';
import type {
  ClientState,
  ConnectOptions,
  SessionEvent,
  SessionListener,
  Unsubscribe,
} from '../zk-client.js';
import { InFlightRequests } from './in-flight-requests.js';
import {
  loadNativeBinding,
  NATIVE_STATE_CONNECTING,
  type NativeWatcher,
  type NativeZkHandle,
} from './native-binding.js';
import type { ResolvedNativeOptions } from './native-options.js';
import { sessionIdFromHex } from './native-stat.js';
import { rethrowAsync } from './rethrow-async.js';
import { WatcherRegistry } from './watcher-registry.js';

/** Result codes produced by the C client itself (no server answer behind them). */
const CLIENT_SIDE_CODES = new Set([-4, -5, -7, -9, -112, -116]);
/**
 * How long close() keeps waiting for in-flight replies after the last one arrived (or after close() was
 * called). Past it the server is taken as hung: the handle is closed and what is still pending fails with
 * `ClosingError` (outcome unknown). A healthy server answers within ms, well inside it.
 */
const CLOSE_DRAIN_IDLE_MS = 1000;
const noopEmit = (): void => undefined;

type Final = 'expired' | 'authFailed' | 'closed';

/** Completes a request: `rc` 0 resolves with `value`, anything else rejects with the typed error. */
export type Done<T> = (rc: number, value?: T) => void;

/** Hands one request to the binding; returns the binding's synchronous result (< 0: no callback ever). */
export type Send<T> = (
  handle: NativeZkHandle,
  done: Done<T>,
  watcher: NativeWatcher | undefined,
) => number;

interface ConnectAttempt {
  readonly resolve: () => void;
  readonly reject: (err: ZkError) => void;
  readonly cleanup: () => void;
}

/**
 * The session behind a `NativeZkClient`: its one native handle, its state and session events, the
 * requests in flight and the graceful close. The client adds the ZooKeeper operations on top.
 *
 * @example
 * ```ts
 * const session = new NativeSession(resolveNativeOptions({ connectString: '127.0.0.1:2181' }));
 * await session.connect();
 * await session.request<undefined>('/a', undefined, (h, done) => h.a_sync('/a', (rc) => done(rc)));
 * await session.close();
 * ```
 */
export class NativeSession {
  readonly #options: ResolvedNativeOptions;
  readonly #watches = new WatcherRegistry();
  readonly #listeners = new Set<SessionListener>();
  readonly #requests = new InFlightRequests();
  #handle: NativeZkHandle | undefined;
  #state: ClientState = 'idle';
  #sessionId: bigint | undefined;
  #sessionPassword: Buffer | undefined;
  #negotiatedTimeoutMs: number | undefined;
  #connectedOnce = false;
  #lastHeardAt = 0;
  /** Lower bound for when the current (re)connect handshake reached the server. */
  #handshakeFloor = 0;
  #attempt: ConnectAttempt | undefined;
  #closing: Promise<void> | undefined;

  /** Takes validated options; no I/O happens before {@link NativeSession.connect}. */
  constructor(options: ResolvedNativeOptions) {
    this.#options = options;
  }

  /** Current state of the handle. */
  get state(): ClientState {
    return this.#state;
  }
  /** Session id once connected, lossless (kept after the session ends). */
  get sessionId(): bigint | undefined {
    return this.#sessionId;
  }
  /** Session password once connected. */
  get sessionPassword(): Buffer | undefined {
    return this.#sessionPassword;
  }
  /** Negotiated session timeout once connected, ms. */
  get negotiatedTimeoutMs(): number | undefined {
    return this.#negotiatedTimeoutMs;
  }
  /** Lower bound for the last time the server heard from this session: see `NativeZkClient.lastHeardAt`. */
  get lastHeardAt(): number {
    return this.#lastHeardAt;
  }

  /** `NativeZkClient.connect`: creates the handle and waits for the first connection. */
  connect(options: ConnectOptions = {}): Promise<void> {
    if (this.#state !== 'idle') {
      return Promise.reject(
        this.#isFinal()
          ? this.#finalError()
          : new InvalidStateError({
              cause: new Error('connect() may be called only once per client'),
            }),
      );
    }
    // Checked before the handle exists: a throw after it would leave a live handle nobody can close.
    try {
      checkConnectOptions(options);
    } catch (err) {
      this.#finish('closed', false);
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    const { signal } = options;
    if (signal?.aborted === true) {
      this.#finish('closed', false);
      return Promise.reject(new ClientClosedError({ cause: signal.reason }));
    }
    const handle = new (loadNativeBinding())();
    handle.emit = (event, _native, arg) => {
      this.#onNativeEvent(event, arg);
    };
    this.#handle = handle;
    this.#state = 'connecting';
    this.#handshakeFloor = performance.now();
    let result: NativeZkHandle | Error;
    try {
      result = handle.init(this.#options.init);
    } catch (err) {
      result = err instanceof Error ? err : new Error(String(err));
    }
    // A refused connect string yields an Error that the JS wrapper would discard; the handle is then dead
    // (state 0, no event ever, every call -9).
    if (result instanceof Error || handle.state !== NATIVE_STATE_CONNECTING) {
      const cause =
        result instanceof Error ? result : new Error(`native state ${handle.state} after init`);
      this.#finish('closed', true);
      return Promise.reject(
        new InvalidArgumentError('connectString', `rejected by the C client: ${cause.message}`, {
          cause,
        }),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const { connectTimeoutMs, connectString } = this.#options;
      const timer = setTimeout(() => {
        this.#failAttempt(new ConnectTimeoutError(connectTimeoutMs, connectString));
      }, connectTimeoutMs);
      const onAbort = (): void => {
        this.#failAttempt(new ClientClosedError({ cause: signal?.reason }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#attempt = {
        resolve,
        reject,
        cleanup: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        },
      };
    });
  }

  /** Subscribes to session events; listeners are dropped after the final event. */
  onSessionEvent(listener: SessionListener): Unsubscribe {
    // Refused here, as on wire: a non-function would only throw, uncaught, at the next session event.
    checkListener(listener, undefined, 'listener');
    const wrapped: SessionListener = (e) => {
      listener(e);
    };
    this.#listeners.add(wrapped);
    return () => {
      this.#listeners.delete(wrapped);
    };
  }

  /**
   * Sends one request. Checks the state first (a dead handle would fail with -9 and leak the callback), arms
   * the watch if any, and turns a negative synchronous result (the callback will never run) into a rejection.
   */
  request<T>(
    path: string | undefined,
    watch: WatchListener | undefined,
    send: Send<T>,
  ): Promise<T> {
    const handle = this.#handle;
    if (
      handle === undefined ||
      this.#state === 'idle' ||
      this.#isFinal() ||
      this.#closing !== undefined
    ) {
      return Promise.reject(
        this.#state === 'idle'
          ? new InvalidStateError({ path, cause: new Error('call connect() first') })
          : this.#isFinal()
            ? this.#finalError(path)
            : new ClientClosedError({ path }),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const sentAt = performance.now();
      const armed = watch === undefined ? undefined : this.#watches.arm(watch);
      const done: Done<T> = (rc, value) => {
        this.#requests.complete();
        if (!CLIENT_SIDE_CODES.has(rc) && sentAt > this.#lastHeardAt) this.#lastHeardAt = sentAt;
        // The server sets a watch on success, and for exists also on a missing node (done(0, null) here).
        if (armed !== undefined && rc !== 0) this.#watches.disarm(armed.id);
        if (rc === 0) resolve(value as T);
        else reject(errorFromCode(rc, { path }));
      };
      this.#requests.add();
      const rc = send(handle, done, armed?.watcher);
      if (rc < 0) {
        // The callback will never run.
        this.#requests.abandon();
        if (armed !== undefined) this.#watches.disarm(armed.id);
        reject(errorFromCode(rc, { path }));
      }
    });
  }

  /** `NativeZkClient.close`: idempotent; lets the requests in flight finish, then closes the handle. */
  close(): Promise<void> {
    if (this.#isFinal()) return Promise.resolve();
    this.#closing ??= this.#closeGracefully();
    return this.#closing;
  }

  async #closeGracefully(): Promise<void> {
    if (this.#state === 'connected' && this.#requests.size > 0) {
      await this.#requests.drain(CLOSE_DRAIN_IDLE_MS);
    }
    // Out of any C-client completion, so zookeeper_close() really sends the close-session request.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (!this.#isFinal()) this.#finish('closed', true);
  }

  #isFinal(): boolean {
    return this.#state === 'expired' || this.#state === 'authFailed' || this.#state === 'closed';
  }

  #finalError(path?: string): ZkError {
    if (this.#state === 'expired') return new SessionExpiredError({ path });
    if (this.#state === 'authFailed') return new AuthFailedError({ path });
    return new ClientClosedError({ path });
  }

  #onNativeEvent(event: string, arg: unknown): void {
    if (event === 'connect') this.#onConnected();
    else if (event === 'connecting') this.#onDisconnected();
    else if (event === 'close') this.#onNativeClose(typeof arg === 'number' ? arg : 0);
    // 'created'/'deleted'/'changed'/'child' only serve watches set with watch=true, which we never use.
  }

  #onConnected(): void {
    const handle = this.#handle;
    if (handle === undefined || this.#isFinal()) return;
    const sessionId = sessionIdFromHex(handle.client_id);
    const initial = !this.#connectedOnce || sessionId !== this.#sessionId;
    this.#connectedOnce = true;
    this.#sessionId = sessionId;
    this.#sessionPassword = Buffer.from(handle.client_password, 'hex');
    this.#negotiatedTimeoutMs = handle.timeout;
    this.#lastHeardAt = Math.max(this.#lastHeardAt, this.#handshakeFloor);
    this.#state = 'connected';
    const attempt = this.#attempt;
    this.#attempt = undefined;
    attempt?.cleanup();
    attempt?.resolve();
    this.#emit({
      type: 'connected',
      sessionId,
      negotiatedTimeoutMs: handle.timeout,
      readOnly: false,
      initial,
    });
  }

  #onDisconnected(): void {
    // Queued requests now wait for a reconnect: a pending close stops waiting for them.
    this.#requests.release();
    if (this.#state !== 'connected') return;
    const now = performance.now();
    const timeout = this.#negotiatedTimeoutMs ?? this.#options.sessionTimeoutMs;
    // The C client declares the connection dead only after 2/3·T without receiving anything, so it carried
    // traffic within the last 2/3·T (why: NativeZkClient.lastHeardAt).
    this.#lastHeardAt = Math.max(this.#lastHeardAt, now - (2 * timeout) / 3);
    this.#handshakeFloor = now;
    this.#state = 'disconnected';
    this.#emit({ type: 'disconnected' });
  }

  #onNativeClose(code: number): void {
    // Our own close() is handled by #finish; 0 only comes from it. -112 = expired (also the binding's forced
    // close on too many partial reads, which really ends the session), -113 = auth failed.
    if (this.#isFinal()) return;
    this.#finish(code === -113 ? 'authFailed' : code === 0 ? 'closed' : 'expired', false);
  }

  #failAttempt(err: ZkError): void {
    if (this.#attempt === undefined) return;
    this.#finish('closed', true, err);
  }

  /** Ends the session for good: one final event, watches and listeners released, the handle detached. */
  #finish(final: Final, closeNative: boolean, attemptError?: ZkError): void {
    this.#state = final;
    const handle = this.#handle;
    this.#handle = undefined;
    if (handle !== undefined) {
      if (closeNative) handle.close(); // synchronous; in-flight callbacks get -116 now
      // The addon keeps the native object alive through leaked watcher callbacks; do not let it keep us.
      handle.emit = noopEmit;
    }
    this.#watches.clear();
    this.#requests.release();
    const attempt = this.#attempt;
    this.#attempt = undefined;
    if (attempt !== undefined) {
      attempt.cleanup();
      attempt.reject(attemptError ?? this.#finalError());
    }
    this.#emit({ type: final });
    this.#listeners.clear();
  }

  #emit(event: SessionEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (err) {
        rethrowAsync(err);
      }
    }
  }
}
