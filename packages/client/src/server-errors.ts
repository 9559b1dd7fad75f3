// The server result codes zookit's callers meet in practice; the rest are in rare-server-errors.ts.
import { serverError } from './zk-error.js';

/**
 * The connection dropped while the request was in flight: the outcome is unknown. Retryable.
 *
 * @example
 * ```ts
 * // The write may have been applied: re-read before writing again.
 * try { await client.setData('/cfg', 'v2'); }
 * catch (e) { if (e instanceof ConnectionLossError) await client.getData('/cfg'); }
 * ```
 */
export class ConnectionLossError extends serverError('CONNECTION_LOSS', -4, 'connection loss', {
  retryable: true,
  outcomeUnknown: true,
}) {}
/**
 * No reply within the client's read timeout: the outcome is unknown. Retryable.
 *
 * @example
 * ```ts
 * // The create may have made a node: list before creating another one.
 * try { await client.create('/jobs/job-', 'x', { mode: CreateMode.PersistentSequential }); }
 * catch (e) { if (e instanceof OperationTimeoutError) await client.getChildren('/jobs'); }
 * ```
 */
export class OperationTimeoutError extends serverError(
  'OPERATION_TIMEOUT',
  -7,
  'operation timeout',
  {
    retryable: true,
    outcomeUnknown: true,
  },
) {}
/**
 * The session moved to another server while the request was in flight. Retryable.
 *
 * @example
 * ```ts
 * // Writing the same value twice is harmless, so the unknown outcome does not matter.
 * try { await client.setData('/cfg', 'v2'); }
 * catch (e) { if (e instanceof SessionMovedError) await client.setData('/cfg', 'v2'); }
 * ```
 */
export class SessionMovedError extends serverError('SESSION_MOVED', -118, 'session moved', {
  retryable: true,
  outcomeUnknown: true,
}) {}
/**
 * The session is gone; every ephemeral node and watch of it is gone too. Final for that session.
 *
 * @example
 * ```ts
 * try { await client.getData('/cfg'); }
 * catch (e) { if (e instanceof SessionExpiredError) client = createZkClient({ connectString }); }
 * ```
 */
export class SessionExpiredError extends serverError('SESSION_EXPIRED', -112, 'session expired') {}
/**
 * The handle was closing while the request was in flight; it may have been applied.
 *
 * @example
 * ```ts
 * try { await client.delete('/markers/m1'); }
 * catch (e) { if (e instanceof ClosingError) recheckLater.push('/markers/m1'); } // may be deleted
 * ```
 */
export class ClosingError extends serverError('CLOSING', -116, 'client is closing', {
  outcomeUnknown: true,
}) {}
/**
 * The node does not exist.
 *
 * @example
 * ```ts
 * const cfg = await client.getData('/cfg').catch((e: unknown) => {
 *   if (e instanceof NoNodeError) return undefined; // not configured yet
 *   throw e;
 * });
 * ```
 */
export class NoNodeError extends serverError('NO_NODE', -101, 'node does not exist') {}
/**
 * The node already exists.
 *
 * @example
 * ```ts
 * try { await client.create('/app', null); }
 * catch (e) { if (!(e instanceof NodeExistsError)) throw e; } // someone else created it: fine
 * ```
 */
export class NodeExistsError extends serverError('NODE_EXISTS', -110, 'node already exists') {}
/**
 * The version given does not match the node's version.
 *
 * @example
 * ```ts
 * const { data, stat } = await client.getData('/n');
 * try { await client.setData('/n', `${Number(data.toString()) + 1}`, { version: stat.version }); }
 * catch (e) { if (e instanceof BadVersionError) console.log('lost the race: re-read, retry'); }
 * ```
 */
export class BadVersionError extends serverError('BAD_VERSION', -103, 'version mismatch') {}
/**
 * The node has children and cannot be deleted.
 *
 * @example
 * ```ts
 * try { await client.delete('/jobs'); }
 * catch (e) { if (e instanceof NotEmptyError) console.log(await client.getChildren('/jobs')); }
 * ```
 */
export class NotEmptyError extends serverError('NOT_EMPTY', -111, 'node has children') {}
/**
 * Ephemeral nodes cannot have children.
 *
 * @example
 * ```ts
 * await client.create('/workers/w1', null, { mode: CreateMode.Ephemeral });
 * try { await client.create('/workers/w1/task', null); }
 * catch (e) { if (e instanceof NoChildrenForEphemeralsError) console.error('w1 is ephemeral'); }
 * ```
 */
