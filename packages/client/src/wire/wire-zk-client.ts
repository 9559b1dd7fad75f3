import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Acl } from '../acl.js';
import { Acls } from '../acl.js';
import { createModeFlag } from '../create-mode.js';
import {
  ClientClosedError,
  ConnectTimeoutError,
  errorFromCode,
  InvalidArgumentError,
  InvalidStateError,
} from '../errors.js';
import { validatePath } from '../paths.js';
import type { Stat } from '../stat.js';
import { checkAcl, checkCreate, toData, toVersion } from '../validate.js';
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
import { readClientInfoVector, readStat, type ClientInfo } from './records/data-records.js';
import {
  writeCreateRequest,
  writePathIntRequest,
  writePathRequest,
  writePathWatchRequest,
  writeReconfigRequest,
  writeSetAclRequest,
  writeSetDataRequest,
} from './records/request-records.js';
import {
  readCreate2Response,
  readGetAclResponse,
  readGetChildren2Response,
  readGetDataResponse,
  readPathResponse,
} from './records/response-records.js';
import { addPersistentWatch, checkWatchesRequest, removeWatchesRequest } from './watch-requests.js';
import { request } from './wire-request.js';
import { resolveWireOptions, type WireZkClientOptions } from './wire-options.js';
import { WireSession } from './wire-session.js';

const CONFIG_NODE = '/zookeeper/config';

/** Every capability: the wire transport implements the whole protocol. */
export const WIRE_CAPABILITIES: TransportCapabilities = Object.freeze({
  aclOnCreate: true,
  create2: true,
  multi: true,
  persistentWatches: true,
  removeWatches: true,
  tls: true,
  extendedQueries: true,
  readOnly: true,
});

/** Membership change of {@link WireZkClient.reconfig}; members are `server.N=host:port:port;clientPort`. */
export interface ReconfigOptions {
  readonly joiningServers?: string;
  readonly leavingServers?: string;
  readonly newMembers?: string;
  /** Expected current config version (the `version` in `getConfig`), or -1n (default) for any. */
  readonly fromConfig?: bigint;
}

