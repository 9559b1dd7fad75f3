import type { Acl } from './acl.js';
import type { CreateMode } from './create-mode.js';
import type { Stat } from './stat.js';
import type { WatchListener } from './watch-event.js';
import type { ReadOp, ReadOpResult } from './wire/multi-ops.js';
import type { ClientInfo } from './wire/records/data-records.js';
import type { ReconfigOptions } from './wire/reconfig-request.js';

/**
 * Node data as accepted by writes. `null`/`undefined` mean empty data, never the text "null".
 *
 * @example
 * ```ts
 * const data: NodeData = 'hello'; // or new Uint8Array([1, 2]), or null for empty data
 * await client.setData('/a', data);
 * ```
 */
export type NodeData = Uint8Array | string | null | undefined;

/**
 * Options of {@link ZkClient.create}.
 *
 * @example
 * ```ts
 * const options: CreateOptions = { mode: CreateMode.PersistentWithTtl, ttlMs: 60_000 };
 * await client.create('/session-data', 'x', options);
 * ```
 */
export interface CreateOptions {
  /** Default `persistent`. */
  readonly mode?: CreateMode;
  /** Required for the TTL modes, forbidden otherwise. Milliseconds, > 0. */
  readonly ttlMs?: number;
  /**
   * ACL of the new node. Default world:anyone:ALL. Only transports with the `aclOnCreate` capability accept
   * anything else; others throw `UnsupportedByTransportError` (never create-then-setACL).
   */
  readonly acl?: readonly Acl[];
}

/**
 * Options of a conditional write.
 *
 * @example
 * ```ts
 * const { stat } = await client.getData('/a');
 * await client.setData('/a', 'next', { version: stat.version }); // BadVersionError if changed meanwhile
 * ```
 */
export interface VersionOptions {
  /** Expected version; `-1` (the default) matches any version. */
  readonly version?: number;
}

/**
 * Options of a read that may leave a one-shot watch. `watch` must be a function: anything else is refused
 * with `InvalidArgumentError` (field `watch`) before sending.
 *
 * @example
 * ```ts
 * await client.getData('/a', { watch: (e) => console.log(e.type, e.path) });
 * ```
 */
export interface WatchOptions {
  /** Called at most once, on the next change of the node (or its children, for `getChildren`). */
  readonly watch?: WatchListener;
}

/**
 * Result of {@link ZkClient.getData}.
 *
 * @example
 * ```ts
 * const { data, stat }: DataResult = await client.getData('/a');
 * console.log(data.toString('utf8'), stat.version);
 * ```
 */
export interface DataResult {
  readonly data: Buffer;
  readonly stat: Stat;
}

/**
 * Result of {@link ZkClient.getChildren}. Children come in server order (unsorted).
 *
 * @example
 * ```ts
 * const { children }: ChildrenResult = await client.getChildren('/jobs');
 * const sorted = [...children].sort();
 * ```
 */
export interface ChildrenResult {
  readonly children: string[];
  readonly stat: Stat;
}

/**
 * Result of {@link ZkClient.getACL}.
 *
 * @example
 * ```ts
 * const { acl, stat }: AclResult = await client.getACL('/a');
 * await client.setACL('/a', Acls.ReadAclUnsafe, { version: stat.aversion });
 * ```
 */
export interface AclResult {
  readonly acl: Acl[];
  readonly stat: Stat;
}

/**
 * Result of {@link ZkClient.createWithStat}: the created path and its stat.
 *
 * @example
 * ```ts
 * const { path, stat }: CreateResult = await client.createWithStat('/jobs/job-', 'x', {
 *   mode: CreateMode.PersistentSequential,
 * });
 * console.log(path, stat?.czxid); // stat is undefined without the create2 capability
 * ```
 */
export interface CreateResult {
  readonly path: string;
  /** Present when the transport has the `create2` capability. */
  readonly stat: Stat | undefined;
}

/**
 * One operation of a `multi` transaction.
 *
 * @example
 * ```ts
 * const ops: Op[] = [
 *   { type: 'check', path: '/config', version: 3 },
 *   { type: 'setData', path: '/config/value', data: 'v2' },
 * ];
 * await client.multi(ops);
 * ```
 */
export type Op =
  | {
      readonly type: 'create';
      readonly path: string;
      readonly data?: NodeData;
      readonly mode?: CreateMode;
      readonly acl?: readonly Acl[];
      readonly ttlMs?: number;
    }
  | { readonly type: 'delete'; readonly path: string; readonly version?: number }
  | {
      readonly type: 'setData';
      readonly path: string;
      readonly data: NodeData;
      readonly version?: number;
    }
  | { readonly type: 'check'; readonly path: string; readonly version: number };

