/**
 * The zookit error model: one root class, a stable string `code`, and retryability decided by the class.
 *
 * Server result codes map to one class each through {@link errorFromCode}. Client-side checks (bad path, data
 * too large, bad argument, unsupported by transport) have their own classes and never reach the server.
 */

/** Options shared by every {@link ZkError} constructor. */
export interface ZkErrorOptions {
  /** The ZooKeeper path the failed operation named, when there is one. */
  readonly path?: string | undefined;
  /** The underlying error, if this one wraps another. */
  readonly cause?: unknown;
}

/**
 * Root of every error zookit throws.
 *
 * @example
 * ```ts
 * try { await client.getData('/missing'); }
 * catch (e) { if (e instanceof ZkError && e.code === 'NO_NODE') console.log(e.path); }
 * ```
 */
export class ZkError extends Error {
  /** Stable machine-readable code, e.g. `'NO_NODE'`. */
  readonly code: string;
  /** The path the failed operation named, if any. */
  readonly path: string | undefined;
  /** Whether a retry policy may run the same operation again. */
  readonly retryable: boolean;
  /**
   * True when the operation may or may not have been applied by the server (connection loss, operation
   * timeout, handle closing). Never treat such an error as "failed".
   */
  readonly outcomeUnknown: boolean;
  /** The numeric ZooKeeper result code, for server errors. */
  readonly zkCode: number | undefined;

  constructor(
    code: string,
    message: string,
    options: ZkErrorOptions & {
      retryable?: boolean;
      outcomeUnknown?: boolean;
      zkCode?: number;
    } = {},
  ) {
    super(
      options.path === undefined ? message : `${message} (path: ${JSON.stringify(options.path)})`,
      {
        cause: options.cause,
      },
    );
    this.name = new.target.name;
    this.code = code;
    this.path = options.path;
    this.retryable = options.retryable ?? false;
    this.outcomeUnknown = options.outcomeUnknown ?? false;
    this.zkCode = options.zkCode;
  }
}

/** Numeric result codes of the ZooKeeper protocol (`KeeperException.Code`). */
export const ZkResultCode = {
  Ok: 0,
  SystemError: -1,
  RuntimeInconsistency: -2,
  DataInconsistency: -3,
  ConnectionLoss: -4,
  MarshallingError: -5,
  Unimplemented: -6,
  OperationTimeout: -7,
  BadArguments: -8,
  InvalidState: -9,
  UnknownSession: -12,
  NewConfigNoQuorum: -13,
  ReconfigInProgress: -14,
  ApiError: -100,
  NoNode: -101,
  NoAuth: -102,
  BadVersion: -103,
  NoChildrenForEphemerals: -108,
  NodeExists: -110,
  NotEmpty: -111,
  SessionExpired: -112,
  InvalidCallback: -113,
  InvalidAcl: -114,
  AuthFailed: -115,
  Closing: -116,
  Nothing: -117,
  SessionMoved: -118,
  NotReadOnly: -119,
  EphemeralOnLocalSession: -120,
  NoWatcher: -121,
  RequestTimeout: -122,
  ReconfigDisabled: -123,
  SessionClosedRequireSaslAuth: -124,
  QuotaExceeded: -125,
  Throttled: -127,
} as const;

/** One of the numeric {@link ZkResultCode} values. */
export type ZkResultCode = (typeof ZkResultCode)[keyof typeof ZkResultCode];

/**
 * Declares one server-code error class. Each gets a stable `code` and fixed retry semantics so call sites
 * never decide retryability themselves.
 */
function serverError(
  code: string,
  zkCode: number,
  text: string,
  flags: { retryable?: boolean; outcomeUnknown?: boolean } = {},
) {
  return class extends ZkError {
    static readonly code = code;
    static readonly zkCode = zkCode;
    constructor(options: ZkErrorOptions = {}) {
      super(code, text, { ...options, ...flags, zkCode });
    }
  };
}

