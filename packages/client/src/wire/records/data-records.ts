import type { Acl } from '../../acl.js';
import type { Stat } from '../../stat.js';
import type { JuteReader } from '../jute-reader.js';
import type { JuteWriter } from '../jute-writer.js';

/** Size of an encoded `Stat` in bytes. */
export const STAT_BYTES = 68;

/**
 * Decodes a jute `Stat` (68 bytes) with lossless bigint zxids and session id.
 *
 * @example
 * ```ts
 * const stat = readStat(reader);
 * ```
 */
export function readStat(r: JuteReader): Stat {
  const czxid = r.readLong();
  const mzxid = r.readLong();
  const ctime = r.readLongAsNumber();
  const mtime = r.readLongAsNumber();
  const version = r.readInt();
  const cversion = r.readInt();
  const aversion = r.readInt();
  const ephemeralOwner = r.readLong();
  const dataLength = r.readInt();
  const numChildren = r.readInt();
  const pzxid = r.readLong();
  return {
    czxid,
    mzxid,
    pzxid,
    ctime,
    mtime,
    version,
    cversion,
    aversion,
    ephemeralOwner,
    dataLength,
    numChildren,
  };
}

/**
 * Encodes a `Stat` (used by tests and fakes; clients only read stats).
 *
 * @example
 * ```ts
 * writeStat(writer, stat);
 * ```
 */
export function writeStat(w: JuteWriter, s: Stat): void {
  w.writeLong(s.czxid);
  w.writeLong(s.mzxid);
  w.writeLong(BigInt(s.ctime));
  w.writeLong(BigInt(s.mtime));
  w.writeInt(s.version);
  w.writeInt(s.cversion);
  w.writeInt(s.aversion);
  w.writeLong(s.ephemeralOwner);
  w.writeInt(s.dataLength);
  w.writeInt(s.numChildren);
  w.writeLong(s.pzxid);
}

/**
 * Encodes a `vector<ACL>` (`ACL{int perms; Id{ustring scheme; ustring id}}`).
 *
 * @example
 * ```ts
 * writeAclVector(writer, Acls.OpenAclUnsafe);
 * ```
 */
export function writeAclVector(w: JuteWriter, acl: readonly Acl[]): void {
  w.writeInt(acl.length);
  for (const a of acl) {
    w.writeInt(a.perms);
    w.writeString(a.id.scheme);
    w.writeString(a.id.id);
  }
}

/**
 * Decodes one `ACL`.
 *
 * @example
 * ```ts
 * const acl = readAcl(reader);
 * ```
 */
export function readAcl(r: JuteReader): Acl {
  const perms = r.readInt();
  const scheme = r.readNonNullString('ACL scheme');
  const id = r.readNonNullString('ACL id');
  return { perms, id: { scheme, id } };
}

/**
 * Decodes a `vector<ACL>`; a null vector is an empty list.
 *
 * @example
 * ```ts
 * const acl = readAclVector(reader);
 * ```
 */
export function readAclVector(r: JuteReader): Acl[] {
  const n = r.readCount('ACL', 12);
  const out: Acl[] = [];
  for (let i = 0; i < n; i++) out.push(readAcl(r));
  return out;
}

/**
 * An identity the server knows the session by (`ClientInfo`), as returned by `whoAmI`.
 *
 * @example
 * ```ts
 * const ids: ClientInfo[] = await wireClient.whoAmI();
 * ids.some((i) => i.authScheme === 'digest' && i.user === 'app'); // did addAuth take effect?
 * ```
 */
export interface ClientInfo {
  readonly authScheme: string;
  readonly user: string;
}

/**
 * Decodes a `vector<ClientInfo>` (`whoAmI` reply).
 *
 * @example
 * ```ts
 * const ids = readClientInfoVector(reader);
 * ```
 */
export function readClientInfoVector(r: JuteReader): ClientInfo[] {
  const n = r.readCount('ClientInfo', 8);
  const out: ClientInfo[] = [];
  for (let i = 0; i < n; i++) {
    const authScheme = r.readNonNullString('ClientInfo authScheme');
    const user = r.readNonNullString('ClientInfo user');
    out.push({ authScheme, user });
  }
  return out;
}
