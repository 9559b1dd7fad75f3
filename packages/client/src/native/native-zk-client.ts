import type { Acl } from '../acl.js';
import { createModeFlag } from '../create-mode.js';
import {
  AuthFailedError,
  ClientClosedError,
  ConnectTimeoutError,
  errorFromCode,
  InvalidArgumentError,
  InvalidStateError,
  SessionExpiredError,
  UnsupportedByTransportError,
  type ZkError,
} from '../errors.js';
import { validatePath } from '../paths.js';
import type { Stat } from '../stat.js';
import { checkAcl, checkCreate, isOpenAcl, toData, toVersion } from '../validate.js';
import type { WatchListener } from '../watch-event.js';
import type {
  AclResult,
  ChildrenResult,
  ClientState,
  ConnectOptions,
  CreateOptions,
  CreateResult,
  DataResult,
  NodeData,
  Op,
  OpResult,
  PersistentWatchMode,
  SessionEvent,
  SessionListener,
  TransportCapabilities,
  Unsubscribe,
  VersionOptions,
  WatcherType,
  WatchOptions,
  ZkClient,
  ZkClientOptions,
} from '../zk-client.js';
import {
  loadNativeBinding,
  NATIVE_STATE_CONNECTING,
  type NativeStat,
  type NativeWatcher,
  type NativeZkHandle,
} from './native-binding.js';
import {
  NATIVE_CAPABILITIES,
  resolveNativeOptions,
  type ResolvedNativeOptions,
} from './native-options.js';
import { fromNativeAcl, sessionIdFromHex, toNativeAcl, toStat } from './native-stat.js';
import { rethrowAsync } from './rethrow-async.js';
import { WatcherRegistry } from './watcher-registry.js';

/** Result codes produced by the C client itself (no server answer behind them). */
const CLIENT_SIDE_CODES = new Set([-4, -5, -7, -9, -112, -116]);
const NO_NODE = -101;
const INT32_MAX = 0x7fffffff;
/**
 * How long close() keeps waiting for in-flight replies after the last one arrived (or after close() was
 * called). Past it the server is taken as hung: the handle is closed and what is still pending fails with
 * `ClosingError` (outcome unknown). A healthy server answers within ms, well inside it.
 */
const CLOSE_DRAIN_IDLE_MS = 1000;
const CONFIG_NODE = '/zookeeper/config';
const noopEmit = (): void => undefined;
const utf8 = new TextDecoder('utf-8', { fatal: true });

