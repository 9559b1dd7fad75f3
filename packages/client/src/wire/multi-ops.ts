import { Acls } from '../acl.js';
import { createModeFlag } from '../create-mode.js';
import {
  errorFromCode,
  InvalidArgumentError,
  TransactionFailedError,
  type ZkError,
} from '../errors.js';
import type { Stat } from '../stat.js';
import { checkCreate, toData, toVersion } from '../validate.js';
import { validatePath } from '../paths.js';
import type { Op, OpResult } from '../zk-client.js';
import type { Chroot } from './chroot.js';
import type { JuteReader } from './jute-reader.js';
import type { JuteWriter } from './jute-writer.js';
import { OpCode } from './op-codes.js';
import { readStat } from './records/data-records.js';
import { readMultiResponse, writeMultiHeader } from './records/multi-records.js';
import {
  readCreate2Response,
  readGetDataResponse,
  readPathResponse,
} from './records/response-records.js';
import {
  writeCreateRequest,
  writePathIntRequest,
  writePathWatchRequest,
  writeSetDataRequest,
} from './records/request-records.js';

/**
 * One read of a `multiRead` (ZooKeeper 3.6+).
 *
 * @example
 * ```ts
 * const reads: ReadOp[] = [
 *   { type: 'getData', path: '/cfg' },
 *   { type: 'getChildren', path: '/jobs' },
 * ];
 * const results = await wireClient.multiRead(reads);
 * ```
 */
export type ReadOp =
  | { readonly type: 'getData'; readonly path: string }
  | { readonly type: 'getChildren'; readonly path: string };

/**
 * Result of one read of a `multiRead`: each read succeeds or fails on its own.
 *
 * @example
 * ```ts
 * for (const r of await wireClient.multiRead(reads)) {
 *   if (r.type === 'error') console.warn(r.error.code); // the other reads still succeeded
 *   else if (r.type === 'getData') console.log(r.data.toString());
 * }
 * ```
 */
export type ReadOpResult =
  | { readonly type: 'getData'; readonly data: Buffer; readonly stat: Stat }
  | { readonly type: 'getChildren'; readonly children: string[] }
  | { readonly type: 'error'; readonly error: ZkError };

/** The create opcode for a mode: containers and TTL nodes need their own, the rest use create2 for the stat. */
export function createOpCode(mode: keyof typeof createModeFlag): number {
  if (mode === 'container') return OpCode.createContainer;
  if (mode === 'persistentWithTtl' || mode === 'persistentSequentialWithTtl')
    return OpCode.createTTL;
  return OpCode.create2;
}

/**
 * Validates the operations of a `multi` and returns the request-body writer. Every sub-op path gets the
 * chroot. Bad input throws a typed error naming the op (`ops[2].version`) before anything is sent.
 *
 * @example
 * ```ts
 * const body = encodeMultiOps([{ type: 'delete', path: '/a' }], chroot);
 * ```
 */
export function encodeMultiOps(ops: readonly Op[], chroot: Chroot): (w: JuteWriter) => void {
  if (!isArray(ops)) throw new InvalidArgumentError('ops', 'must be an array of operations');
  const steps: ((w: JuteWriter) => void)[] = ops.map((op, i) => {
    const at = `ops[${i}]`;
    switch (op.type) {
      case 'create': {
        const c = checkCreate(op.path, op.data, {
          ...(op.mode === undefined ? {} : { mode: op.mode }),
          ...(op.ttlMs === undefined ? {} : { ttlMs: op.ttlMs }),
          ...(op.acl === undefined ? {} : { acl: op.acl }),
        });
        const type = createOpCode(c.mode);
        const req = {
          path: chroot.toServer(c.path),
          data: c.data,
          acl: c.acl ?? Acls.OpenAclUnsafe,
          flags: createModeFlag[c.mode],
          ttlMs: c.ttlMs,
        };
        return (w) => (writeMultiHeader(w, type, false, -1), writeCreateRequest(w, req));
      }
      case 'delete': {
        validatePath(op.path);
        const v = toVersion(op.path, op.version, `${at}.version`);
        const path = chroot.toServer(op.path);
        return (w) => (
          writeMultiHeader(w, OpCode.delete, false, -1),
          writePathIntRequest(w, path, v)
        );
      }
      case 'setData': {
        validatePath(op.path);
        const data = toData(op.path, op.data);
        const v = toVersion(op.path, op.version, `${at}.version`);
        const path = chroot.toServer(op.path);
        return (w) => (
          writeMultiHeader(w, OpCode.setData, false, -1),
          writeSetDataRequest(w, path, data, v)
        );
      }
      case 'check': {
        validatePath(op.path);
        if (op.version === undefined) {
          throw new InvalidArgumentError(`${at}.version`, 'a check needs a version', {
            path: op.path,
          });
        }
        const v = toVersion(op.path, op.version, `${at}.version`);
        const path = chroot.toServer(op.path);
        return (w) => (
          writeMultiHeader(w, OpCode.check, false, -1),
          writePathIntRequest(w, path, v)
        );
      }
      default: {
        const bad = (op as { type?: unknown }).type;
        throw new InvalidArgumentError(
          `${at}.type`,
          `unknown operation type ${JSON.stringify(bad)}`,
        );
      }
    }
  });
  return (w) => {
    for (const step of steps) step(w);
    writeMultiHeader(w, -1, true, -1);
  };
}

