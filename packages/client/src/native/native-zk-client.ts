import type { Acl } from '../acl.js';
import { createModeFlag } from '../create-mode.js';
import { InvalidArgumentError, UnsupportedByTransportError } from '../errors.js';
import { validatePath } from '../paths.js';
import type { Stat } from '../stat.js';
import {
  checkAcl,
  checkCreate,
  checkListener,
  checkOptions,
  isOpenAcl,
  toData,
  toVersion,
} from '../validate.js';
import type { WatchListener } from '../watch-event.js';
import type { ReadOp, ReadOpResult } from '../wire/multi-ops.js';
import type { ClientInfo } from '../wire/records/data-records.js';
import type { ReconfigOptions } from '../wire/reconfig-request.js';
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
  SessionListener,
  TransportCapabilities,
  Unsubscribe,
  VersionOptions,
  WatcherType,
  WatchOptions,
  ZkClient,
  ZkClientOptions,
} from '../zk-client.js';
import type { DataCallback, NativeStat, StatCallback } from './native-binding.js';
import { NATIVE_CAPABILITIES, resolveNativeOptions } from './native-options.js';
import { NativeSession, type Done } from './native-session.js';
import { fromNativeAcl, toNativeAcl, toStat } from './native-stat.js';

const NO_NODE = -101;
const INT32_MAX = 0x7fffffff;
const CONFIG_NODE = '/zookeeper/config';
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The watch of a read's options, checked like the wire transport does: the binding would take any value and
 * only fail when the watch fires, with a `TypeError` thrown outside every promise.
 */
function watchOf(options: WatchOptions, path: string): WatchListener | undefined {
  checkOptions(options, path);
  const watch = options.watch;
  if (watch !== undefined) checkListener(watch, path);
  return watch;
}

/** What the binding cannot do: refused, never emulated. */
function refuse<T>(capability: string, path?: string): Promise<T> {
  return Promise.reject(new UnsupportedByTransportError('native', capability, { path }));
}

/** The callback of `a_get`/`a_getconfig` (and their `aw_` forms): data and stat. */
function dataReply(done: Done<DataResult>): DataCallback {
  return (rc, _e, stat, data) =>
    done(
      rc,
      rc === 0 ? { data: data ?? Buffer.alloc(0), stat: toStat(stat as NativeStat) } : undefined,
    );
}

/** The callback of `a_set`, and of `a_exists` where a missing node is an error (`NoNodeError`). */
function statReply(done: Done<Stat>): StatCallback {
  return (rc, _e, stat) => done(rc, stat === null ? undefined : toStat(stat));
}