/**
 * Result of one operation of a successful `multi`, in the same order as the operations.
 *
 * @example
 * ```ts
 * const [created] = await client.multi([{ type: 'create', path: '/q-', mode: 'persistentSequential' }]);
 * if (created?.type === 'create') console.log(created.path); // '/q-0000000000'
 * ```
 */
export type OpResult =
  | { readonly type: 'create'; readonly path: string; readonly stat: Stat | undefined }
  | { readonly type: 'delete' }
  | { readonly type: 'setData'; readonly stat: Stat }
  | { readonly type: 'check' };

/**
 * Modes of `addWatch` (ZooKeeper 3.6+).
 *
 * @example
 * ```ts
 * const mode: PersistentWatchMode = 'persistentRecursive'; // the node and all its descendants
 * const stop = await client.addWatch('/app', mode, (e) => console.log(e.type, e.path));
 * ```
 */
export type PersistentWatchMode = 'persistent' | 'persistentRecursive';

/**
 * Kinds of watch that `removeWatches` and `checkWatches` name.
 *
 * @example
 * ```ts
 * const type: WatcherType = 'data';
 * await client.removeWatches('/a', type);
 * ```
 */
export type WatcherType = 'children' | 'data' | 'any';

/**
 * What a transport can do. Anything it cannot do fails with `UnsupportedByTransportError`.
 *
 * @example
 * ```ts
 * if (client.capabilities.multi) await client.multi(ops);
 * else for (const op of ops) await applyOneByOne(client, op);
 * ```
 */
export interface TransportCapabilities {
  /** `create` with an ACL other than world:anyone:ALL. */
  readonly aclOnCreate: boolean;
  /** `create` returns the new node's stat. */
  readonly create2: boolean;
  /** `multi` and `multiRead`. */
  readonly multi: boolean;
  /** `addWatch` persistent and persistent-recursive watches. */
  readonly persistentWatches: boolean;
  /** `removeWatches` and `checkWatches`. */
  readonly removeWatches: boolean;
  /** TLS connections. */
  readonly tls: boolean;
  /** `getEphemerals`, `whoAmI`, `getAllChildrenNumber`. */
  readonly extendedQueries: boolean;
  /** `reconfig`: changing the ensemble's membership (servers with `reconfigEnabled=true`). */
  readonly reconfig: boolean;
  /** Read-only mode against a server partitioned from its quorum. */
  readonly readOnly: boolean;
}

/**
 * Session lifecycle as seen by one client handle. Once `expired`, `authFailed` or `closed`, it is final.
 *
 * @example
 * ```ts
 * client.onSessionEvent((e: SessionEvent) => {
 *   if (e.type === 'connected') console.log('session', e.sessionId.toString(16), e.initial);
 *   else if (e.type === 'expired') recreateClient();
 * });
 * ```
 */
export type SessionEvent =
  | {
      readonly type: 'connected';
      /** Session id, lossless. */
      readonly sessionId: bigint;
      /** Timeout the server granted, in ms. */
      readonly negotiatedTimeoutMs: number;
      /** True when connected to a read-only server. */
      readonly readOnly: boolean;
      /** True on the first connection of this session, false on a reconnect to the same session. */
      readonly initial: boolean;
    }
  | { readonly type: 'disconnected' }
  | { readonly type: 'expired' }
  | { readonly type: 'authFailed' }
  | { readonly type: 'closed' };

/**
 * Listener of {@link SessionEvent}s. It must be a function: anything else is refused by `onSessionEvent`
 * with `InvalidArgumentError` (field `listener`).
 *
 * @example
 * ```ts
 * const log: SessionListener = (e) => console.log('session', e.type);
 * client.onSessionEvent(log);
 * ```
 */
export type SessionListener = (event: SessionEvent) => void;

/**
 * Removes a listener. Calling it twice is harmless.
 *
 * @example
 * ```ts
 * const stop: Unsubscribe = client.onSessionEvent((e) => console.log(e.type));
 * stop();
 * ```
 */
export type Unsubscribe = () => void;

/**
 * The handle's current state.
 *
 * @example
 * ```ts
 * const state: ClientState = client.state;
 * if (state === 'expired' || state === 'authFailed' || state === 'closed') recreateClient();
 * ```
 */