// Array.isArray narrows a readonly array to any[]; this keeps the element type.
function isArray<T>(value: readonly T[]): boolean {
  return Array.isArray(value);
}

function readResult(type: number, r: JuteReader): unknown {
  switch (type) {
    case OpCode.create:
      return { path: readPathResponse(r), stat: undefined };
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
      return readCreate2Response(r);
    case OpCode.setData:
      return readStat(r);
    case OpCode.getData:
      return readGetDataResponse(r);
    case OpCode.getChildren:
      return r.readStringVector('children');
    default:
      return undefined;
  }
}

/**
 * Decodes a `multi` reply into results, or throws {@link TransactionFailedError}: the failing op carries
 * its error, ops rolled back before it and skipped after it carry `undefined`.
 *
 * @example
 * ```ts
 * const results = decodeMultiReply(reader, ops, chroot);
 * ```
 */
export function decodeMultiReply(r: JuteReader, ops: readonly Op[], chroot: Chroot): OpResult[] {
  const results = readMultiResponse(r, readResult);
  if (results.some((x) => x.type === -1)) {
    const errors = results.map((x, i) =>
      x.err === 0 || x.err === -2 ? undefined : errorFromCode(x.err, { path: ops[i]?.path }),
    );
    let failed = errors.findIndex((e) => e !== undefined);
    if (failed === -1) failed = results.findIndex((x) => x.err !== 0);
    throw new TransactionFailedError(failed, errors);
  }
  return results.map((x): OpResult => {
    switch (x.type) {
      case OpCode.create:
      case OpCode.create2:
      case OpCode.createContainer:
      case OpCode.createTTL: {
        const v = x.value as { path: string; stat: Stat | undefined };
        return { type: 'create', path: chroot.toClient(v.path), stat: v.stat };
      }
      case OpCode.setData:
        return { type: 'setData', stat: x.value as Stat };
      case OpCode.delete:
        return { type: 'delete' };
      default:
        return { type: 'check' };
    }
  });
}

/**
 * Writes the body of a `multiRead` (`GetDataRequest`/`GetChildrenRequest` sub-records, never watching).
 *
 * @example
 * ```ts
 * const body = encodeReadOps([{ type: 'getData', path: '/a' }], chroot);
 * ```
 */
export function encodeReadOps(ops: readonly ReadOp[], chroot: Chroot): (w: JuteWriter) => void {
  if (!isArray(ops)) throw new InvalidArgumentError('ops', 'must be an array of reads');
  const steps = ops.map((op, i) => {
    validatePath(op.path);
    const type =
      op.type === 'getData'
        ? OpCode.getData
        : op.type === 'getChildren'
          ? OpCode.getChildren
          : undefined;
    if (type === undefined)
      throw new InvalidArgumentError(`ops[${i}].type`, 'must be getData or getChildren');
    const path = chroot.toServer(op.path);
    return (w: JuteWriter) => (
      writeMultiHeader(w, type, false, -1),
      writePathWatchRequest(w, path, false)
    );
  });
  return (w) => {
    for (const step of steps) step(w);
    writeMultiHeader(w, -1, true, -1);
  };
}

/**
 * Decodes a `multiRead` reply: one result or error per read.
 *
 * @example
 * ```ts
 * const results = decodeReadReply(reader, ops);
 * ```
 */
export function decodeReadReply(r: JuteReader, ops: readonly ReadOp[]): ReadOpResult[] {
  return readMultiResponse(r, readResult).map((x, i): ReadOpResult => {
    if (x.type === -1)
      return { type: 'error', error: errorFromCode(x.err, { path: ops[i]?.path }) };
    if (x.type === OpCode.getData)
      return { type: 'getData', ...(x.value as { data: Buffer; stat: Stat }) };
    return { type: 'getChildren', children: x.value as string[] };
  });
}
