import { checkAcl, ConnectTimeoutError, toVersion } from '@zookit/client';
import type {
  Acl,
  AclResult,
  CreateResult,
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
import type { RetryPolicy } from '@zookit/retry';
import type { Observable } from 'rxjs';

import type { Codec } from './codec.js';
import type { ConnectionState, ConnectionStateEvent } from './connection/connection-state.js';
import { isErrorState } from './connection/error-policy.js';
import type { ErrorPolicy } from './connection/error-policy.js';
import * as check from './internal/check-options.js';
import type { FrameworkCore, FrameworkState } from './internal/framework-core.js';
import { compareAndSet } from './internal/compare-and-set.js';
import { createInNamespace } from './internal/create-operation.js';
import { runMulti } from './internal/multi-operation.js';
import { NamespaceScope } from './internal/namespace-scope.js';
import { deleteNode } from './internal/node-operations.js';
import { checkNamespace } from './namespace-paths.js';
import type {
  DecodedData,
  FrameworkCreateOptions,
  FrameworkDeleteOptions,
  FrameworkReadOptions,
  FrameworkSetDataOptions,
  WaitOptions,
  WithCodec,
} from './operation-options.js';
import { TransactionBuilder } from './transaction-builder.js';

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
  readonly #scope: NamespaceScope;
  readonly #root: boolean;

  /** @internal Use `createFramework` or `usingNamespace`. */
  constructor(core: FrameworkCore, namespace: string | undefined, root: boolean) {
    this.#core = core;
    this.#scope = new NamespaceScope(core, namespace);
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
    return this.#scope.namespace;
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
    return this.#core.onStateChange(listener, options);
  }

  /** Resolves once connected. Rejects with `ConnectTimeoutError` after `timeoutMs`, or the signal's reason. */
  async waitForConnection(options: WaitOptions = {}): Promise<void> {
    check.checkOptions(check.waitOptions, options, 'waitForConnection');
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
  create<T>(path: string, data: T, options: WithCodec<FrameworkCreateOptions, T>): Promise<string>;
  create(path: string, data?: NodeData, options?: FrameworkCreateOptions): Promise<string>;
  async create(
    path: string,
    data?: unknown,
    options: FrameworkCreateOptions & { codec?: Codec<unknown> } = {},
  ): Promise<string> {
    return (await createInNamespace(this.#core, this.#scope.namespace, path, data, options)).path;
  }

  /**
   * Like {@link ZkFramework.create} (same options, protected semantics and namespace), and also returns the
   * new node's stat where the transport has `create2` (`undefined` on native), saving a read.
   */
  createWithStat<T>(
    path: string,
    data: T,
    options: WithCodec<FrameworkCreateOptions, T>,
  ): Promise<CreateResult>;
  createWithStat(
    path: string,
    data?: NodeData,
    opts?: FrameworkCreateOptions,
  ): Promise<CreateResult>;
  async createWithStat(
    path: string,
    data?: unknown,
    options: FrameworkCreateOptions & { codec?: Codec<unknown> } = {},
  ): Promise<CreateResult> {
    return createInNamespace(this.#core, this.#scope.namespace, path, data, options);
  }

  /** Reads data and stat. With a `codec`, `data` is decoded (a mismatch is a `SchemaViolationError`). */
  getData<T>(path: string, options: WithCodec<FrameworkReadOptions, T>): Promise<DecodedData<T>>;
  getData(path: string, options?: FrameworkReadOptions): Promise<DataResult>;
  getData(
    path: string,
    options: FrameworkReadOptions & { codec?: Codec<unknown> } = {},
  ): Promise<DecodedData<unknown>> {
    return this.#scope.getData(path, options);
  }

  /** Writes data (version -1, the default, matches any). With a `codec`, `data` is a value to encode. */
  setData<T>(path: string, data: T, options: WithCodec<FrameworkSetDataOptions, T>): Promise<Stat>;
  setData(path: string, data: NodeData, options?: FrameworkSetDataOptions): Promise<Stat>;
  async setData(
    path: string,
    data: unknown,
    options: FrameworkSetDataOptions & { codec?: Codec<unknown> } = {},
  ): Promise<Stat> {
    return this.#scope.setData(path, data, options);
  }

  /** The node's stat, or `null` if it does not exist (a watch is left either way). */
  async exists(path: string, options: FrameworkReadOptions = {}): Promise<Stat | null> {
    const full = this.#scope.prepare('exists', path, check.watchOptions, options);
    const watch = this.#scope.watchOptions(options.watch);
    return this.#scope.run((c) => c.exists(full, watch), options.signal);
  }

  /** The children's names (unsorted, as the server returns them). */
  async getChildren(path: string, options: FrameworkReadOptions = {}): Promise<string[]> {
    return (await this.getChildrenWithStat(path, options)).children;
  }

  /** The children's names and the parent's stat. */
  async getChildrenWithStat(
    path: string,
    options: FrameworkReadOptions = {},
  ): Promise<{ children: string[]; stat: Stat }> {
    const full = this.#scope.prepare('getChildren', path, check.watchOptions, options);
    const watch = this.#scope.watchOptions(options.watch);
    return this.#scope.run((c) => c.getChildren(full, watch), options.signal);
  }

  /**
   * Deletes a node. `guaranteed`: if it fails with an unknown outcome, it is retried in the background
   * until done (failures to `errors$`); the error is still thrown. `recursive`: children first.
   */
  async delete(path: string, options: FrameworkDeleteOptions = {}): Promise<void> {
    const full = this.#scope.prepare('delete', path, check.deleteOptions, options);
    const version = toVersion(full, options.version);
    await this.#scope.ensure(options.signal);
    await deleteNode(this.#core, full, version, options);
  }

  /**
   * Compare-and-set: reads the node, applies `fn`, writes with the version read; on BAD_VERSION (someone
   * else wrote first) it starts again. After a write with unknown outcome it re-reads: unchanged version or
   * next version with other bytes → not applied, try again; next version with our bytes → applied; later
   * version → the error is thrown (outcome unknown). Returns the value written and its stat.
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
    const full = this.#scope.path(path);
    const read = () =>
      this.getData(path, options.signal === undefined ? {} : { signal: options.signal });
    return compareAndSet(this.#core, full, path, apply, read, options);
  }

  /** The node's ACL and stat. */
  async getACL(path: string, options: { signal?: AbortSignal } = {}): Promise<AclResult> {
    const full = this.#scope.prepare('getACL', path, check.signalOptions, options);
    return this.#scope.run((c) => c.getACL(full), options.signal);
  }

  /** Replaces the node's ACL (version is the ACL version, -1 for any). */
  async setACL(
    path: string,
    acl: readonly Acl[],
    options: FrameworkSetDataOptions = {},
  ): Promise<Stat> {
    const full = this.#scope.prepare('setACL', path, check.setAclOptions, options);
    checkAcl(full, acl);
    const version = toVersion(full, options.version);
    return this.#scope.run((c) => c.setACL(full, acl, { version }), options.signal);
  }

  /** Makes the connected server catch up with the leader for `path`. */
  async sync(path: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    const full = this.#scope.prepare('sync', path, check.signalOptions, options);
    await this.#scope.run((c) => c.sync(full), options.signal);
  }

  /** Reads the ensemble configuration (`/zookeeper/config`, outside any namespace). */
  async getConfig(options: FrameworkReadOptions = {}): Promise<DataResult> {
    check.checkOptions(check.watchOptions, options, 'getConfig');
    const watch = this.#scope.watchOptions(options.watch);
    return this.#core.run((c) => c.getConfig(watch), options.signal);
  }

  /**
   * Atomic multi-operation (capability `multi`); paths are relative to the namespace. Creates without an
   * `acl` get the ACL provider's. A transaction of `check` ops only is retried after a connection loss;
   * one with writes rejects with `TransactionOutcomeUnknownError` instead of being resent blindly.
   */
  async multi(ops: readonly Op[], options: { signal?: AbortSignal } = {}): Promise<OpResult[]> {
    return runMulti(this.#core, this.#scope.namespace, ops, options);
  }

  /** Curator's `transaction()`: a fluent builder committed as one {@link ZkFramework.multi}. */
  transaction(): TransactionBuilder {
    return new TransactionBuilder((ops, signal) =>
      this.multi(ops, signal === undefined ? {} : { signal }),
    );
  }

  /**
   * Adds a persistent watch (`persistent`: the node; `persistentRecursive`: the node and every descendant)
   * — capability `persistentWatches`, ZooKeeper 3.6+. Event paths are namespaced back. Resolves with a
   * function that removes it; aborting `signal` removes it too. It lives as long as the session: after a
   * `reconnected` event with `sessionChanged`, add it again.
   */
  async watch(
    path: string,
    options: { readonly mode: PersistentWatchMode; readonly signal?: AbortSignal },
    listener: WatchListener,
  ): Promise<Unsubscribe> {
    return this.#scope.addWatch(path, options, listener);
  }

  /** Removes watches on the server (capability `removeWatches`). */
  async removeWatches(
    path: string,
    type: WatcherType,
    options: { local?: boolean; signal?: AbortSignal } = {},
  ): Promise<void> {
    const full = this.#scope.prepare('removeWatches', path, check.removeWatchesOptions, options);
    check.parseWith(check.watcherType, type, 'removeWatches', 'type', path);
    await this.#core.run(
      (c) =>
        c.removeWatches(full, type, options.local === undefined ? {} : { local: options.local }),
      options.signal,
    );
  }
}
