import type { Acl, AclId } from './acl.js';
import { CreateMode, isSequential, isTtl } from './create-mode.js';
import { DataTooLargeError, InvalidArgumentError } from './errors.js';
import { validatePath } from './paths.js';
import type { WatchListener } from './watch-event.js';
import type { CreateOptions, NodeData } from './zk-client.js';

/**
 * Largest data zookit sends, in bytes. The server drops the connection for any packet over its
 * `jute.maxbuffer` (1,048,575 bytes, header included), which fails every request in flight; 1 KiB of
 * headroom keeps the request header and path inside that limit.
 *
 * @example
 * ```ts
 * if (payload.byteLength > MAX_DATA_BYTES) await storeInChunks(payload);
 * else await client.setData('/a', payload);
 * ```
 */
export const MAX_DATA_BYTES = 1024 * 1024 - 1024;

/**
 * Largest TTL the server accepts (`EphemeralType.TTL` max: 2^40 - 1 ms).
 *
 * @example
 * ```ts
 * await client.create('/t', 'x', { mode: CreateMode.PersistentWithTtl, ttlMs: Math.min(ttlMs, MAX_TTL_MS) });
 * ```
 */
export const MAX_TTL_MS = 2 ** 40 - 1;

const encoder = new TextEncoder();

/**
 * Turns write data into bytes and checks its size. `null`/`undefined` become empty data.
 *
 * @example
 * ```ts
 * const bytes = toData('/a', 'hello'); // Buffer of 5 bytes
 * ```
 */
export function toData(path: string, data: NodeData): Buffer {
  let bytes: Buffer;
  if (data === null || data === undefined) bytes = Buffer.alloc(0);
  else if (typeof data === 'string') bytes = Buffer.from(encoder.encode(data));
  else if (data instanceof Uint8Array) {
    bytes = Buffer.isBuffer(data)
      ? data
      : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  } else {
    throw new InvalidArgumentError('data', `must be a Uint8Array, string, null or undefined`, {
      path,
    });
  }
  if (bytes.length > MAX_DATA_BYTES)
    throw new DataTooLargeError(path, bytes.length, MAX_DATA_BYTES);
  return bytes;
}

/**
 * Checks a version argument: an integer from -1 (any) to 2^31 - 1. Returns -1 when absent.
 *
 * @example
 * ```ts
 * toVersion('/a', undefined); // -1
 * ```
 */
export function toVersion(path: string, version: number | undefined, field = 'version'): number {
  if (version === undefined) return -1;
  if (!Number.isInteger(version) || version < -1 || version > 0x7fffffff) {
    throw new InvalidArgumentError(
      field,
      `must be an integer from -1 to 2147483647, got ${String(version)}`,
      {
        path,
      },
    );
  }
  return version;
}

/**
 * A create request after validation.
 *
 * @example
 * ```ts
 * const req: CheckedCreate = checkCreate('/a', 'x', { mode: CreateMode.Ephemeral });
 * req.data; // Buffer of 1 byte
 * ```
 */
export interface CheckedCreate {
  readonly path: string;
  readonly data: Buffer;
  readonly mode: CreateMode;
  readonly ttlMs: number | undefined;
  readonly acl: readonly Acl[] | undefined;
}

const modes = new Set<string>(Object.values(CreateMode));

/**
 * Validates every argument of a create: path (sequential modes may end in `/`), data size, mode, TTL.
 *
 * @example
 * ```ts
 * const req = checkCreate('/jobs/job-', 'x', { mode: CreateMode.PersistentSequential });
 * ```
 */
export function checkCreate(
  path: string,
  data: NodeData,
  options: CreateOptions = {},
): CheckedCreate {
  checkOptions(options, path);
  const mode = options.mode ?? CreateMode.Persistent;
  if (!modes.has(mode)) {
    throw new InvalidArgumentError('mode', `unknown create mode ${JSON.stringify(mode)}`, { path });
  }
  validatePath(path, isSequential(mode));
  const ttlMs = options.ttlMs;
  if (isTtl(mode)) {
    if (ttlMs === undefined || !Number.isInteger(ttlMs) || ttlMs <= 0 || ttlMs > MAX_TTL_MS) {
      throw new InvalidArgumentError(
        'ttlMs',
        `a TTL mode needs an integer ttlMs from 1 to ${MAX_TTL_MS}`,
        {
          path,
        },
      );
    }
  } else if (ttlMs !== undefined) {
    throw new InvalidArgumentError('ttlMs', `only the TTL modes take a ttlMs (mode is ${mode})`, {
      path,
    });
  }
  if (options.acl !== undefined) checkAcl(path, options.acl);
  return { path, data: toData(path, data), mode, ttlMs, acl: options.acl };
}