type Final = 'expired' | 'authFailed' | 'closed';
type Done<T> = (rc: number, value?: T) => void;
type Send<T> = (
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
 * {@link ZkClient} over the npm `zookeeper` native binding (the C client), one handle per session.
 *
 * It hides the binding's traps (measured in `native-binding.md`): `response_counter_limit` raised, its own
 * connect timeout, `'close'` codes mapped to `expired`/`authFailed`/`closed`, invalid connect strings
 * detected, result codes turned into typed errors (-4/-7/-116 = outcome unknown), version -1 by default,
 * `null` data stored as empty, `exists` → `null` with the watch left armed, watchers dispatched through
 * id-only trampolines, and 64-bit ids kept lossless. What the binding cannot do (ACL on create, create2
 * stats, multi, persistent watches, watch removal, TLS) fails with `UnsupportedByTransportError`.
 *
 * `close()` lets the requests in flight finish, then calls the binding's synchronous `zookeeper_close()` from a
 * fresh macrotask (see {@link NativeZkClient.close}); that call blocks the event loop for a few ms, and up to
 * 1.5 s when the server hung and the client has not noticed yet (it waits for the close-session reply).
 *
 * @example
 * ```ts
 * const client = new NativeZkClient({ connectString: '127.0.0.1:2181' });
 * await client.connect();
 * await client.create('/a', 'x', { mode: CreateMode.Ephemeral });
 * await client.close();
 * ```
 */
export class NativeZkClient implements ZkClient {
  /** Always `'native'`. */
  readonly transport = 'native' as const;
  /** All `false`: see {@link NATIVE_CAPABILITIES}. */
  readonly capabilities: TransportCapabilities = NATIVE_CAPABILITIES;

  readonly #options: ResolvedNativeOptions;
  readonly #watches = new WatcherRegistry();
  readonly #listeners = new Set<SessionListener>();
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
  /** Requests handed to the C client whose callback has not run yet. */
  #inFlight = 0;
  #closing: Promise<void> | undefined;
  #drainWaiter: (() => void) | undefined;
  /** Called on each completion while close() drains: re-arms its silence bound. */
  #drainProgress: (() => void) | undefined;

  /** Validates the options; no I/O happens before {@link NativeZkClient.connect}. */
  constructor(options: ZkClientOptions) {
    this.#options = resolveNativeOptions(options);
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

  /**
   * A lower bound (`performance.now()` clock) for the last time the server heard from this session:
   * - after each server-answered request: the time the request was *sent* (the server received it later);
   * - on (re)connect: the time the handshake could first have been sent (`connect()` or the disconnect);
   * - on disconnect detection: `max(previous, now − 2/3·negotiatedTimeout)`. The C client sends pings after
   *   T/3 of silence and declares the connection dead only after 2/3·T without receiving anything, so a
   *   connection it still held until now must have carried traffic within the last 2/3·T; the binding's
   *   own pings are invisible to us, so without this an idle client's bound would fall far behind.
   *   Caveats: it assumes the event loop was not blocked (the C client only checks its deadline when the
   *   loop runs), and when a hung server is detected the true last receive is earlier by the lateness of
   *   that check (a few ms) plus half a round trip; lease computations should keep a margin of that order.
   * `0` until the first connection.
   */
  get lastHeardAt(): number {
    return this.#lastHeardAt;
  }

  /**
   * Creates the handle and waits for the first connection. Rejects with `InvalidArgumentError`
   * (`connectString`) if the C client refuses the connect string, `ConnectTimeoutError` after
   * `connectTimeoutMs`, `ClientClosedError` if closed or aborted first, `SessionExpiredError` if a resumed
   * session is gone. Any failure closes the handle. Callable once: a client is one session.
   */
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
    const wrapped: SessionListener = (e) => {
      listener(e);
    };
    this.#listeners.add(wrapped);
    return () => {
      this.#listeners.delete(wrapped);
    };
  }

  /** Creates a node. A non-open `acl` fails with `UnsupportedByTransportError` (the binding has no ACL). */
  async create(path: string, data?: NodeData, options?: CreateOptions): Promise<string> {
    const req = checkCreate(path, data, options);
    if (req.acl !== undefined && !isOpenAcl(req.acl)) {
      throw new UnsupportedByTransportError('native', 'aclOnCreate', { path });
    }
    const flags = createModeFlag[req.mode];
    const ttl = req.ttlMs;
    if (ttl !== undefined && ttl > INT32_MAX) {
      // The addon reads the TTL as int32; a larger value would be silently truncated.
      throw new UnsupportedByTransportError('native', `ttlMs above ${INT32_MAX}`, { path });
    }
    return this.#request<string>(path, undefined, (h, done) => {
      const cb = (rc: number, _e: string, created: string): void => done(rc, created);
      return ttl === undefined
        ? h.a_create(path, req.data, flags, cb)
        : h.a_create_ttl(path, req.data, flags, ttl, cb);
    });
  }

  /** Like {@link NativeZkClient.create}; `stat` is always `undefined` (no create2 in the binding). */
  async createWithStat(
    path: string,
    data?: NodeData,
    options?: CreateOptions,
  ): Promise<CreateResult> {
    return { path: await this.create(path, data, options), stat: undefined };
  }

  /** Reads data and stat. Empty data is an empty Buffer. */
  async getData(path: string, options: WatchOptions = {}): Promise<DataResult> {
    validatePath(path);
    return this.#request<DataResult>(path, options.watch, (h, done, watcher) => {
      const cb = (rc: number, _e: string, stat: NativeStat | null, data: Buffer | null): void =>
        done(
          rc,
          rc === 0
            ? { data: data ?? Buffer.alloc(0), stat: toStat(stat as NativeStat) }
            : undefined,
        );
      return watcher === undefined ? h.a_get(path, false, cb) : h.aw_get(path, watcher, cb);
    });
  }

  /** Writes data (version -1 = any). */
  async setData(path: string, data: NodeData, options: VersionOptions = {}): Promise<Stat> {
    validatePath(path);
    const bytes = toData(path, data);
    const version = toVersion(path, options.version);
    return this.#request<Stat>(path, undefined, (h, done) =>
      h.a_set(path, bytes, version, (rc, _e, stat) =>
        done(rc, stat === null ? undefined : toStat(stat)),
      ),
    );
  }

  /** The stat, or `null` when missing; a watch is left in both cases (on a missing node it fires `created`). */
  async exists(path: string, options: WatchOptions = {}): Promise<Stat | null> {
    validatePath(path);
    return this.#request<Stat | null>(path, options.watch, (h, done, watcher) => {
      const cb = (rc: number, _e: string, stat: NativeStat | null): void => {
        if (rc === NO_NODE) done(0, null);
        else done(rc, rc === 0 ? toStat(stat as NativeStat) : undefined);
      };
      return watcher === undefined ? h.a_exists(path, false, cb) : h.aw_exists(path, watcher, cb);
    });
  }

  /** Children (server order) and the node's stat. */
  async getChildren(path: string, options: WatchOptions = {}): Promise<ChildrenResult> {
    validatePath(path);
    return this.#request<ChildrenResult>(path, options.watch, (h, done, watcher) => {
      const cb = (
        rc: number,
        _e: string,
        children: string[] | null,
        stat: NativeStat | null,
      ): void =>
        done(
          rc,
          rc === 0 ? { children: children ?? [], stat: toStat(stat as NativeStat) } : undefined,
        );
      return watcher === undefined
        ? h.a_get_children2(path, false, cb)
        : h.aw_get_children2(path, watcher, cb);
    });
  }

  /** Deletes a node (version -1 = any). */
  async delete(path: string, options: VersionOptions = {}): Promise<void> {
    validatePath(path);
    const version = toVersion(path, options.version);
    return this.#request<undefined>(path, undefined, (h, done) =>
      h.a_delete_(path, version, (rc) => done(rc)),
    );
  }

  /** Reads the ACL and stat. */
  async getACL(path: string): Promise<AclResult> {
    validatePath(path);
    return this.#request<AclResult>(path, undefined, (h, done) =>
      h.a_get_acl(path, (rc, _e, acl, stat) =>
        done(
          rc,
          rc === 0 && acl !== null && stat !== null
            ? { acl: fromNativeAcl(acl), stat: toStat(stat) }
            : undefined,
        ),
      ),
    );
  }

  /**
   * Replaces the ACL. The binding's `set_acl` reports no stat, so the returned stat comes from an `exists`
   * sent right after on the same session: it reflects the ACL change (or a later change), never an earlier
   * state. If the node is deleted in between, this rejects with `NoNodeError` although the ACL was set.
   */
  async setACL(path: string, acl: readonly Acl[], options: VersionOptions = {}): Promise<Stat> {
    validatePath(path);
    checkAcl(path, acl);
    const version = toVersion(path, options.version);
    const nativeAcl = toNativeAcl(acl);
    const set = this.#request<undefined>(path, undefined, (h, done) =>
      h.a_set_acl(path, version, nativeAcl, (rc) => done(rc)),
    );
    // Pipelined on the same connection, so the server answers it after the set_acl.
    const read = this.#request<Stat>(path, undefined, (h, done) =>
      h.a_exists(path, false, (rc, _e, stat) => done(rc, stat === null ? undefined : toStat(stat))),
    );
    read.catch(() => undefined);
    await set;
    return read;
  }

  /** Adds credentials. Binary credentials that are not UTF-8 cannot pass through the binding. */
  async addAuth(scheme: string, auth: Uint8Array | string): Promise<void> {
    if (typeof scheme !== 'string' || scheme.length === 0) {
      throw new InvalidArgumentError('scheme', 'must be a non-empty string');
    }
    let text: string;
    if (typeof auth === 'string') text = auth;
    else if (auth instanceof Uint8Array) {
      try {
        text = utf8.decode(auth);
      } catch {
        throw new UnsupportedByTransportError('native', 'non-UTF-8 auth data');
      }
    } else throw new InvalidArgumentError('auth', 'must be a string or Uint8Array');
    return this.#request<undefined>(undefined, undefined, (h, done) =>
      h.add_auth(scheme, text, (rc) => done(rc)),
    );
  }

  /** Makes the connected server catch up with the leader for `path`. */
  async sync(path: string): Promise<void> {
    validatePath(path);
    return this.#request<undefined>(path, undefined, (h, done) => h.a_sync(path, (rc) => done(rc)));
  }

  /** Reads `/zookeeper/config`. */
  async getConfig(options: WatchOptions = {}): Promise<DataResult> {
    return this.#request<DataResult>(CONFIG_NODE, options.watch, (h, done, watcher) => {
      const cb = (rc: number, _e: string, stat: NativeStat | null, data: Buffer | null): void =>
        done(
          rc,
          rc === 0
            ? { data: data ?? Buffer.alloc(0), stat: toStat(stat as NativeStat) }
            : undefined,
        );
      return watcher === undefined ? h.a_getconfig(false, cb) : h.aw_getconfig(watcher, cb);
    });
  }

  /** Always rejects: the binding has no multi. */
  multi(_ops: readonly Op[]): Promise<OpResult[]> {
    return Promise.reject(new UnsupportedByTransportError('native', 'multi'));
  }

  /** Always rejects: the binding has no addWatch. */
  addWatch(
    path: string,
    _mode: PersistentWatchMode,
    _listener: WatchListener,
  ): Promise<Unsubscribe> {
    return Promise.reject(new UnsupportedByTransportError('native', 'persistentWatches', { path }));
  }

  /** Always rejects: the binding has no removeWatches. */
  removeWatches(path: string, _type: WatcherType, _options?: { local?: boolean }): Promise<void> {
    return Promise.reject(new UnsupportedByTransportError('native', 'removeWatches', { path }));
  }

  /**
   * Closes the session. Idempotent; after `expired`/`authFailed` it only resolves. Calls made after
   * `close()` fail with `ClientClosedError` at once.
   *
   * Like Java's `close()`, whose close-session request is ordered after the requests already sent, it first
   * lets the requests in flight finish (while connected; the wait ends once no reply has arrived for 1 s,
   * so a hung server holds it about 1 s, not 2/3 of the session timeout), then
   * closes the handle from a fresh macrotask. Both matter with this C client: `zookeeper_close()` called
   * from inside a completion (where every `await client.x()` continuation runs) only defers the close and
   * the session is left to expire, and closing with replies still unread resets the connection so the
   * server may never see the close-session request. In both cases the ephemerals would stay until the
   * session timeout.
   *
   * `zookeeper_close()` is synchronous: it blocks the event loop a few ms, and up to 1.5 s when the close
   * reply cannot arrive: the server hung and the client has not noticed yet, or the reply has to pass
   * through something that runs on this same event loop (an in-process TCP proxy such as the test
   * harness's `FaultProxy` cannot forward the request or its reply while the loop is blocked, so every
   * close through it costs the full 1.5 s; the request is forwarded, and the session closed, right after).
   * In-flight calls still pending at that point fail with `ClosingError` (outcome unknown).
   */
  close(): Promise<void> {
    if (this.#isFinal()) return Promise.resolve();
    this.#closing ??= this.#closeGracefully();
    return this.#closing;
  }

  async #closeGracefully(): Promise<void> {
    if (this.#state === 'connected' && this.#inFlight > 0) {
      await new Promise<void>((resolve) => {
        let idle: ReturnType<typeof setTimeout> | undefined;
        const arm = (): void => {
          clearTimeout(idle);
          idle = setTimeout(finish, CLOSE_DRAIN_IDLE_MS);
        };
        const finish = (): void => {
          clearTimeout(idle);
          this.#drainWaiter = undefined;
          this.#drainProgress = undefined;
          resolve();
        };
        // Bounded by silence, not by the session timeout: a healthy server answers within ms and every
        // answer re-arms the wait, while a hung one would otherwise hold close() for 2/3 of the session
        // timeout (40 s at 60 s) until the C client gives up on the requests.
        arm();
        this.#drainWaiter = finish;
        this.#drainProgress = arm;
      });
    }
    // Out of any C-client completion, so zookeeper_close() really sends the close-session request.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (!this.#isFinal()) this.#finish('closed', true);
  }

  /** Same as {@link NativeZkClient.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #isFinal(): boolean {
    return this.#state === 'expired' || this.#state === 'authFailed' || this.#state === 'closed';
  }

  #finalError(path?: string): ZkError {
    if (this.#state === 'expired') return new SessionExpiredError({ path });
    if (this.#state === 'authFailed') return new AuthFailedError({ path });
    return new ClientClosedError({ path });
  }

  /**
   * Sends one request. Checks the state first (a dead handle would fail with -9 and leak the callback), arms
   * the watch if any, and turns a negative synchronous result (the callback will never run) into a rejection.
   */
  #request<T>(
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
        if (--this.#inFlight === 0) this.#drainWaiter?.();
        else this.#drainProgress?.();
        if (!CLIENT_SIDE_CODES.has(rc) && sentAt > this.#lastHeardAt) this.#lastHeardAt = sentAt;
        // The server sets a watch on success, and for exists also on a missing node (done(0, null) here).
        if (armed !== undefined && rc !== 0) this.#watches.disarm(armed.id);
        if (rc === 0) resolve(value as T);
        else reject(errorFromCode(rc, { path }));
      };
      this.#inFlight++;
      const rc = send(handle, done, armed?.watcher);
      if (rc < 0) {
        // The callback will never run.
        this.#inFlight--;
        if (armed !== undefined) this.#watches.disarm(armed.id);
        reject(errorFromCode(rc, { path }));
      }
    });
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
    this.#drainWaiter?.();
    if (this.#state !== 'connected') return;
    const now = performance.now();
    const timeout = this.#negotiatedTimeoutMs ?? this.#options.sessionTimeoutMs;
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
    this.#drainWaiter?.();
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
