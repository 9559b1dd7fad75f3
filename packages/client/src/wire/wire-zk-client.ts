import type { Acl } from '../acl.js';
import { Acls } from '../acl.js';
import { createModeFlag } from '../create-mode.js';
import {
  AuthFailedError,
  ClientClosedError,
  InvalidArgumentError,
  InvalidStateError,
  SessionExpiredError,
} from '../errors.js';
import { validatePath } from '../paths.js';
import type { Stat } from '../stat.js';
import {
  checkAcl,
  checkConnectOptions,
  checkCreate,
  checkOptions,
  toData,
  toVersion,
} from '../validate.js';
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
  SessionListener,
  TransportCapabilities,
  Unsubscribe,
  VersionOptions,
  WatcherType,
  WatchOptions,
  ZkClient,
} from '../zk-client.js';
import type { Chroot } from './chroot.js';
import type { HostAddress } from '../connect-string.js';
import type { JuteReader } from './jute-reader.js';
import type { JuteWriter } from './jute-writer.js';
import {
  createOpCode,
  decodeMultiReply,
  decodeReadReply,
  encodeMultiOps,
  encodeReadOps,
  type ReadOp,
  type ReadOpResult,
} from './multi-ops.js';
import { OpCode } from './op-codes.js';
import { readStat, type ClientInfo } from './records/data-records.js';
import {
  writeCreateRequest,
  writePathIntRequest,
  writePathRequest,
  writeSetAclRequest,
  writeSetDataRequest,
} from './records/request-records.js';
import {
  readCreate2Response,
  readGetAclResponse,
  readPathResponse,
} from './records/response-records.js';
import { existsRequest, getChildrenRequest, getDataRequest } from './read-requests.js';
import { reconfigRequest, type ReconfigOptions } from './reconfig-request.js';
import {
  getAllChildrenNumberRequest,
  getConfigRequest,
  getEphemeralsRequest,
  whoAmIRequest,
} from './server-queries.js';
import { addPersistentWatch, checkWatchesRequest, removeWatchesRequest } from './watch-requests.js';
import { request } from './wire-request.js';
import { connectWireSession } from './wire-connect.js';
import { resolveWireOptions, type WireZkClientOptions } from './wire-options.js';
import { WireSession } from './wire-session.js';

/**
 * Every capability: the wire transport implements the whole protocol.
 *
 * @example
 * ```ts
 * // Feature checks read `client.capabilities`; a wire client's is this very object.
 * createZkClient({ connectString, transport: 'wire' }).capabilities === WIRE_CAPABILITIES; // true
 * ```
 */
export const WIRE_CAPABILITIES: TransportCapabilities = Object.freeze({
  aclOnCreate: true,
  create2: true,
  multi: true,
  persistentWatches: true,
  removeWatches: true,
  tls: true,
  extendedQueries: true,
  reconfig: true,
  readOnly: true,
});

/**
 * zookit's own TypeScript implementation of the ZooKeeper client protocol over `node:net`/`node:tls`: every
 * {@link ZkClient} operation with every capability (ACL on create, create2, TTL and container nodes, multi
 * and multiRead, persistent and recursive watches, watch removal, TLS with host-name checks, read-only mode),
 * plus `getEphemerals`, `whoAmI`, `getAllChildrenNumber` and `reconfig`.
 *
 * @example
 * ```ts
 * const client = new WireZkClient({ connectString: '127.0.0.1:2181/app', sessionTimeoutMs: 10_000 });
 * await client.connect();
 * await client.create('/a', 'hello', { acl: Acls.CreatorAllAcl });
 * const stop = await client.addWatch('/', 'persistentRecursive', (e) => console.log(e.type, e.path));
 * await client.close();
 * ```
 */
