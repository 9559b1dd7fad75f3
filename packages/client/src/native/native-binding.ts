/**
 * Typed access to the native class of the npm `zookeeper` 7.3.0 binding. This folder is the only place that
 * loads it. We load the addon's own `ZooKeeper` class (what `lib/zookeeper.js` wraps as `this.native`) and
 * skip the JS wrapper: the wrapper formats `util.inspect` of every argument (the whole payload) on every
 * call even with logging off, and its bundled `.d.ts` is wrong (`ctime` typed as number, `error` as number,
 * `createdInThisSession` missing). The types below are what the addon really passes (see
 * `src/node-zk.cpp` and the measured reference `native-binding.md`).
 */
import { createRequire } from 'node:module';
import path from 'node:path';

/** The stat object built by the addon (`createStatObject`). zxids are doubles, ids are lowercase hex. */
export interface NativeStat {
  readonly czxid: number;
  readonly mzxid: number;
  readonly pzxid: number;
  readonly dataLength: number;
  readonly numChildren: number;
  readonly version: number;
  readonly cversion: number;
  readonly aversion: number;
  readonly ctime: Date;
  readonly mtime: Date;
  /** Lowercase hex without `0x`; `"0"` when not ephemeral. */
  readonly ephemeralOwner: string;
  readonly createdInThisSession: boolean;
}

/** One ACL entry as the addon returns it (`get_acl`). */
export interface NativeAclOut {
  readonly perms: number;
  readonly scheme: string;
  readonly auth: string;
}

/** One ACL entry as the addon reads it (`set_acl` reads `perm`, not `perms`). */
export interface NativeAclIn {
  readonly perm: number;
  readonly scheme: string;
  readonly auth: string;
}

/** The config object of `init()`. Unknown keys are ignored by the addon. */
export interface NativeInitConfig {
  readonly connect: string;
  /** Requested session timeout in ms; 0 means 20 000. */
  readonly timeout: number;
  /** Process-global C-client log level (the last `init()` wins). */
  readonly debug_level: number;
  /** Process-global C-client flag: try hosts in the listed order. */
  readonly host_order_deterministic: boolean;
  /** Consecutive partial reads before the addon force-closes the handle (default 10 is far too low). */
  readonly response_counter_limit: number;
  /** Session to resume: lowercase hex, without `0x`. Must come with `client_password`. */
  readonly client_id?: string;
  /** 32 hex characters. */
  readonly client_password?: string;
}

/** Completion callback: numeric result code, its text, then the operation's values (null on error). */
export type RcCallback = (rc: number, error: string) => void;
/** Completion of `a_create`/`a_sync`: the resulting path. */
export type StringCallback = (rc: number, error: string, value: string) => void;
/** Completion of `a_exists`/`a_set`. */
export type StatCallback = (rc: number, error: string, stat: NativeStat | null) => void;
/** Completion of `a_get`/`a_getconfig`: data is `null` when the node has no data. */
export type DataCallback = (
  rc: number,
  error: string,
  stat: NativeStat | null,
  data: Buffer | null,
) => void;
/** Completion of `a_get_children2`. */
export type Children2Callback = (
  rc: number,
  error: string,
  children: string[] | null,
  stat: NativeStat | null,
) => void;
/** Completion of `a_get_acl`. */
export type AclCallback = (
  rc: number,
  error: string,
  acl: NativeAclOut[] | null,
  stat: NativeStat | null,
) => void;
/**
 * Watcher of an `aw_*` call: `(type, state, path)`. Type -1 is a session pseudo-event (the watch stays
 * armed); 1..4 are node events (one-shot).
 */
export type NativeWatcher = (type: number, state: number, path: string) => void;
/** What the addon calls for session events; the JS wrapper normally replaces it. */
export type NativeEmit = (event: string, handle: unknown, arg: unknown) => void;

