import {
  checkCreate,
  ClientClosedError,
  ConnectTimeoutError,
  CreateMode,
  isSequential,
  NoNodeError,
  toData,
  toVersion,
  ZkError,
} from '@zookit/client';
import type {
  Acl,
  AclResult,
  DataResult,
  NodeData,
  Op,
  OpResult,
  PersistentWatchMode,
  Stat,
  TransportCapabilities,
  Unsubscribe,
  WatcherType,
  WatchListener,
  ZkClient,
} from '@zookit/client';
import { isRetryableError, RetriesExhaustedError } from '@zookit/retry';
import type { RetryPolicy } from '@zookit/retry';
import type { Observable } from 'rxjs';

import type { Codec } from './codec.js';
import type { ConnectionState, ConnectionStateEvent } from './connection/connection-state.js';
import { isErrorState } from './connection/error-policy.js';
import type { ErrorPolicy } from './connection/error-policy.js';
import type { FrameworkCore, FrameworkState } from './internal/framework-core.js';
import { compareAndSet } from './internal/compare-and-set.js';
import { createNode, deleteRecursive } from './internal/node-operations.js';
import { checkNamespace, fixForNamespace, unfixForNamespace } from './namespace-paths.js';
import type {
  DecodedData,
  FrameworkCreateOptions,
  FrameworkDeleteOptions,
  FrameworkReadOptions,
  FrameworkSetDataOptions,
  WaitOptions,
} from './operation-options.js';

/**
 * The Curator-style framework over a ZooKeeper ensemble: one session at a time (re-opened by itself after
 * `lost`), connection states, every operation under the retry policy, protected create, guaranteed delete,
 * namespaces and codecs. Make one with `createFramework`.
 *
 * Connection behaviour: see `docs/concepts/connection-states.md`; after a connection loss, see
 * `docs/concepts/connection-loss.md` for what each operation guarantees.
 *
 * @example
 * ```ts
 * const zk = createFramework({ connectString: '127.0.0.1:2181', sessionTimeoutMs: 10_000 });
 * await zk.start();
 * await zk.waitForConnection({ timeoutMs: 5_000 });
 * const p = await zk.create('/jobs/job-', 'x', { mode: CreateMode.EphemeralSequential, parents: 'containers', protected: true });
 * await zk.delete(p, { guaranteed: true });
 * await zk.close();
 * ```
 */
export class ZkFramework implements AsyncDisposable {
  readonly #core: FrameworkCore;
  readonly #namespace: string | undefined;
  readonly #root: boolean;

  /** @internal Use `createFramework` or `usingNamespace`. */
  constructor(core: FrameworkCore, namespace: string | undefined, root: boolean) {
    this.#core = core;
    this.#namespace = namespace;
    this.#root = root;
  }

  // ---- lifecycle -------------------------------------------------------------------------------------

  /**
   * Starts connecting and returns at once (it does not wait for the connection). Idempotent. Rejects if
   * the client cannot even be made (e.g. `InvalidArgumentError` for a transport this build lacks).
   */
  async start(): Promise<void> {
    this.#core.start();
    return Promise.resolve();
  }

  /**
   * Closes the session and stops background work; pending operations reject with `ClientClosedError`.
   * Idempotent. Posts no `lost`. On a namespace view it does nothing: close the framework it came from.
   */
  close(): Promise<void> {
    return this.#root ? this.#core.close() : Promise.resolve();
  }

  /** Same as {@link ZkFramework.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** `latent` before start, `started`, then `closed`. */
  get state(): FrameworkState {
    return this.#core.state;
  }

  // ---- connection ------------------------------------------------------------------------------------

  /** Connection states; hot, replays the latest to new subscribers, completes on close. */
  get connectionState$(): Observable<ConnectionStateEvent> {
    return this.#core.sessions.states$;
  }

  /** The latest connection state, or `undefined` before the first connection. */
  get connectionState(): ConnectionStateEvent | undefined {
    return this.#core.sessions.current;
  }

  /** Background failures (guaranteed deletes, orphan cleanup, listener exceptions). Never errors. */
  get errors$(): Observable<Error> {
    return this.#core.errors$;
  }

  /** Session id of the current (or last) connection. */
  get sessionId(): bigint | undefined {
    return this.#core.sessions.sessionId;
  }

  /** Timeout the server granted to the current session, in ms. */
  get negotiatedTimeoutMs(): number | undefined {
    return this.#core.sessions.negotiatedTimeoutMs;
  }

  /**
   * `performance.now()` time by which a holder (leader, lock) must stop trusting its session: last
   * contact with the server + negotiated timeout − a small margin. `undefined` without a live session.
   */
  get leaseDeadline(): number | undefined {
    return this.#core.sessions.leaseDeadline;
  }