export class WireZkClient implements ZkClient {
  readonly transport = 'wire' as const;
  readonly capabilities: TransportCapabilities = WIRE_CAPABILITIES;
  private readonly session: WireSession;
  private readonly chroot: Chroot;
  private readonly connectTimeoutMs: number;
  private readonly connectString: string;
  private readonly hosts: readonly HostAddress[];
  private connecting: Promise<void> | undefined;

  constructor(options: WireZkClientOptions) {
    const resolved = resolveWireOptions(options);
    this.session = new WireSession(resolved.session);
    this.chroot = resolved.session.chroot;
    this.connectTimeoutMs = resolved.connectTimeoutMs;
    this.connectString = resolved.connectString;
    this.hosts = resolved.session.hosts;
  }

  get state(): ClientState {
    return this.session.state;
  }
  get sessionId(): bigint | undefined {
    return this.session.negotiatedTimeoutMs === undefined ? undefined : this.session.sessionId;
  }
  get sessionPassword(): Buffer | undefined {
    return this.session.negotiatedTimeoutMs === undefined ? undefined : this.session.passwd;
  }
  get negotiatedTimeoutMs(): number | undefined {
    return this.session.negotiatedTimeoutMs;
  }
  get lastHeardAt(): number {
    return this.session.lastHeardAt;
  }
  /** True while connected to a read-only server. */
  get readOnly(): boolean {
    return this.session.readOnly;
  }
  /** Number of armed (path, watch kind) registrations, for tests and metrics. */
  get watchCount(): number {
    return this.session.watches.size;
  }

  async connect(options: ConnectOptions = {}): Promise<void> {
    // A finished session says why, as on native: a second connect() is only 'invalid' while it may live.
    if (this.session.state === 'closed') throw new ClientClosedError();
    if (this.session.state === 'expired') throw new SessionExpiredError();
    if (this.session.state === 'authFailed') throw new AuthFailedError();
    if (this.connecting !== undefined)
      throw new InvalidStateError({ cause: new Error('connect() was already called') });
    try {
      checkConnectOptions(options);
    } catch (e) {
      // As on native (and as for an already-aborted signal): the one connect() failed, the client is done.
      await this.close();
      throw e;
    }
    this.connecting = connectWireSession(
      this.session,
      {
        hosts: this.hosts,
        connectString: this.connectString,
        connectTimeoutMs: this.connectTimeoutMs,
        close: () => this.close(),
      },
      options,
    );
    return this.connecting;
  }

  onSessionEvent(listener: SessionListener): Unsubscribe {
    if (typeof listener !== 'function')
      throw new InvalidArgumentError('listener', 'must be a function');
    return this.session.onEvent(listener);
  }

  private call<T>(
    opCode: number,
    body: ((w: JuteWriter) => void) | undefined,
    path: string | undefined,
    decode: (r: JuteReader) => T,
    onError?: (err: number) => T,
  ): Promise<T> {
    return request(this.session, opCode, body, path, decode, onError);
  }

  async create(path: string, data?: NodeData, options?: CreateOptions): Promise<string> {
    return (await this.createWithStat(path, data, options)).path;
  }

  async createWithStat(
    path: string,
    data?: NodeData,
    options: CreateOptions = {},
  ): Promise<CreateResult> {
    const c = checkCreate(path, data, options);
    const req = {
      path: this.chroot.toServer(c.path),
      data: c.data,
      acl: c.acl ?? Acls.OpenAclUnsafe,
      flags: createModeFlag[c.mode],
      ttlMs: c.ttlMs,
    };
    return this.call(
      createOpCode(c.mode),
      (w) => writeCreateRequest(w, req),
      path,
      (r) => {
        const res = readCreate2Response(r);
        return { path: this.chroot.toClient(res.path), stat: res.stat };
      },
    );
  }

  getData(path: string, options: WatchOptions = {}): Promise<DataResult> {
    return getDataRequest(this.session, this.chroot, path, options);
  }

