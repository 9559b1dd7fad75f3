/**
 * Permission bits of an ACL entry (`ZooDefs.Perms`).
 *
 * @example
 * ```ts
 * const readWrite = Perms.Read | Perms.Write;
 * ```
 */
export const Perms = {
  Read: 1,
  Write: 2,
  Create: 4,
  Delete: 8,
  Admin: 16,
  All: 31,
} as const;

/**
 * An identity in an ACL: a scheme (`world`, `digest`, `ip`, `auth`, `sasl`, `x509`) and its id.
 *
 * @example
 * ```ts
 * const app: AclId = { scheme: 'digest', id: 'app:<base64 SHA-1 of app:password>' };
 * await client.setACL('/cfg', [{ perms: Perms.Read, id: app }]);
 * ```
 */
export interface AclId {
  readonly scheme: string;
  readonly id: string;
}

/**
 * One ACL entry: who (`id`) may do what (`perms`).
 *
 * @example
 * ```ts
 * const acl: Acl[] = [{ perms: Perms.All, id: { scheme: 'auth', id: '' } }];
 * ```
 */
export interface Acl {
  readonly perms: number;
  readonly id: AclId;
}

/**
 * Well-known ACL lists (`ZooDefs.Ids`).
 *
 * @example
 * ```ts
 * await client.create('/open', data, { acl: Acls.OpenAclUnsafe });
 * ```
 */
export const Acls = {
  /** world:anyone with every permission. What the native transport always uses. */
  OpenAclUnsafe: [{ perms: Perms.All, id: { scheme: 'world', id: 'anyone' } }] as readonly Acl[],
  /** Every permission for the identities authenticated on the creating session. */
  CreatorAllAcl: [{ perms: Perms.All, id: { scheme: 'auth', id: '' } }] as readonly Acl[],
  /** world:anyone may read. */
  ReadAclUnsafe: [{ perms: Perms.Read, id: { scheme: 'world', id: 'anyone' } }] as readonly Acl[],
} as const;
