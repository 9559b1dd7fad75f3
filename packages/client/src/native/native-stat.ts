/**
 * Lossless conversions between the native binding's representations and zookit's.
 */
import type { Acl } from '../acl.js';
import type { Stat } from '../stat.js';
import type { NativeAclIn, NativeAclOut, NativeStat } from './native-binding.js';

/**
 * Parses a session id as the addon prints it (`%llx` of the unsigned 64-bit value, no `0x`) into the signed
 * 64-bit value Java uses, so ids compare equal across transports.
 *
 * @example
 * ```ts
 * sessionIdFromHex('1000008b5020000'); // 72057631541395456n
 * ```
 */
export function sessionIdFromHex(hex: string): bigint {
  return BigInt.asIntN(64, BigInt('0x' + hex));
}

/**
 * Formats a session id for the addon's `client_id` init option (unsigned hex, no `0x`).
 *
 * @example
 * ```ts
 * sessionIdToHex(-1n); // 'ffffffffffffffff'
 * ```
 */
export function sessionIdToHex(id: bigint): string {
  return BigInt.asUintN(64, id).toString(16);
}

/**
 * Converts the addon's stat. zxids arrive as doubles (exact while the epoch is below 2^21, which is all the
 * addon can give), session ids as hex strings, times as `Date`.
 *
 * @example
 * ```ts
 * const stat = toStat(nativeStat); // { czxid: 2n, ephemeralOwner: 0n, ctime: 1700000000000, … }
 * ```
 */
export function toStat(s: NativeStat): Stat {
  return {
    czxid: BigInt(s.czxid),
    mzxid: BigInt(s.mzxid),
    pzxid: BigInt(s.pzxid),
    ctime: s.ctime.getTime(),
    mtime: s.mtime.getTime(),
    version: s.version,
    cversion: s.cversion,
    aversion: s.aversion,
    ephemeralOwner: s.ephemeralOwner === '0' ? 0n : sessionIdFromHex(s.ephemeralOwner),
    dataLength: s.dataLength,
    numChildren: s.numChildren,
  };
}

/**
 * Converts an ACL list returned by `get_acl`.
 *
 * @example
 * ```ts
 * fromNativeAcl([{ perms: 31, scheme: 'world', auth: 'anyone' }]); // Acls.OpenAclUnsafe
 * ```
 */
export function fromNativeAcl(acl: readonly NativeAclOut[]): Acl[] {
  return acl.map((a) => ({ perms: a.perms, id: { scheme: a.scheme, id: a.auth } }));
}

/**
 * Converts an ACL list for `set_acl`, which reads the field `perm` (not `perms`).
 *
 * @example
 * ```ts
 * toNativeAcl(Acls.OpenAclUnsafe); // [{ perm: 31, scheme: 'world', auth: 'anyone' }]
 * ```
 */
export function toNativeAcl(acl: readonly Acl[]): NativeAclIn[] {
  return acl.map((a) => ({ perm: a.perms, scheme: a.id.scheme, auth: a.id.id }));
}