/** The connection dropped while the request was in flight: the outcome is unknown. Retryable. */
export class ConnectionLossError extends serverError('CONNECTION_LOSS', -4, 'connection loss', {
  retryable: true,
  outcomeUnknown: true,
}) {}
/** No reply within the client's read timeout: the outcome is unknown. Retryable. */
export class OperationTimeoutError extends serverError(
  'OPERATION_TIMEOUT',
  -7,
  'operation timeout',
  {
    retryable: true,
    outcomeUnknown: true,
  },
) {}
/** The session moved to another server while the request was in flight. Retryable. */
export class SessionMovedError extends serverError('SESSION_MOVED', -118, 'session moved', {
  retryable: true,
  outcomeUnknown: true,
}) {}
/** The session is gone; every ephemeral node and watch of it is gone too. Final for that session. */
export class SessionExpiredError extends serverError('SESSION_EXPIRED', -112, 'session expired') {}
/** The handle was closing while the request was in flight; it may have been applied. */
export class ClosingError extends serverError('CLOSING', -116, 'client is closing', {
  outcomeUnknown: true,
}) {}
/** The node does not exist. */
export class NoNodeError extends serverError('NO_NODE', -101, 'node does not exist') {}
/** The node already exists. */
export class NodeExistsError extends serverError('NODE_EXISTS', -110, 'node already exists') {}
/** The version given does not match the node's version. */
export class BadVersionError extends serverError('BAD_VERSION', -103, 'version mismatch') {}
/** The node has children and cannot be deleted. */
export class NotEmptyError extends serverError('NOT_EMPTY', -111, 'node has children') {}
/** Ephemeral nodes cannot have children. */
export class NoChildrenForEphemeralsError extends serverError(
  'NO_CHILDREN_FOR_EPHEMERALS',
  -108,
  'ephemeral nodes may not have children',
) {}
/** The session lacks permission for this operation. */
export class NoAuthError extends serverError('NO_AUTH', -102, 'not authorised') {}
/** Authentication failed; the session is unusable. */
export class AuthFailedError extends serverError('AUTH_FAILED', -115, 'authentication failed') {}
/** The ACL is invalid (e.g. empty, or an auth scheme without credentials). */
export class InvalidAclError extends serverError('INVALID_ACL', -114, 'invalid ACL') {}
/** The server rejected the arguments. */
export class BadArgumentsError extends serverError('BAD_ARGUMENTS', -8, 'bad arguments') {}
/** The server does not implement the operation (e.g. TTL nodes without extended types). */
export class UnimplementedError extends serverError(
  'UNIMPLEMENTED',
  -6,
  'operation not implemented',
) {}
/** The client handle is in a state that cannot serve requests. */
export class InvalidStateError extends serverError('INVALID_STATE', -9, 'invalid client state') {}
/** A write was sent to a read-only server. */
export class NotReadOnlyError extends serverError('NOT_READ_ONLY', -119, 'server is read-only') {}
/** The request was throttled by the server. Retryable. */
export class ThrottledError extends serverError('THROTTLED', -127, 'request throttled', {
  retryable: true,
}) {}
/** A quota was exceeded. */
export class QuotaExceededError extends serverError('QUOTA_EXCEEDED', -125, 'quota exceeded') {}
/** Reconfiguration is disabled on the server. */
export class ReconfigDisabledError extends serverError(
  'RECONFIG_DISABLED',
  -123,
  'reconfiguration disabled',
) {}
/** A watch to remove was not found. */
export class NoWatcherError extends serverError('NO_WATCHER', -121, 'no such watcher') {}
/** The server hit an unexpected internal error (`SYSTEMERROR`). */
export class SystemError extends serverError('SYSTEM_ERROR', -1, 'server system error') {}
/** The server found its state inconsistent (`RUNTIMEINCONSISTENCY`). */
export class RuntimeInconsistencyError extends serverError(
  'RUNTIME_INCONSISTENCY',
  -2,
  'runtime inconsistency',
) {}
/** The server found its data inconsistent (`DATAINCONSISTENCY`). */
export class DataInconsistencyError extends serverError(
  'DATA_INCONSISTENCY',
  -3,
  'data inconsistency',
) {}
/** The server could not decode the request, e.g. a field it does not know (`MARSHALLINGERROR`). */
export class MarshallingError extends serverError('MARSHALLING_ERROR', -5, 'marshalling error') {}
/** The session id is unknown to the server (`UNKNOWNSESSION`). */
export class UnknownSessionError extends serverError('UNKNOWN_SESSION', -12, 'unknown session') {}
/** A reconfig's new configuration has no quorum of connected servers (`NEWCONFIGNOQUORUM`). */
export class NewConfigNoQuorumError extends serverError(
  'NEW_CONFIG_NO_QUORUM',
  -13,
  'new configuration has no quorum',
) {}
/** Another reconfig is in progress; try again later (`RECONFIGINPROGRESS`). Retryable. */
export class ReconfigInProgressError extends serverError(
  'RECONFIG_IN_PROGRESS',
  -14,
  'reconfiguration in progress',
  { retryable: true },
) {}
/** Generic API error (`APIERROR`); the server uses more specific codes in practice. */
export class ApiError extends serverError('API_ERROR', -100, 'API error') {}
/** The callback was invalid (`INVALIDCALLBACK`, C client). */
export class InvalidCallbackError extends serverError(
  'INVALID_CALLBACK',
  -113,
  'invalid callback',
) {}
/** No reply to process (`ZNOTHING`, C client). */
export class NothingError extends serverError('NOTHING', -117, 'nothing to process') {}
/** Ephemeral nodes cannot be created on a local session (`EPHEMERALONLOCALSESSION`). */
export class EphemeralOnLocalSessionError extends serverError(
  'EPHEMERAL_ON_LOCAL_SESSION',
  -120,
  'ephemeral node on a local session',
) {}
/** The client's request timeout elapsed (`REQUESTTIMEOUT`): the outcome is unknown. Retryable. */
export class RequestTimeoutError extends serverError('REQUEST_TIMEOUT', -122, 'request timeout', {
  retryable: true,
  outcomeUnknown: true,
}) {}
/** The server closed the session because it requires SASL authentication. */
export class SessionClosedRequireSaslAuthError extends serverError(
  'SESSION_CLOSED_REQUIRE_SASL_AUTH',
  -124,
  'session closed: SASL authentication required',
) {}

