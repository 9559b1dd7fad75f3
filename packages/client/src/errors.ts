/**
 * The zookit error model: one root class, a stable string `code`, and retryability decided by the class.
 *
 * Server result codes map to one class each through {@link errorFromCode}. Client-side checks (bad path, data
 * too large, bad argument, unsupported by transport) have their own classes and never reach the server.
 */
import {
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
} from './server-errors.js';
import {
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
} from './rare-server-errors.js';
import { ZkError, type ZkErrorOptions } from './zk-error.js';

export { ZkError, ZkResultCode } from './zk-error.js';
export type { ZkErrorOptions } from './zk-error.js';
export {
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
};
export {
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
};
export {
  InvalidPathError,
  DataTooLargeError,
  InvalidArgumentError,
  UnsupportedByTransportError,
  ClientClosedError,
  ConnectTimeoutError,
  TransactionFailedError,
} from './client-errors.js';

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