  /** The framework's retry policy. */
  get retryPolicy(): RetryPolicy {
    return this.#core.settings.retryPolicy;
  }

  /** The configured error policy. */
  get errorPolicy(): ErrorPolicy {
    return this.#core.settings.errorPolicy;
  }

  /** The namespace of this view, if any. */
  get namespace(): string | undefined {
    return this.#namespace;
  }

  /**
   * The raw client of the current session (Curator's `getZookeeperClient()`): an escape hatch, e.g. for its
   * `sessionPassword`. It is replaced after `lost`; calls on it are not retried and see no namespace.
   */
  get client(): ZkClient | undefined {
    return this.#core.sessions.client;
  }

  /** The current client's transport capabilities (undefined before the first client exists). */
  get capabilities(): TransportCapabilities | undefined {
    return this.#core.sessions.client?.capabilities;
  }

  /** True while connected, reconnected or read-only. */
  isConnected(): boolean {
    return this.#core.sessions.isConnected;
  }

  /** Whether the state (or event) is an error state under the configured error policy. */
  isErrorState(state: ConnectionState | ConnectionStateEvent): boolean {
    return isErrorState(this.errorPolicy, typeof state === 'string' ? state : state.state);
  }

  /**
   * Calls `listener` on every state change; exceptions it throws go to `errors$`. With `emitCurrent`, it is
   * also called at once with the current state.
   */
  onConnectionStateChange(
    listener: (event: ConnectionStateEvent) => void,
    options: { signal?: AbortSignal; emitCurrent?: boolean } = {},
  ): Unsubscribe {
    let skip = options.emitCurrent !== true && this.connectionState !== undefined;
    const subscription = this.connectionState$.subscribe((event) => {
      if (skip) {
        skip = false;
        return;
      }
      try {
        listener(event);
      } catch (error) {
        this.#core.reportError(error);
      }
    });
    const unsubscribe = (): void => subscription.unsubscribe();
    options.signal?.addEventListener('abort', unsubscribe, { once: true });
    return unsubscribe;
  }

  /** Resolves once connected. Rejects with `ConnectTimeoutError` after `timeoutMs`, or the signal's reason. */
  async waitForConnection(options: WaitOptions = {}): Promise<void> {
    const { timeoutMs, signal } = options;
    await this.#core.sessions.awaitClient(
      timeoutMs,
      signal,
      () => new ConnectTimeoutError(timeoutMs ?? 0, this.#core.settings.connectString),
    );
  }