const serverErrorClasses = [
  ConnectionLossError,
  OperationTimeoutError,
  SessionMovedError,
  SessionExpiredError,
  ClosingError,
  NoNodeError,
  NodeExistsError,
  BadVersionError,
  NotEmptyError,
  NoChildrenForEphemeralsError,
  NoAuthError,
  AuthFailedError,
  InvalidAclError,
  BadArgumentsError,
  UnimplementedError,
  InvalidStateError,
  NotReadOnlyError,
  ThrottledError,
  QuotaExceededError,
  ReconfigDisabledError,
  NoWatcherError,
  SystemError,
  RuntimeInconsistencyError,
  DataInconsistencyError,
  MarshallingError,
  UnknownSessionError,
  NewConfigNoQuorumError,
  ReconfigInProgressError,
  ApiError,
  InvalidCallbackError,
  NothingError,
  EphemeralOnLocalSessionError,
  RequestTimeoutError,
  SessionClosedRequireSaslAuthError,
];

const byZkCode = new Map<number, (typeof serverErrorClasses)[number]>(
  serverErrorClasses.map((c) => [c.zkCode, c]),
);

/**
 * Maps a numeric ZooKeeper result code to its typed error.
 *
 * @example
 * ```ts
 * const err = errorFromCode(-101, { path: '/a' }); // NoNodeError, code 'NO_NODE'
 * ```
 */
export function errorFromCode(zkCode: number, options: ZkErrorOptions = {}): ZkError {
  const cls = byZkCode.get(zkCode);
  if (cls !== undefined) return new cls(options);
  return new ZkError('SERVER_ERROR', `ZooKeeper error ${zkCode}`, { ...options, zkCode });
}

/** A path failed ZooKeeper's path rules; nothing was sent. */
export class InvalidPathError extends ZkError {
  /** Why the path is invalid. */
  readonly reason: string;
  constructor(path: string, reason: string) {
    super('INVALID_PATH', `invalid path: ${reason}`, { path });
    this.reason = reason;
  }
}

/** Data at or above the size limit; nothing was sent. */
export class DataTooLargeError extends ZkError {
  /** The size that was offered, in bytes. */
  readonly size: number;
  /** The largest size accepted, in bytes. */
  readonly limit: number;
  constructor(path: string, size: number, limit: number) {
    super('DATA_TOO_LARGE', `data of ${size} bytes exceeds the limit of ${limit} bytes`, { path });
    this.size = size;
    this.limit = limit;
  }
}

/** An argument (other than path or data) is invalid; nothing was sent. */
export class InvalidArgumentError extends ZkError {
  /** The name of the offending argument or option field. */
  readonly field: string;
  constructor(field: string, message: string, options: ZkErrorOptions = {}) {
    super('INVALID_ARGUMENT', `${field}: ${message}`, options);
    this.field = field;
  }
}

/** The transport in use cannot perform this operation faithfully, so it refuses rather than emulate it. */
export class UnsupportedByTransportError extends ZkError {
  /** The capability that is missing. */
  readonly capability: string;
  /** The transport that lacks it. */
  readonly transport: string;
  constructor(transport: string, capability: string, options: ZkErrorOptions = {}) {
    super(
      'UNSUPPORTED_BY_TRANSPORT',
      `the ${transport} transport does not support ${capability}`,
      options,
    );
    this.capability = capability;
    this.transport = transport;
  }
}

/** The client (or framework) was closed before or during the call. */
export class ClientClosedError extends ZkError {
  constructor(options: ZkErrorOptions = {}) {
    super('CLIENT_CLOSED', 'client is closed', options);
  }
}

/** The first connection was not established in time. */
export class ConnectTimeoutError extends ZkError {
  /** The timeout that elapsed, in milliseconds. */
  readonly timeoutMs: number;
  constructor(timeoutMs: number, connectString: string) {
    super('CONNECT_TIMEOUT', `no connection to ${connectString} within ${timeoutMs} ms`, {
      retryable: true,
    });
    this.timeoutMs = timeoutMs;
  }
}

/** A `multi` transaction was rejected as a whole; `results` tells which operation failed and why. */
export class TransactionFailedError extends ZkError {
  /** Index of the first failed operation. */
  readonly failedIndex: number;
  /** The error of each operation (`undefined` for those that would have succeeded). */
  readonly errors: readonly (ZkError | undefined)[];
  constructor(failedIndex: number, errors: readonly (ZkError | undefined)[]) {
    const first = errors[failedIndex];
    super(
      'TRANSACTION_FAILED',
      `transaction failed at operation ${failedIndex}: ${first?.message}`,
      {
        path: first?.path,
        cause: first,
      },
    );
    this.failedIndex = failedIndex;
    this.errors = errors;
  }
}
