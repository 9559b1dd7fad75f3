// The sample values JuteGolden.java (scripts/jute-golden) encodes; keep both in step.
import type { Acl } from '../../src/acl.js';
import type { Stat } from '../../src/stat.js';

export const sampleStat: Stat = {
  czxid: 0x100000002n,
  mzxid: 0x100000003n,
  ctime: 1700000000123,
  mtime: 1700000000456,
  version: 3,
  cversion: 4,
  aversion: 5,
  ephemeralOwner: 0x1000001abcdef01n,
  dataLength: 5,
  numChildren: 2,
  pzxid: 0x7fffffff00000001n,
};

export const sampleAcls: Acl[] = [
  { perms: 31, id: { scheme: 'world', id: 'anyone' } },
  { perms: 1, id: { scheme: 'digest', id: 'alice:x/Y=' } },
];

export const openAcl: Acl[] = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

export const samplePasswd = Buffer.from(Array.from({ length: 16 }, (_, i) => (i * 17) & 0xff));
