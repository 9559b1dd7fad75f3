// Server result codes seen rarely or only in special set-ups (reconfig, local sessions, SASL, the C client).
import { serverError } from './zk-error.js';

/**
 * The server hit an unexpected internal error (`SYSTEMERROR`).
 *
 * @example
 * ```ts
 * try { await client.sync('/app'); }
 * catch (e) { if (e instanceof SystemError) reportServerFault(e); } // server-side, not our bug
 * ```
 */
export class SystemError extends serverError('SYSTEM_ERROR', -1, 'server system error') {}
/**
 * The server found its state inconsistent (`RUNTIMEINCONSISTENCY`).
 *
 * @example
 * ```ts
 * try { await client.getData('/cfg'); }
 * catch (e) { if (e instanceof RuntimeInconsistencyError) reportServerFault(e); }
 * ```
 */
export class RuntimeInconsistencyError extends serverError(
  'RUNTIME_INCONSISTENCY',
  -2,
  'runtime inconsistency',
) {}
/**
 * The server found its data inconsistent (`DATAINCONSISTENCY`).
 *
 * @example
 * ```ts
 * try { await client.getChildren('/jobs'); }
 * catch (e) { if (e instanceof DataInconsistencyError) reportServerFault(e); }
 * ```
 */
export class DataInconsistencyError extends serverError(
  'DATA_INCONSISTENCY',
  -3,
  'data inconsistency',
) {}
/**
 * The server could not decode the request, e.g. a field it does not know (`MARSHALLINGERROR`).
 *
 * @example
 * ```ts
 * try { await client.multi(ops); }
 * catch (e) { if (e instanceof MarshallingError) console.error('server cannot decode it'); }
 * ```
 */
export class MarshallingError extends serverError('MARSHALLING_ERROR', -5, 'marshalling error') {}
/**
 * The session id is unknown to the server (`UNKNOWNSESSION`).
 *
 * @example
 * ```ts
 * try { await client.getData('/cfg'); }
 * catch (e) { if (e instanceof UnknownSessionError) client = createZkClient({ connectString }); }
 * ```
 */
export class UnknownSessionError extends serverError('UNKNOWN_SESSION', -12, 'unknown session') {}
/**
 * A reconfig's new configuration has no quorum of connected servers (`NEWCONFIGNOQUORUM`).
 *
 * @example
 * ```ts
 * try { await wireClient.reconfig({ joiningServers: 'server.4=zk4:2888:3888;2181' }); }
 * catch (e) { if (e instanceof NewConfigNoQuorumError) console.error('start zk4 first'); }
 * ```
 */
export class NewConfigNoQuorumError extends serverError(
  'NEW_CONFIG_NO_QUORUM',
  -13,
  'new configuration has no quorum',
) {}
/**
 * Another reconfig is in progress; try again later (`RECONFIGINPROGRESS`). Retryable.
 *
 * @example
 * ```ts
 * try { await wireClient.reconfig({ leavingServers: '3' }); }
 * catch (e) { if (e instanceof ReconfigInProgressError) await setTimeout(1_000); } // then retry
 * ```
 */
export class ReconfigInProgressError extends serverError(
  'RECONFIG_IN_PROGRESS',
  -14,
  'reconfiguration in progress',
  { retryable: true },
) {}
/**
 * Generic API error (`APIERROR`); the server uses more specific codes in practice.
 *
 * @example
 * ```ts
 * try { await client.getData('/cfg'); }
 * catch (e) { if (e instanceof ApiError) console.error(`API error ${e.zkCode}`); } // -100
 * ```
 */
export class ApiError extends serverError('API_ERROR', -100, 'API error') {}
/**
 * The callback was invalid (`INVALIDCALLBACK`, C client).
 *
 * @example
 * ```ts
 * try { await nativeClient.getData('/cfg'); } // only the C client reports this code
 * catch (e) { if (e instanceof InvalidCallbackError) reportBindingBug(e); }
 * ```
 */
export class InvalidCallbackError extends serverError(
  'INVALID_CALLBACK',
  -113,
  'invalid callback',
) {}
/**
 * No reply to process (`ZNOTHING`, C client).
 *
 * @example
 * ```ts
 * try { await nativeClient.getChildren('/jobs'); } // only the C client reports this code
 * catch (e) { if (e instanceof NothingError) reportBindingBug(e); }
 * ```
 */
export class NothingError extends serverError('NOTHING', -117, 'nothing to process') {}
/**
 * Ephemeral nodes cannot be created on a local session (`EPHEMERALONLOCALSESSION`).
 *
 * @example
 * ```ts
 * try { await client.create('/workers/w1', null, { mode: CreateMode.Ephemeral }); }
 * catch (e) { if (e instanceof EphemeralOnLocalSessionError) console.error('local session'); }
 * ```
 */
export class EphemeralOnLocalSessionError extends serverError(
  'EPHEMERAL_ON_LOCAL_SESSION',
  -120,
  'ephemeral node on a local session',
) {}
/**
 * The client's request timeout elapsed (`REQUESTTIMEOUT`): the outcome is unknown. Retryable.
 *
 * @example
 * ```ts
 * // Retryable, but the write may have been applied: re-read before writing again.
 * try { await client.setData('/cfg', 'v2'); }
 * catch (e) { if (e instanceof RequestTimeoutError) await client.getData('/cfg'); }
 * ```
 */
export class RequestTimeoutError extends serverError('REQUEST_TIMEOUT', -122, 'request timeout', {
  retryable: true,
  outcomeUnknown: true,
}) {}
/**
 * The server closed the session because it requires SASL authentication.
 *
 * @example
 * ```ts
 * try { await client.getData('/cfg'); }
 * catch (e) { if (e instanceof SessionClosedRequireSaslAuthError) await client.close(); }
 * ```
 */
export class SessionClosedRequireSaslAuthError extends serverError(
  'SESSION_CLOSED_REQUIRE_SASL_AUTH',
  -124,
  'session closed: SASL authentication required',
) {}