export class NoChildrenForEphemeralsError extends serverError(
  'NO_CHILDREN_FOR_EPHEMERALS',
  -108,
  'ephemeral nodes may not have children',
) {}
/**
 * The session lacks permission for this operation.
 *
 * @example
 * ```ts
 * try { await client.getData('/secure/cfg'); }
 * catch (e) { if (e instanceof NoAuthError) await client.addAuth('digest', 'app:secret'); }
 * ```
 */
export class NoAuthError extends serverError('NO_AUTH', -102, 'not authorised') {}
/**
 * Authentication failed; the session is unusable.
 *
 * @example
 * ```ts
 * try { await client.addAuth(scheme, credentials); }
 * catch (e) { if (e instanceof AuthFailedError) await client.close(); } // the session is unusable
 * ```
 */
export class AuthFailedError extends serverError('AUTH_FAILED', -115, 'authentication failed') {}
/**
 * The ACL is invalid (e.g. empty, or an auth scheme without credentials).
 *
 * @example
 * ```ts
 * const acl = [{ perms: Perms.All, id: { scheme: 'auth', id: '' } }]; // needs an authed session
 * try { await client.create('/secure', null, { acl }); }
 * catch (e) { if (e instanceof InvalidAclError) await client.addAuth('digest', 'app:secret'); }
 * ```
 */
export class InvalidAclError extends serverError('INVALID_ACL', -114, 'invalid ACL') {}
/**
 * The server rejected the arguments.
 *
 * @example
 * ```ts
 * try { await wireClient.reconfig({ joiningServers: 'server.4=zk4:2888:3888;2181' }); }
 * catch (e) { if (e instanceof BadArgumentsError) console.error(`rejected: ${e.message}`); }
 * ```
 */
export class BadArgumentsError extends serverError('BAD_ARGUMENTS', -8, 'bad arguments') {}
/**
 * The server does not implement the operation (e.g. TTL nodes without extended types).
 *
 * @example
 * ```ts
 * try { await client.create('/l', null, { mode: CreateMode.PersistentWithTtl, ttlMs: 60_000 }); }
 * catch (e) { if (e instanceof UnimplementedError) await client.create('/l'); } // no TTL support
 * ```
 */
export class UnimplementedError extends serverError(
  'UNIMPLEMENTED',
  -6,
  'operation not implemented',
) {}
/**
 * The client handle is in a state that cannot serve requests.
 *
 * @example
 * ```ts
 * const client = createZkClient({ connectString }); // no session before connect()
 * try { await client.getData('/cfg'); }
 * catch (e) { if (e instanceof InvalidStateError) await client.connect(); }
 * ```
 */
export class InvalidStateError extends serverError('INVALID_STATE', -9, 'invalid client state') {}
/**
 * A write was sent to a read-only server.
 *
 * @example
 * ```ts
 * try { await client.setData('/cfg', 'v2'); } // client built with canBeReadOnly: true
 * catch (e) { if (e instanceof NotReadOnlyError) pendingWrites.push(['/cfg', 'v2']); }
 * ```
 */
export class NotReadOnlyError extends serverError('NOT_READ_ONLY', -119, 'server is read-only') {}
/**
 * The request was throttled by the server. Retryable.
 *
 * @example
 * ```ts
 * try { await client.setData('/metrics/last', sample); }
 * catch (e) { if (e instanceof ThrottledError) await setTimeout(100); } // back off, then retry
 * ```
 */
export class ThrottledError extends serverError('THROTTLED', -127, 'request throttled', {
  retryable: true,
}) {}
/**
 * A quota was exceeded.
 *
 * @example
 * ```ts
 * try { await client.create('/tenants/a/blob', bytes); }
 * catch (e) { if (e instanceof QuotaExceededError) console.error(`over quota: ${e.path}`); }
 * ```
 */
export class QuotaExceededError extends serverError('QUOTA_EXCEEDED', -125, 'quota exceeded') {}
/**
 * Reconfiguration is disabled on the server.
 *
 * @example
 * ```ts
 * try { await wireClient.reconfig({ leavingServers: '3' }); }
 * catch (e) { if (e instanceof ReconfigDisabledError) console.error('reconfigEnabled=false'); }
 * ```
 */
export class ReconfigDisabledError extends serverError(
  'RECONFIG_DISABLED',
  -123,
  'reconfiguration disabled',
) {}
/**
 * A watch to remove was not found.
 *
 * @example
 * ```ts
 * try { await client.removeWatches('/cfg', 'data'); }
 * catch (e) { if (!(e instanceof NoWatcherError)) throw e; } // already fired: nothing to remove
 * ```
 */
export class NoWatcherError extends serverError('NO_WATCHER', -121, 'no such watcher') {}