  async setData(path: string, data: NodeData, options: VersionOptions = {}): Promise<Stat> {
    validatePath(path);
    checkOptions(options, path);
    const bytes = toData(path, data);
    const version = toVersion(path, options.version);
    const server = this.chroot.toServer(path);
    return this.call(
      OpCode.setData,
      (w) => writeSetDataRequest(w, server, bytes, version),
      path,
      readStat,
    );
  }

  exists(path: string, options: WatchOptions = {}): Promise<Stat | null> {
    return existsRequest(this.session, this.chroot, path, options);
  }

  getChildren(path: string, options: WatchOptions = {}): Promise<ChildrenResult> {
    return getChildrenRequest(this.session, this.chroot, path, options);
  }

  async delete(path: string, options: VersionOptions = {}): Promise<void> {
    validatePath(path);
    checkOptions(options, path);
    const version = toVersion(path, options.version);
    const server = this.chroot.toServer(path);
    await this.call(
      OpCode.delete,
      (w) => writePathIntRequest(w, server, version),
      path,
      () => undefined,
    );
  }

  async getACL(path: string): Promise<AclResult> {
    validatePath(path);
    const server = this.chroot.toServer(path);
    return this.call(OpCode.getACL, (w) => writePathRequest(w, server), path, readGetAclResponse);
  }

  async setACL(path: string, acl: readonly Acl[], options: VersionOptions = {}): Promise<Stat> {
    validatePath(path);
    checkAcl(path, acl);
    checkOptions(options, path);
    const version = toVersion(path, options.version);
    const server = this.chroot.toServer(path);
    return this.call(
      OpCode.setACL,
      (w) => writeSetAclRequest(w, server, acl, version),
      path,
      readStat,
    );
  }

  async addAuth(scheme: string, auth: Uint8Array | string): Promise<void> {
    if (typeof scheme !== 'string' || scheme.length === 0) {
      throw new InvalidArgumentError('scheme', 'must be a non-empty string');
    }
    if (typeof auth !== 'string' && !(auth instanceof Uint8Array)) {
      throw new InvalidArgumentError('auth', 'must be a string or a Uint8Array');
    }
    return this.session.addAuth(
      scheme,
      typeof auth === 'string' ? Buffer.from(auth, 'utf8') : Buffer.from(auth),
    );
  }

  async sync(path: string): Promise<void> {
    validatePath(path);
    const server = this.chroot.toServer(path);
    await this.call(OpCode.sync, (w) => writePathRequest(w, server), path, readPathResponse);
  }

  /** Reads the ensemble's dynamic configuration (`/zookeeper/config`, never under the chroot). */
  getConfig(options: WatchOptions = {}): Promise<DataResult> {
    return getConfigRequest(this.session, options);
  }

  async multi(ops: readonly Op[]): Promise<OpResult[]> {
    const body = encodeMultiOps(ops, this.chroot);
    return this.call(OpCode.multi, body, undefined, (r) => decodeMultiReply(r, ops, this.chroot));
  }

  /** Reads several nodes in one round trip (ZooKeeper 3.6+); each read succeeds or fails on its own. */
  async multiRead(ops: readonly ReadOp[]): Promise<ReadOpResult[]> {
    const body = encodeReadOps(ops, this.chroot);
    return this.call(OpCode.multiRead, body, undefined, (r) => decodeReadReply(r, ops));
  }

  /**
   * Adds a persistent (or recursive) watch. ZooKeeper 3.6–3.8 keep one registration per session, path and
   * table, so a one-shot read watch on the same path would silently end this watch after its first event
   * (ZOOKEEPER-4466, fixed in 3.9). This client handles it: such reads set no server watch and their
   * one-shot fires from this watch's notifications, with the event the server would have sent. Those
   * servers cannot hold a persistent and a persistent-recursive watch of one session on one path: the
   * second is refused with `InvalidArgumentError` (field `mode`) before anything is sent.
   */
  addWatch(path: string, mode: PersistentWatchMode, listener: WatchListener): Promise<Unsubscribe> {
    return addPersistentWatch(this.session, this.chroot, path, mode, listener);
  }