export type ClientState =
  'idle' | 'connecting' | 'connected' | 'disconnected' | 'expired' | 'authFailed' | 'closed';

/**
 * Options of {@link ZkClient.connect}.
 *
 * @example
 * ```ts
 * await client.connect({ signal: AbortSignal.timeout(5_000) });
 * ```
 */
export interface ConnectOptions {
  /** Abort waiting for the first connection (the handle is closed). Must be an `AbortSignal`. */
  readonly signal?: AbortSignal;
}

/**
 * A typed promise API over exactly ONE ZooKeeper session. When the session ends (expired, auth failed,
 * closed) the object is finished for good; the framework makes a new one.
 *
 * Every method validates its path and arguments before sending and throws a typed `ZkError` naming the
 * path or field. Connection loss, operation timeout and closing errors on writes mean *outcome unknown*
 * (`error.outcomeUnknown`).
 *
 * @example
 * ```ts
 * const client = createZkClient({ connectString: '127.0.0.1:2181', sessionTimeoutMs: 10_000 });
 * await client.connect();
 * await client.create('/a', 'hello');
 * const { data, stat } = await client.getData('/a');
 * await client.close();
 * ```
 */
export interface ZkClient {
  /** Which transport implements this client. */
  readonly transport: 'native' | 'wire';
  /** What this transport can do. */
  readonly capabilities: TransportCapabilities;
  /** Current state of the handle. */
  readonly state: ClientState;
  /** Session id once connected (kept after the session ends, for logs). */
  readonly sessionId: bigint | undefined;
  /** Session password once connected (for the session-expiry test trick). */
  readonly sessionPassword: Buffer | undefined;
  /** Negotiated session timeout once connected, in ms. */
  readonly negotiatedTimeoutMs: number | undefined;
  /**
   * `performance.now()` time at or after which the client last heard from the server: a lower bound,
   * safe for lease deadlines (the server cannot have expired the session before this + timeout).
   */
  readonly lastHeardAt: number;

  /**
   * Opens the session and resolves once connected. Rejects with `ConnectTimeoutError` after the client's
   * `connectTimeoutMs` (the handle is then closed), or `ClientClosedError` if closed meanwhile. Call once.
   */
  connect(options?: ConnectOptions): Promise<void>;
  /**
   * Subscribes to session events. A listener that is not a function throws `InvalidArgumentError` (field
   * `listener`) at once.
   */
  onSessionEvent(listener: SessionListener): Unsubscribe;

  /** Creates a node and resolves with its actual path (with the sequence suffix, for sequential modes). */
  create(path: string, data?: NodeData, options?: CreateOptions): Promise<string>;
  /** Like `create`, but also returns the stat where the transport can (`create2`). */
  createWithStat(path: string, data?: NodeData, options?: CreateOptions): Promise<CreateResult>;
  /** Reads a node's data and stat; `NoNodeError` if missing (and then no watch is left). */
  getData(path: string, options?: WatchOptions): Promise<DataResult>;
  /** Writes data; version defaults to -1 (any). */
  setData(path: string, data: NodeData, options?: VersionOptions): Promise<Stat>;
  /** The node's stat, or `null` when missing. A watch is left in both cases (fires on create). */
  exists(path: string, options?: WatchOptions): Promise<Stat | null>;
  /** The node's children (unsorted) and its stat. */
  getChildren(path: string, options?: WatchOptions): Promise<ChildrenResult>;
  /** Deletes a node; version defaults to -1 (any). */
  delete(path: string, options?: VersionOptions): Promise<void>;
  /** Reads a node's ACL. */
  getACL(path: string): Promise<AclResult>;
  /** Replaces a node's ACL; version (the ACL version) defaults to -1. */
  setACL(path: string, acl: readonly Acl[], options?: VersionOptions): Promise<Stat>;
  /** Adds credentials to the session (e.g. `digest`, `user:password`). */
  addAuth(scheme: string, auth: Uint8Array | string): Promise<void>;
  /** Makes this client's server catch up with the leader for `path` before later reads. */
  sync(path: string): Promise<void>;
  /** Reads the ensemble configuration (`/zookeeper/config`). */
  getConfig(options?: WatchOptions): Promise<DataResult>;