function checkListener(
  listener: unknown,
  path: string,
  field = 'watch',
): asserts listener is WatchListener {
  if (typeof listener !== 'function')
    throw new InvalidArgumentError(field, 'must be a function', { path });
}

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
    if (this.session.state === 'closed') throw new ClientClosedError();
    if (this.connecting !== undefined)
      throw new InvalidStateError({ cause: new Error('connect() was already called') });
    this.connecting = this.doConnect(options);
    return this.connecting;
  }

  private async doConnect({ signal }: ConnectOptions): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const stop = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ConnectTimeoutError(this.connectTimeoutMs, this.connectString)),
        this.connectTimeoutMs,
      );
      onAbort = () => reject(new ClientClosedError({ cause: signal?.reason }));
      if (signal?.aborted === true) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([this.checkHostsResolve(), stop]);
      this.session.start();
      await Promise.race([this.session.whenConnected(), stop]);
    } catch (e) {
      // An expired or refused session is already final (and released); only a wait cut short needs closing.
      const state = this.session.state;
      if (state !== 'expired' && state !== 'authFailed') await this.close();
      throw e;
    } finally {
      clearTimeout(timer);
      if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Like Java's `StaticHostProvider`: a connect string none of whose hosts resolves is an argument error. */
  private async checkHostsResolve(): Promise<void> {
    const results = await Promise.allSettled(
      this.hosts.map(async (h) => (isIP(h.host) === 0 ? (await lookup(h.host)).address : h.host)),
    );
    const failed = results.find((r) => r.status === 'rejected');
    if (failed === undefined || results.some((r) => r.status === 'fulfilled')) return;
    throw new InvalidArgumentError('connectString', `no host of ${this.connectString} resolves`, {
      cause: failed.reason,
    });
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

  async getData(path: string, options: WatchOptions = {}): Promise<DataResult> {
    validatePath(path);
    const watch = options.watch;
    if (watch !== undefined) checkListener(watch, path);
    const server = this.chroot.toServer(path);
    return this.call(
      OpCode.getData,
      (w) => writePathWatchRequest(w, server, watch !== undefined),
      path,
      (r) => {
        const res = readGetDataResponse(r);
        if (watch !== undefined) this.session.watches.add('data', server, watch);
        return res;
      },
    );
  }

  async setData(path: string, data: NodeData, options: VersionOptions = {}): Promise<Stat> {
    validatePath(path);
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

  async exists(path: string, options: WatchOptions = {}): Promise<Stat | null> {
    validatePath(path);
    const watch = options.watch;
    if (watch !== undefined) checkListener(watch, path);
    const server = this.chroot.toServer(path);
    return this.call(
      OpCode.exists,
      (w) => writePathWatchRequest(w, server, watch !== undefined),
      path,
      (r) => {
        const stat = readStat(r);
        if (watch !== undefined) this.session.watches.add('data', server, watch);
        return stat;
      },
      (err) => {
        if (err !== -101) throw errorFromCode(err, { path });
        if (watch !== undefined) this.session.watches.add('exist', server, watch);
        return null;
      },
    );
  }

  async getChildren(path: string, options: WatchOptions = {}): Promise<ChildrenResult> {
    validatePath(path);
    const watch = options.watch;
    if (watch !== undefined) checkListener(watch, path);
    const server = this.chroot.toServer(path);
    return this.call(
      OpCode.getChildren2,
      (w) => writePathWatchRequest(w, server, watch !== undefined),
      path,
      (r) => {
        const res = readGetChildren2Response(r);
        if (watch !== undefined) this.session.watches.add('child', server, watch);
        return res;
      },
    );
  }

  async delete(path: string, options: VersionOptions = {}): Promise<void> {
    validatePath(path);
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

  async getConfig(options: WatchOptions = {}): Promise<DataResult> {
    const watch = options.watch;
    if (watch !== undefined) checkListener(watch, CONFIG_NODE);
    // The config node is never under the chroot (ZOOKEEPER-4565): neither the request nor the watch key.
    return this.call(
      OpCode.getData,
      (w) => writePathWatchRequest(w, CONFIG_NODE, watch !== undefined),
      CONFIG_NODE,
      (r) => {
        const res = readGetDataResponse(r);
        if (watch !== undefined) this.session.watches.add('data', CONFIG_NODE, watch);
        return res;
      },
    );
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

  addWatch(path: string, mode: PersistentWatchMode, listener: WatchListener): Promise<Unsubscribe> {
    return addPersistentWatch(this.session, this.chroot, path, mode, listener);
  }

  async removeWatches(
    path: string,
    type: WatcherType,
    options: { local?: boolean } = {},
  ): Promise<void> {
    await removeWatchesRequest(this.session, this.chroot, path, type, options.local === true);
  }

  /** Asks the server whether it holds a watch of this type for the path (`NoWatcherError` if not). */
  async checkWatches(path: string, type: WatcherType): Promise<void> {
    await checkWatchesRequest(this.session, this.chroot, path, type);
  }

  /** Paths of this session's ephemeral nodes whose path starts with `prefixPath` (ZooKeeper 3.6+). */
  async getEphemerals(prefixPath = '/'): Promise<string[]> {
    if (typeof prefixPath !== 'string' || !prefixPath.startsWith('/')) {
      throw new InvalidArgumentError('prefixPath', 'must start with /', {
        path: String(prefixPath),
      });
    }
    const server = this.chroot.toServer(prefixPath);
    return this.call(
      OpCode.getEphemerals,
      (w) => writePathRequest(w, server),
      prefixPath,
      (r) => r.readStringVector('ephemerals').map((p) => this.chroot.toClient(p)),
    );
  }

  /** The identities the server associates with this session (ZooKeeper 3.7+). */
  async whoAmI(): Promise<ClientInfo[]> {
    return this.call(OpCode.whoAmI, undefined, undefined, readClientInfoVector);
  }

  /** Number of all descendants of a node (ZooKeeper 3.6+). */
  async getAllChildrenNumber(path: string): Promise<number> {
    validatePath(path);
    const server = this.chroot.toServer(path);
    return this.call(
      OpCode.getAllChildrenNumber,
      (w) => writePathRequest(w, server),
      path,
      (r) => r.readInt(),
    );
  }

  /** Changes the ensemble membership (needs `reconfigEnabled` and a super user); returns the new config. */
  async reconfig(change: ReconfigOptions): Promise<DataResult> {
    const req = {
      joiningServers: change.joiningServers ?? null,
      leavingServers: change.leavingServers ?? null,
      newMembers: change.newMembers ?? null,
      curConfigId: change.fromConfig ?? -1n,
    };
    if (req.joiningServers === null && req.leavingServers === null && req.newMembers === null) {
      throw new InvalidArgumentError('change', 'names no joining, leaving or new members');
    }
    return this.call(
      OpCode.reconfig,
      (w) => writeReconfigRequest(w, req),
      CONFIG_NODE,
      readGetDataResponse,
    );
  }

  close(): Promise<void> {
    return this.session.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