/**
 * One native handle (one `zhandle_t`). Every `a_*`/`aw_*` method returns the C client's synchronous result:
 * 0 when the request was queued, a negative code when it was not, in which case the callback never runs.
 */
export interface NativeZkHandle {
  /** Session-event sink: `'connect'`, `'connecting'`, `'close'` (code), `'created'`… */
  emit: NativeEmit;
  /** Returns the handle, or an `Error` (and stays dead) when `zookeeper_init` failed. */
  init(config: NativeInitConfig): NativeZkHandle | Error;
  /** Synchronous; may block the event loop (see `NativeZkClient.close`). Emits `'close'` with 0. */
  close(): NativeZkHandle;
  a_create(path: string, data: Buffer, flags: number, cb: StringCallback): number;
  a_create_ttl(path: string, data: Buffer, flags: number, ttl: number, cb: StringCallback): number;
  a_exists(path: string, watch: boolean, cb: StatCallback): number;
  aw_exists(path: string, watcher: NativeWatcher, cb: StatCallback): number;
  a_get(path: string, watch: boolean, cb: DataCallback): number;
  aw_get(path: string, watcher: NativeWatcher, cb: DataCallback): number;
  a_get_children2(path: string, watch: boolean, cb: Children2Callback): number;
  aw_get_children2(path: string, watcher: NativeWatcher, cb: Children2Callback): number;
  a_set(path: string, data: Buffer, version: number, cb: StatCallback): number;
  a_delete_(path: string, version: number, cb: RcCallback): number;
  a_get_acl(path: string, cb: AclCallback): number;
  a_set_acl(path: string, version: number, acl: NativeAclIn[], cb: RcCallback): number;
  add_auth(scheme: string, auth: string, cb: RcCallback): number;
  a_sync(path: string, cb: StringCallback): number;
  a_getconfig(watch: boolean, cb: DataCallback): number;
  aw_getconfig(watcher: NativeWatcher, cb: DataCallback): number;
  /** `zoo_state()`: 0 closed/none, 1 connecting, 2 associating, 3 connected, 999 not connected. */
  readonly state: number;
  /** Session id, lowercase hex without `0x` (`"0"` before the first connect). */
  readonly client_id: string;
  /** Session password, 32 uppercase hex characters. */
  readonly client_password: string;
  /** Negotiated session timeout in ms, -1 without a live handle. */
  readonly timeout: number;
}

/** Constructor of {@link NativeZkHandle}. */
export type NativeZkConstructor = new () => NativeZkHandle;

/**
 * `zoo_state()` value of a handle that has started connecting: anything else right after `init()` means the
 * C client refused the connect string.
 *
 * @example
 * ```ts
 * if (handle.state !== NATIVE_STATE_CONNECTING) throw new Error('dead handle');
 * ```
 */
export const NATIVE_STATE_CONNECTING = 1;
/**
 * The C client's session-event watcher type, delivered to every armed `aw_*` watcher on disconnect and
 * reconnect (the watch stays armed).
 *
 * @example
 * ```ts
 * const watcher: NativeWatcher = (type) => { if (type === NATIVE_SESSION_EVENT) return; };
 * ```
 */
export const NATIVE_SESSION_EVENT = -1;

let cached: NativeZkConstructor | undefined;

/**
 * Loads the addon once (lazily, so importing `@zookit/client` never touches the native module).
 *
 * @example
 * ```ts
 * const Native = loadNativeBinding();
 * const handle = new Native();
 * ```
 */
export function loadNativeBinding(): NativeZkConstructor {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  const zkDir = path.dirname(require.resolve('zookeeper/package.json'));
  // node-gyp-build is the package's own dependency: resolve it from there, exactly as lib/zookeeper.js does.
  const gypBuild = createRequire(path.join(zkDir, 'package.json'))('node-gyp-build') as (
    dir: string,
  ) => { ZooKeeper: NativeZkConstructor };
  cached = gypBuild(zkDir).ZooKeeper;
  return cached;
}