/**
 * {@link ZkClient} over the npm `zookeeper` native binding (the C client), one handle per session.
 *
 * It hides the binding's traps (measured in `native-binding.md`): `response_counter_limit` raised, its own
 * connect timeout, `'close'` codes mapped to `expired`/`authFailed`/`closed`, invalid connect strings
 * detected, result codes turned into typed errors (-4/-7/-116 = outcome unknown), version -1 by default,
 * `null` data stored as empty, `exists` → `null` with the watch left armed, watchers dispatched through
 * id-only trampolines, and 64-bit ids kept lossless. What the binding cannot do (ACL on create, create2
 * stats, multi and multiRead, persistent watches, watch removal and checks, TLS, getEphemerals, whoAmI,
 * getAllChildrenNumber, reconfig) fails with `UnsupportedByTransportError`.
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

  readonly #session: NativeSession;

  /** Validates the options; no I/O happens before {@link NativeZkClient.connect}. */
  constructor(options: ZkClientOptions) {
    this.#session = new NativeSession(resolveNativeOptions(options));
  }

  /** Current state of the handle. */
  get state(): ClientState {
    return this.#session.state;
  }
  /** Session id once connected, lossless (kept after the session ends). */
  get sessionId(): bigint | undefined {
    return this.#session.sessionId;
  }
  /** Session password once connected. */
  get sessionPassword(): Buffer | undefined {
    return this.#session.sessionPassword;
  }
  /** Negotiated session timeout once connected, ms. */
  get negotiatedTimeoutMs(): number | undefined {
    return this.#session.negotiatedTimeoutMs;
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
    return this.#session.lastHeardAt;
  }

  /**
   * Creates the handle and waits for the first connection. Rejects with `InvalidArgumentError`
   * (`connectString`) if the C client refuses the connect string, `ConnectTimeoutError` after
   * `connectTimeoutMs`, `ClientClosedError` if closed or aborted first, `SessionExpiredError` if a resumed
   * session is gone. Any failure closes the handle. Callable once: a client is one session.
   */
  connect(options: ConnectOptions = {}): Promise<void> {
    return this.#session.connect(options);
  }

  /** Subscribes to session events; listeners are dropped after the final event. */
  onSessionEvent(listener: SessionListener): Unsubscribe {
    return this.#session.onSessionEvent(listener);
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
    return this.#session.request<string>(path, undefined, (h, done) => {
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
    const watch = watchOf(options, path);
    return this.#session.request<DataResult>(path, watch, (h, done, watcher) => {
      const cb = dataReply(done);
      return watcher === undefined ? h.a_get(path, false, cb) : h.aw_get(path, watcher, cb);
    });
  }

  /** Writes data (version -1 = any). */
  async setData(path: string, data: NodeData, options: VersionOptions = {}): Promise<Stat> {
    validatePath(path);
    const bytes = toData(path, data);
    checkOptions(options, path);
    const version = toVersion(path, options.version);
    return this.#session.request<Stat>(path, undefined, (h, done) =>
      h.a_set(path, bytes, version, statReply(done)),
    );
  }

  /** The stat, or `null` when missing; a watch is left in both cases (on a missing node it fires `created`). */
  async exists(path: string, options: WatchOptions = {}): Promise<Stat | null> {
    validatePath(path);
    const watch = watchOf(options, path);
    return this.#session.request<Stat | null>(path, watch, (h, done, watcher) => {
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
    const watch = watchOf(options, path);
    return this.#session.request<ChildrenResult>(path, watch, (h, done, watcher) => {
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
    checkOptions(options, path);
    const version = toVersion(path, options.version);
    return this.#session.request<undefined>(path, undefined, (h, done) =>
      h.a_delete_(path, version, (rc) => done(rc)),
    );
  }

  /** Reads the ACL and stat. */
  async getACL(path: string): Promise<AclResult> {
    validatePath(path);
    return this.#session.request<AclResult>(path, undefined, (h, done) =>
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
    checkOptions(options, path);
    const version = toVersion(path, options.version);
    const nativeAcl = toNativeAcl(acl);
    const set = this.#session.request<undefined>(path, undefined, (h, done) =>
      h.a_set_acl(path, version, nativeAcl, (rc) => done(rc)),
    );
    // Pipelined on the same connection, so the server answers it after the set_acl.
    const read = this.#session.request<Stat>(path, undefined, (h, done) =>
      h.a_exists(path, false, statReply(done)),
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
    return this.#session.request<undefined>(undefined, undefined, (h, done) =>
      h.add_auth(scheme, text, (rc) => done(rc)),
    );
  }

  /** Makes the connected server catch up with the leader for `path`. */
  async sync(path: string): Promise<void> {
    validatePath(path);
    return this.#session.request<undefined>(path, undefined, (h, done) =>
      h.a_sync(path, (rc) => done(rc)),
    );
  }

  /** Reads `/zookeeper/config`. */
  async getConfig(options: WatchOptions = {}): Promise<DataResult> {
    const watch = watchOf(options, CONFIG_NODE);
    return this.#session.request<DataResult>(CONFIG_NODE, watch, (h, done, watcher) => {
      const cb = dataReply(done);
      return watcher === undefined ? h.a_getconfig(false, cb) : h.aw_getconfig(watcher, cb);
    });
  }

  /** Always rejects: the binding has no multi. */
  multi(_ops: readonly Op[]): Promise<OpResult[]> {
    return refuse('multi');
  }

  /** Always rejects: the binding has no multiRead (capability `multi`). */
  multiRead(_ops: readonly ReadOp[]): Promise<ReadOpResult[]> {
    return refuse('multi');
  }

  /** Always rejects: the binding has no addWatch. */
  addWatch(path: string, _mode: PersistentWatchMode, _l: WatchListener): Promise<Unsubscribe> {
    return refuse('persistentWatches', path);
  }

  /** Always rejects: the binding has no removeWatches. */
  removeWatches(path: string, _type: WatcherType, _options?: { local?: boolean }): Promise<void> {
    return refuse('removeWatches', path);
  }

  /** Always rejects: the binding has no checkWatches (capability `removeWatches`). */
  checkWatches(path: string, _type: WatcherType): Promise<void> {
    return refuse('removeWatches', path);
  }

  /** Always rejects: the binding has no getEphemerals (capability `extendedQueries`). */
  getEphemerals(prefixPath = '/'): Promise<string[]> {
    return refuse('extendedQueries', String(prefixPath));
  }

  /** Always rejects: the binding has no whoAmI (capability `extendedQueries`). */
  whoAmI(): Promise<ClientInfo[]> {
    return refuse('extendedQueries');
  }

  /** Always rejects: the binding has no getAllChildrenNumber (capability `extendedQueries`). */
  getAllChildrenNumber(path: string): Promise<number> {
    return refuse('extendedQueries', path);
  }

  /** Always rejects: the binding has no reconfig (capability `reconfig`). */
  reconfig(_change: ReconfigOptions): Promise<DataResult> {
    return refuse('reconfig');
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
    return this.#session.close();
  }

  /** Same as {@link NativeZkClient.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