  /**
   * Removes this session's watches of `type` on `path`, on the server and locally; each removed listener
   * gets a `dataWatchRemoved`, `childWatchRemoved` or `persistentWatchRemoved` event. `NoWatcherError`
   * (nothing sent) when no local watch matches; with `local`, the local watches go even when the server
   * cannot be reached.
   *
   * Persistent watches (`addWatch`), as ZooKeeper 3.8.0 was seen to treat them: it has no watcher types
   * for them (types 4 and 5 came in 3.9; 3.8 answers MarshallingError), and it keeps one registration
   * per session, path and table, shared by one-shot and persistent watches. So:
   * - `'any'` removes them with everything else on the path, on the server as locally;
   * - `'data'` would drop a persistent or recursive watch on the path along with the data watches, and
   *   `'children'` a persistent (non-recursive) one along with the child watches: when the path holds such
   *   a watch this is refused with `InvalidArgumentError` (field `type`, the path), sent nothing;
   * - `'children'` next to a recursive watch removes only the child watches (the server keeps the
   *   recursive one, which lives in its data table; 3.8's copy in the child table delivers nothing).
   * To remove just one persistent watch, call the unsubscribe `addWatch` returned. A one-shot watch set
   * on a path whose persistent watch serves it (ZOOKEEPER-4466, see `addWatch`) has no server watch of
   * its own: once that persistent watch is unsubscribed, `'data'`/`'children'` remove such one-shots
   * locally, and the server's registration goes when the path holds no watch any more.
   *
   * @example
   * ```ts
   * await client.getData('/a', { watch: () => undefined });
   * await client.removeWatches('/a', 'data'); // the listener gets { type: 'dataWatchRemoved', path: '/a' }
   * ```
   */
  async removeWatches(
    path: string,
    type: WatcherType,
    options: { local?: boolean } = {},
  ): Promise<void> {
    checkOptions(options, path);
    await removeWatchesRequest(this.session, this.chroot, path, type, options.local === true);
  }

  /**
   * Asks the server whether it holds a watch of this type for the path; `NoWatcherError` if not, or
   * (without asking) if no local watch of that type exists: a persistent watch counts for `'any'` only.
   * For one-shot watches a persistent watch of the path serves (see `addWatch`), the server is asked
   * about that registration (type `any`).
   */
  async checkWatches(path: string, type: WatcherType): Promise<void> {
    await checkWatchesRequest(this.session, this.chroot, path, type);
  }

  /** Paths of this session's ephemeral nodes whose path starts with `prefixPath` (ZooKeeper 3.6+). */
  getEphemerals(prefixPath = '/'): Promise<string[]> {
    return getEphemeralsRequest(this.session, this.chroot, prefixPath);
  }

  /** The identities the server associates with this session (ZooKeeper 3.7+). */
  whoAmI(): Promise<ClientInfo[]> {
    return whoAmIRequest(this.session);
  }

  /** Number of all descendants of a node (ZooKeeper 3.6+). */
  getAllChildrenNumber(path: string): Promise<number> {
    return getAllChildrenNumberRequest(this.session, this.chroot, path);
  }

  /**
   * Changes the ensemble membership and resolves with the new config. Needs `reconfigEnabled=true` on the
   * servers (else `ReconfigDisabledError`) and a super user or write permission on `/zookeeper/config`
   * (else `NoAuthError`); a malformed change is an `InvalidArgumentError` naming the field, sent nothing.
   * A stale `fromConfig` is a `BadVersionError`. Removing the leader makes the ensemble elect a new one, so
   * the reply may be lost (`ConnectionLossError`, outcome unknown): read `getConfig` to learn the outcome.
   */
  reconfig(change: ReconfigOptions): Promise<DataResult> {
    return reconfigRequest(this.session, change);
  }

  close(): Promise<void> {
    return this.session.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
