import type { Acl } from './acl.js';
import type { CreateMode } from './create-mode.js';
import type { Stat } from './stat.js';
import type { WatchListener } from './watch-event.js';

/** Node data as accepted by writes. `null`/`undefined` mean empty data, never the text "null". */
export type NodeData = Uint8Array | string | null | undefined;

/** Options of {@link ZkClient.create}. */
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

/** Options of a conditional write. */
export interface VersionOptions {
  /** Expected version; `-1` (the default) matches any version. */
  readonly version?: number;
}

/** Options of a read that may leave a one-shot watch. */
export interface WatchOptions {
  /** Called at most once, on the next change of the node (or its children, for `getChildren`). */
  readonly watch?: WatchListener;
}

/** Result of {@link ZkClient.getData}. */
export interface DataResult {
  readonly data: Buffer;
  readonly stat: Stat;
}

/** Result of {@link ZkClient.getChildren}. Children come in server order (unsorted). */
export interface ChildrenResult {
  readonly children: string[];
  readonly stat: Stat;
}

/** Result of {@link ZkClient.getACL}. */
export interface AclResult {
  readonly acl: Acl[];
  readonly stat: Stat;
}

/** Result of {@link ZkClient.create} with `create2` semantics: the created path and its stat. */
export interface CreateResult {
  readonly path: string;
  /** Present when the transport has the `create2` capability. */
  readonly stat: Stat | undefined;
}

/** One operation of a `multi` transaction. */
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

/** Result of one operation of a successful `multi`, in the same order as the operations. */
export type OpResult =
  | { readonly type: 'create'; readonly path: string; readonly stat: Stat | undefined }
  | { readonly type: 'delete' }
  | { readonly type: 'setData'; readonly stat: Stat }
  | { readonly type: 'check' };

/** Modes of `addWatch` (ZooKeeper 3.6+). */
export type PersistentWatchMode = 'persistent' | 'persistentRecursive';

/** Kinds of watch that `removeWatches` can remove. */
export type WatcherType = 'children' | 'data' | 'any';

/** What a transport can do. Anything it cannot do fails with `UnsupportedByTransportError`. */
export interface TransportCapabilities {
  /** `create` with an ACL other than world:anyone:ALL. */
  readonly aclOnCreate: boolean;
  /** `create` returns the new node's stat. */
  readonly create2: boolean;
  /** `multi` and `multiRead`. */
  readonly multi: boolean;
  /** `addWatch` persistent and persistent-recursive watches. */
  readonly persistentWatches: boolean;
  /** `removeWatches` / `checkWatches`. */
  readonly removeWatches: boolean;
  /** TLS connections. */
  readonly tls: boolean;
  /** `getEphemerals`, `whoAmI`, `getAllChildrenNumber`. */
  readonly extendedQueries: boolean;
  /** Read-only mode against a server partitioned from its quorum. */
  readonly readOnly: boolean;
}

/** Session lifecycle as seen by one client handle. Once `expired`, `authFailed` or `closed`, it is final. */
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

/** Listener of {@link SessionEvent}s. */
export type SessionListener = (event: SessionEvent) => void;

/** Removes a listener. Calling it twice is harmless. */
export type Unsubscribe = () => void;

/** The handle's current state. */
export type ClientState =
  'idle' | 'connecting' | 'connected' | 'disconnected' | 'expired' | 'authFailed' | 'closed';

/** Options of {@link ZkClient.connect}. */
export interface ConnectOptions {
  /** Abort waiting for the first connection (the handle is closed). */
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
  /** Subscribes to session events. */
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
   * Closes the session (ephemerals are deleted by the server at once). Idempotent. Calls in flight are
   * given a short, bounded chance to complete first; any still pending then fail with
   * `ClosingError`/`ClientClosedError` (outcome unknown). Session listeners get `closed`.
   */
  close(): Promise<void>;
  /** Same as {@link ZkClient.close}. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options common to both transports. */
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