  /** A view of the same framework (same session) whose paths are under `namespace` (none if empty). */
  usingNamespace(namespace: string | undefined): ZkFramework {
    return new ZkFramework(this.#core, checkNamespace(namespace), false);
  }

  // ---- operations ------------------------------------------------------------------------------------

  /**
   * Creates a node; resolves with its path (with the sequence suffix for sequential modes).
   * With `protected`, a retry after connection loss finds the node it already created instead of creating
   * a second one. With a `codec`, `data` is a value to encode.
   */
  create<T>(path: string, data: T, options: FrameworkCreateOptions & { codec: Codec<T> }): Promise<string>;
  create(path: string, data?: NodeData, options?: FrameworkCreateOptions): Promise<string>;
  async create(
    path: string,
    data?: unknown,
    options: FrameworkCreateOptions & { codec?: Codec<unknown> } = {},
  ): Promise<string> {
    const mode = options.mode ?? CreateMode.Persistent;
    const full = this.#path(path, isSequential(mode));
    const bytes = options.codec === undefined ? (data as NodeData) : options.codec.encode(data, path);
    const checked = checkCreate(full, bytes, {
      mode,
      ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
      ...(options.acl === undefined ? {} : { acl: options.acl }),
    });
    const ensuring = this.#ensureNamespace(options.signal);
    if (ensuring !== undefined) await ensuring;
    const created = await createNode(
      this.#core,
      {
        path: checked.path,
        data: checked.data,
        mode: checked.mode,
        ttlMs: checked.ttlMs,
        acl: checked.acl,
        parents: options.parents === 'containers' ? 'containers' : options.parents === true ? 'persistent' : false,
        protected: options.protected === true,
        protectedId: options.protectedId,
      },
      options.signal,
    );
    return this.#unfix(created);
  }

  /** Reads data and stat. With a `codec`, `data` is decoded (a mismatch is a `SchemaViolationError`). */
  getData<T>(path: string, options: FrameworkReadOptions & { codec: Codec<T> }): Promise<DecodedData<T>>;
  getData(path: string, options?: FrameworkReadOptions): Promise<DataResult>;
  getData(
    path: string,
    options: FrameworkReadOptions & { codec?: Codec<unknown> } = {},
  ): Promise<DecodedData<unknown>> {
    // Not async: this is the hottest call, and each async layer costs measurable microseconds.
    let full: string;
    try {
      full = this.#path(path);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const watch = this.#watch(options.watch);
    const read = (): Promise<DataResult> =>
      this.#core.run((c) => c.getData(full, watch === undefined ? {} : { watch }), options.signal);
    const ensuring = this.#ensureNamespace(options.signal);
    const result = ensuring === undefined ? read() : ensuring.then(read);
    const codec = options.codec;
    if (codec === undefined) return result;
    return result.then((r) => ({ data: codec.decode(r.data, path), stat: r.stat }));
  }

  /** Writes data (version -1, the default, matches any). With a `codec`, `data` is a value to encode. */
  setData<T>(path: string, data: T, options: FrameworkSetDataOptions & { codec: Codec<T> }): Promise<Stat>;
  setData(path: string, data: NodeData, options?: FrameworkSetDataOptions): Promise<Stat>;
  async setData(
    path: string,
    data: unknown,
    options: FrameworkSetDataOptions & { codec?: Codec<unknown> } = {},
  ): Promise<Stat> {
    const full = this.#path(path);
    const bytes = toData(full, options.codec === undefined ? (data as NodeData) : options.codec.encode(data, path));
    const version = toVersion(full, options.version);
    const ensuring = this.#ensureNamespace(options.signal);
    if (ensuring !== undefined) await ensuring;
    return this.#core.run((c) => c.setData(full, bytes, { version }), options.signal);
  }

  /** The node's stat, or `null` if it does not exist (a watch is left either way). */
  async exists(path: string, options: FrameworkReadOptions = {}): Promise<Stat | null> {
    const full = this.#path(path);
    const watch = this.#watch(options.watch);
    const ensuring = this.#ensureNamespace(options.signal);
    if (ensuring !== undefined) await ensuring;
    return this.#core.run((c) => c.exists(full, watch === undefined ? {} : { watch }), options.signal);
  }

  /** The children's names (unsorted, as the server returns them). */
  async getChildren(path: string, options: FrameworkReadOptions = {}): Promise<string[]> {
    return (await this.getChildrenWithStat(path, options)).children;
  }

  /** The children's names and the parent's stat. */
  async getChildrenWithStat(path: string, options: FrameworkReadOptions = {}): Promise<{ children: string[]; stat: Stat }> {
    const full = this.#path(path);
    const watch = this.#watch(options.watch);
    const ensuring = this.#ensureNamespace(options.signal);
    if (ensuring !== undefined) await ensuring;
    return this.#core.run((c) => c.getChildren(full, watch === undefined ? {} : { watch }), options.signal);
  }

  /**
   * Deletes a node. `guaranteed`: if it fails with an unknown outcome, it is retried in the background
   * until done (failures to `errors$`); the error is still thrown. `recursive`: children first.
   */
  async delete(path: string, options: FrameworkDeleteOptions = {}): Promise<void> {
    const full = this.#path(path);
    const version = toVersion(full, options.version);
    const ensuring = this.#ensureNamespace(options.signal);
    if (ensuring !== undefined) await ensuring;
    const ownerSessionId = options.ownerSessionId;
    try {
      if (options.recursive === true) await deleteRecursive(this.#core, full, version, options.signal);
      else await this.#core.run((c) => c.delete(full, { version }), options.signal);
    } catch (error) {
      if (error instanceof NoNodeError && options.quietly === true) return;
      // Curator hands a guaranteed delete to the background when it finally fails with a retryable error,
      // an unknown outcome, or an interruption (abort); a definite answer (NO_AUTH, NOT_EMPTY…) is final.
      const last = error instanceof RetriesExhaustedError ? error.cause : error;
      const definite = last instanceof ZkError && !last.outcomeUnknown && !isRetryableError(last);
      if (options.guaranteed === true && !definite && !(last instanceof ClientClosedError)) {
        this.#core.guaranteedDelete({ path: full, version, ownerSessionId });
      }
      throw error;
    }
  }

  /**
   * Compare-and-set: reads the node, applies `fn`, writes with the version read; on BAD_VERSION (someone
   * else wrote first) it starts again. After a write with unknown outcome it re-reads: unchanged version →
   * not applied, try again; next version with exactly our bytes → applied; anything else → the error is
   * thrown (outcome unknown). Returns the value written and its stat.
   */
  update<T>(
    path: string,
    fn: (current: T, stat: Stat) => T | Promise<T>,
    options: { codec: Codec<T>; signal?: AbortSignal },
  ): Promise<DecodedData<T>>;
  update(
    path: string,
    fn: (current: Buffer, stat: Stat) => NodeData | Promise<NodeData>,
    options?: { signal?: AbortSignal },
  ): Promise<DecodedData<Buffer>>;
  async update(
    path: string,
    fn: (current: never, stat: Stat) => unknown,
    options: { codec?: Codec<unknown>; signal?: AbortSignal } = {},
  ): Promise<DecodedData<unknown>> {
    const apply = fn as (current: unknown, stat: Stat) => unknown;
    const full = this.#path(path);
    const read = () => this.getData(path, options.signal === undefined ? {} : { signal: options.signal });
    return compareAndSet(this.#core, full, path, apply, read, options);
  }

  /** The node's ACL and stat. */
  async getACL(path: string, options: { signal?: AbortSignal } = {}): Promise<AclResult> {
    const full = this.#path(path);
    const ensuring = this.#ensureNamespace(options.signal);
    if (ensuring !== undefined) await ensuring;
    return this.#core.run((c) => c.getACL(full), options.signal);
  }

  /** Replaces the node's ACL (version is the ACL version, -1 for any). */
  async setACL(path: string, acl: readonly Acl[], options: FrameworkSetDataOptions = {}): Promise<Stat> {
    const full = this.#path(path);
    const version = toVersion(full, options.version);
    const ensuring = this.#ensureNamespace(options.signal);
    if (ensuring !== undefined) await ensuring;
    return this.#core.run((c) => c.setACL(full, acl, { version }), options.signal);
  }

  /** Makes the connected server catch up with the leader for `path`. */
  async sync(path: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    const full = this.#path(path);
    const ensuring = this.#ensureNamespace(options.signal);
    if (ensuring !== undefined) await ensuring;
    await this.#core.run((c) => c.sync(full), options.signal);
  }

  /** Reads the ensemble configuration (`/zookeeper/config`, outside any namespace). */
  getConfig(options: FrameworkReadOptions = {}): Promise<DataResult> {
    const watch = this.#watch(options.watch);
    return this.#core.run((c) => c.getConfig(watch === undefined ? {} : { watch }), options.signal);
  }

  /** Atomic multi-operation (transport capability `multi`); paths are relative to the namespace. */
  async multi(ops: readonly Op[], options: { signal?: AbortSignal } = {}): Promise<OpResult[]> {
    const mapped = ops.map((op) => ({
      ...op,
      path: this.#path(op.path, op.type === 'create' && op.mode !== undefined && isSequential(op.mode)),
    })) as Op[];
    const ensuring = this.#ensureNamespace(options.signal);
    if (ensuring !== undefined) await ensuring;
    const results = await this.#core.run((c) => c.multi(mapped), options.signal);
    return results.map((r) => (r.type === 'create' ? { ...r, path: this.#unfix(r.path) } : r));
  }

  /** Adds a persistent (recursive) watch (capability `persistentWatches`); event paths are namespaced. */
  async addWatch(
    path: string,
    mode: PersistentWatchMode,
    listener: WatchListener,
    options: { signal?: AbortSignal } = {},
  ): Promise<Unsubscribe> {
    const full = this.#path(path);
    const watch = this.#wrapListener(listener);
    const ensuring = this.#ensureNamespace(options.signal);
    if (ensuring !== undefined) await ensuring;
    return this.#core.run((c) => c.addWatch(full, mode, watch), options.signal);
  }

  /** Removes watches on the server (capability `removeWatches`). */
  async removeWatches(
    path: string,
    type: WatcherType,
    options: { local?: boolean; signal?: AbortSignal } = {},
  ): Promise<void> {
    const full = this.#path(path);
    await this.#core.run(
      (c) => c.removeWatches(full, type, options.local === undefined ? {} : { local: options.local }),
      options.signal,
    );
  }

  // ---- internals -------------------------------------------------------------------------------------

  #path(path: string, sequential = false): string {
    return fixForNamespace(this.#namespace, path, sequential);
  }

  #unfix(path: string): string {
    return unfixForNamespace(this.#namespace, path);
  }

  #ensureNamespace(signal: AbortSignal | undefined): Promise<void> | undefined {
    return this.#namespace === undefined ? undefined : this.#core.ensureNamespace(this.#namespace, signal);
  }

  #watch(listener: WatchListener | undefined): WatchListener | undefined {
    return listener === undefined ? undefined : this.#wrapListener(listener);
  }

  #wrapListener(listener: WatchListener): WatchListener {
    return (event) => {
      try {
        listener({ ...event, path: this.#unfix(event.path) });
      } catch (error) {
        this.#core.reportError(error);
      }
    };
  }
}