/**
 * Checks an ACL list: non-empty, each entry with perms in 0..31 and a scheme.
 *
 * @example
 * ```ts
 * checkAcl('/a', Acls.OpenAclUnsafe);
 * ```
 */
export function checkAcl(path: string, acl: readonly Acl[]): void {
  // Array.isArray would narrow a readonly Acl[] to any[]; check without losing the element type.
  if (!(acl instanceof Array) || acl.length === 0) {
    throw new InvalidArgumentError('acl', 'must be a non-empty array', { path });
  }
  for (const [i, entry] of acl.entries()) {
    if (!Number.isInteger(entry.perms) || entry.perms < 0 || entry.perms > 31) {
      throw new InvalidArgumentError(`acl[${i}].perms`, `must be an integer from 0 to 31`, {
        path,
      });
    }
    const id = entry.id as Partial<AclId> | undefined;
    if (typeof id?.scheme !== 'string' || id.scheme.length === 0) {
      throw new InvalidArgumentError(`acl[${i}].id.scheme`, 'must be a non-empty string', { path });
    }
    if (typeof id.id !== 'string') {
      throw new InvalidArgumentError(`acl[${i}].id.id`, 'must be a string', { path });
    }
  }
}

/**
 * True if the ACL is exactly world:anyone:ALL, the only ACL a transport without `aclOnCreate` can honour.
 *
 * @example
 * ```ts
 * isOpenAcl(Acls.OpenAclUnsafe); // true
 * ```
 */
export function isOpenAcl(acl: readonly Acl[]): boolean {
  return (
    acl.length === 1 &&
    acl[0]?.perms === 31 &&
    acl[0].id.scheme === 'world' &&
    acl[0].id.id === 'anyone'
  );
}

/**
 * Throws `InvalidArgumentError` (field `options`, and `path` when given) unless `options` is an object or
 * `undefined`: a `null` or a primitive would otherwise fail on its first property read with a `TypeError`.
 *
 * @example
 * ```ts
 * checkOptions(options, '/a'); // then options.version etc. can be read safely
 * ```
 */
export function checkOptions(options: unknown, path: string | undefined): void {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new InvalidArgumentError(
      'options',
      `must be an object or undefined, got ${options === null ? 'null' : typeof options}`,
      { path },
    );
  }
}

/**
 * Throws `InvalidArgumentError` naming `field` (and `path`, when given) unless `listener` is a function.
 * Both transports call it before sending, so a listener that could only fail later, when its event
 * arrives (as an uncaught `TypeError` outside any promise), is refused at the call instead.
 *
 * @example
 * ```ts
 * checkListener(options.watch, '/a'); // narrows options.watch to WatchListener
 * checkListener(listener, undefined, 'listener'); // a session listener: no path to name
 * ```
 */
export function checkListener(
  listener: unknown,
  path: string | undefined,
  field = 'watch',
): asserts listener is WatchListener {
  if (typeof listener !== 'function') {
    throw new InvalidArgumentError(
      field,
      `must be a function, got ${listener === null ? 'null' : typeof listener}`,
      { path },
    );
  }
}

/**
 * Checks `connect`'s options on both transports, so that a bad one is an `InvalidArgumentError`, never a
 * `TypeError` (or, on native, a handle left connecting).
 *
 * @example
 * ```ts
 * checkConnectOptions({ signal: AbortSignal.timeout(5_000) });
 * ```
 */
export function checkConnectOptions(options: unknown): void {
  checkOptions(options, undefined);
  const signal = (options as { signal?: unknown } | undefined)?.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidArgumentError('signal', 'must be an AbortSignal');
  }
}
