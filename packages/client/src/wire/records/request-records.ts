import type { Acl } from '../../acl.js';
import type { JuteWriter } from '../jute-writer.js';
import { writeAclVector } from './data-records.js';

/** Fields of `CreateRequest` / `CreateTTLRequest`. */
export interface CreateRequest {
  readonly path: string;
  readonly data: Uint8Array | null;
  readonly acl: readonly Acl[];
  readonly flags: number;
  /** Present only for `CreateTTLRequest` (opcode 21). */
  readonly ttlMs?: number | undefined;
}

/**
 * Encodes `CreateRequest{path; data; acl; flags}` or, with `ttlMs`, `CreateTTLRequest{… ; long ttl}`.
 *
 * @example
 * ```ts
 * writeCreateRequest(w, { path: '/a', data: Buffer.from('x'), acl: Acls.OpenAclUnsafe, flags: 0 });
 * ```
 */
export function writeCreateRequest(w: JuteWriter, c: CreateRequest): void {
  w.writeString(c.path);
  w.writeBuffer(c.data);
  writeAclVector(w, c.acl);
  w.writeInt(c.flags);
  if (c.ttlMs !== undefined) w.writeLong(BigInt(c.ttlMs));
}

/**
 * Encodes `{ustring path; boolean watch}`: `ExistsRequest`, `GetDataRequest`, `GetChildren2Request`.
 *
 * @example
 * ```ts
 * writePathWatchRequest(w, '/a', true);
 * ```
 */
export function writePathWatchRequest(w: JuteWriter, path: string, watch: boolean): void {
  w.writeString(path);
  w.writeBool(watch);
}

/**
 * Encodes `{ustring path}`: `SyncRequest`, `GetACLRequest`, `GetEphemeralsRequest`,
 * `GetAllChildrenNumberRequest`.
 *
 * @example
 * ```ts
 * writePathRequest(w, '/a');
 * ```
 */
export function writePathRequest(w: JuteWriter, path: string): void {
  w.writeString(path);
}

/**
 * Encodes `{ustring path; int n}`: `DeleteRequest` and `CheckVersionRequest` (n = version),
 * `AddWatchRequest` (n = mode), `RemoveWatchesRequest` / `CheckWatchesRequest` (n = watcher type).
 *
 * @example
 * ```ts
 * writePathIntRequest(w, '/a', -1); // delete any version
 * ```
 */
export function writePathIntRequest(w: JuteWriter, path: string, n: number): void {
  w.writeString(path);
  w.writeInt(n);
}

/**
 * Encodes `SetDataRequest{path; buffer data; int version}`.
 *
 * @example
 * ```ts
 * writeSetDataRequest(w, '/a', Buffer.from('v'), -1);
 * ```
 */
export function writeSetDataRequest(
  w: JuteWriter,
  path: string,
  data: Uint8Array,
  version: number,
): void {
  w.writeString(path);
  w.writeBuffer(data);
  w.writeInt(version);
}

/**
 * Encodes `SetACLRequest{path; vector<ACL>; int version}`.
 *
 * @example
 * ```ts
 * writeSetAclRequest(w, '/a', Acls.OpenAclUnsafe, -1);
 * ```
 */
export function writeSetAclRequest(
  w: JuteWriter,
  path: string,
  acl: readonly Acl[],
  version: number,
): void {
  w.writeString(path);
  writeAclVector(w, acl);
  w.writeInt(version);
}

/** Fields of `ReconfigRequest`; `null` members are left out of the change. */
export interface ReconfigRequest {
  readonly joiningServers: string | null;
  readonly leavingServers: string | null;
  readonly newMembers: string | null;
  /** Expected current config version, or -1 for any. */
  readonly curConfigId: bigint;
}

/**
 * Encodes `ReconfigRequest{joiningServers; leavingServers; newMembers; long curConfigId}`.
 *
 * @example
 * ```ts
 * writeReconfigRequest(w, { joiningServers: null, leavingServers: '3', newMembers: null, curConfigId: -1n });
 * ```
 */
export function writeReconfigRequest(w: JuteWriter, r: ReconfigRequest): void {
  w.writeString(r.joiningServers);
  w.writeString(r.leavingServers);
  w.writeString(r.newMembers);
  w.writeLong(r.curConfigId);
}