  /** Atomic multi-operation (capability `multi`). Throws `TransactionFailedError` when rejected. */
  multi(ops: readonly Op[]): Promise<OpResult[]>;
  /** Adds a persistent (or persistent-recursive) watch (capability `persistentWatches`). */
  addWatch(path: string, mode: PersistentWatchMode, listener: WatchListener): Promise<Unsubscribe>;
  /** Removes watches on the server (capability `removeWatches`). */
  removeWatches(path: string, type: WatcherType, options?: { local?: boolean }): Promise<void>;
  /**
   * Asks the server whether it holds this session's watch of `type` on `path` (capability
   * `removeWatches`). Rejects with `NoWatcherError` when it does not, or, without asking, when no local watch
   * of that type exists.
   *
   * @example
   * ```ts
   * await client.getChildren('/a', { watch: () => undefined });
   * await client.checkWatches('/a', 'children'); // resolves: the child watch is armed
   * ```
   */
  checkWatches(path: string, type: WatcherType): Promise<void>;

  /**
   * Reads several nodes in one round trip (capability `multi`, ZooKeeper 3.6+). Unlike `multi` it is not
   * atomic: each read succeeds or fails on its own, a failure is an `{ type: 'error', error }` entry.
   *
   * @example
   * ```ts
   * const [a, kids] = await client.multiRead([
   *   { type: 'getData', path: '/a' },
   *   { type: 'getChildren', path: '/a' },
   * ]);
   * ```
   */
  multiRead(ops: readonly ReadOp[]): Promise<ReadOpResult[]>;

  /**
   * Paths of this session's ephemeral nodes that start with `prefixPath` (default `/`) (capability
   * `extendedQueries`, ZooKeeper 3.6+).
   *
   * @example
   * ```ts
   * const mine = await client.getEphemerals('/locks'); // e.g. ['/locks/lock-0000000003']
   * ```
   */
  getEphemerals(prefixPath?: string): Promise<string[]>;
  /**
   * The identities the server associates with this session (capability `extendedQueries`,
   * ZooKeeper 3.7+).
   *
   * @example
   * ```ts
   * await client.addAuth('digest', 'alice:secret');
   * await client.whoAmI(); // [{ authScheme: 'ip', user: '127.0.0.1' }, { authScheme: 'digest', user: 'alice' }]
   * ```
   */
  whoAmI(): Promise<ClientInfo[]>;
  /**
   * Number of all descendants of a node, the node itself not counted (capability `extendedQueries`,
   * ZooKeeper 3.6+).
   *
   * @example
   * ```ts
   * const total = await client.getAllChildrenNumber('/app'); // children, grandchildren, …
   * ```
   */
  getAllChildrenNumber(path: string): Promise<number>;

  /**
   * Changes the ensemble membership and resolves with the new configuration. Only the wire transport can
   * send it (the native binding has no reconfig: `UnsupportedByTransportError`, capability `reconfig`).
   * The servers need `reconfigEnabled=true` (else `ReconfigDisabledError`) and the session needs write
   * permission on `/zookeeper/config` (else `NoAuthError`); a malformed change is an
   * `InvalidArgumentError` naming the field, sent nothing.
   *
   * @example
   * ```ts
   * const { data } = await client.reconfig({ leavingServers: '3' });
   * console.log(data.toString()); // the new server.N= lines and version=
   * ```
   */
  reconfig(change: ReconfigOptions): Promise<DataResult>;

  /**
   * Closes the session (ephemerals are deleted by the server at once). Idempotent. Calls in flight are
   * given a short, bounded chance to complete first; any still pending then fail with
   * `ClosingError`/`ClientClosedError` (outcome unknown). Session listeners get `closed`.
   */
  close(): Promise<void>;
  /** Same as {@link ZkClient.close}. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Options common to both transports.
 *
 * @example
 * ```ts
 * const options: ZkClientOptions = { connectString: 'zk1:2181,zk2:2181/app', sessionTimeoutMs: 15_000 };
 * const client = createZkClient(options);
 * ```
 */
export interface ZkClientOptions {
  /** `host:port[,host:port…][/chroot]`. */
  readonly connectString: string;
  /** Requested session timeout in ms (the server clamps it to [2, 20]·tickTime). Default 10 000. */
  readonly sessionTimeoutMs?: number;
  /** How long `connect()` waits for the first connection, in ms. Default 15 000. */
  readonly connectTimeoutMs?: number;
  /** Reconnect to the same session id (used by the session-expiry test trick). */
  readonly sessionId?: bigint;
  /** Password for `sessionId`. */
  readonly sessionPassword?: Buffer;
  /** Try hosts in the listed order instead of shuffled (tests). Default false. */
  readonly deterministicHostOrder?: boolean;
}
