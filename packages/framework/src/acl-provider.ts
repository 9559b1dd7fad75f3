import type { Acl } from '@zookit/client';

/**
 * Curator's `ACLProvider`: the ACL of every node the framework creates without an explicit `acl` — plain
 * creates, the parents made by `parents`, the namespace's containers and `create` ops of a transaction.
 * `getAclForPath` receives the full server path (namespace included); `undefined` falls back to
 * `getDefaultAcl()`. On a transport without the `aclOnCreate` capability (native), an ACL other than
 * world:anyone:ALL fails with `UnsupportedByTransportError`; zookit never creates and then sets the ACL.
 *
 * @example
 * ```ts
 * const aclProvider: AclProvider = {
 *   getDefaultAcl: () => [...Acls.CreatorAllAcl],
 *   getAclForPath: (path) => (path.startsWith('/public') ? [...Acls.ReadAclUnsafe] : undefined),
 * };
 * ```
 */
export interface AclProvider {
  /** The ACL for nodes `getAclForPath` has no answer for. */
  getDefaultAcl(): readonly Acl[];
  /** The ACL for one full path, or `undefined` for the default. */
  getAclForPath?(path: string): readonly Acl[] | undefined;
}
