import type { Acl } from '../../acl.js';
import type { Stat } from '../../stat.js';
import type { JuteReader } from '../jute-reader.js';
import { readAclVector, readStat } from './data-records.js';

/**
 * Decodes `CreateResponse{path}`, `SyncResponse{path}` and the first field of `Create2Response`.
 *
 * @example
 * ```ts
 * const path = readPathResponse(reader);
 * ```
 */
export function readPathResponse(r: JuteReader): string {
  return r.readNonNullString('path');
}

/**
 * Decodes `Create2Response{path; Stat}`.
 *
 * @example
 * ```ts
 * const { path, stat } = readCreate2Response(reader);
 * ```
 */
export function readCreate2Response(r: JuteReader): { path: string; stat: Stat } {
  const path = r.readNonNullString('path');
  return { path, stat: readStat(r) };
}

/**
 * Decodes `GetDataResponse{buffer data; Stat}`; null data becomes an empty buffer.
 *
 * @example
 * ```ts
 * const { data, stat } = readGetDataResponse(reader);
 * ```
 */
export function readGetDataResponse(r: JuteReader): { data: Buffer; stat: Stat } {
  const data = r.readBuffer() ?? Buffer.alloc(0);
  return { data, stat: readStat(r) };
}

/**
 * Decodes `GetChildren2Response{vector<ustring>; Stat}`.
 *
 * @example
 * ```ts
 * const { children, stat } = readGetChildren2Response(reader);
 * ```
 */
export function readGetChildren2Response(r: JuteReader): { children: string[]; stat: Stat } {
  const children = r.readStringVector('children');
  return { children, stat: readStat(r) };
}

/**
 * Decodes `GetACLResponse{vector<ACL>; Stat}`.
 *
 * @example
 * ```ts
 * const { acl, stat } = readGetAclResponse(reader);
 * ```
 */
export function readGetAclResponse(r: JuteReader): { acl: Acl[]; stat: Stat } {
  const acl = readAclVector(r);
  return { acl, stat: readStat(r) };
}
