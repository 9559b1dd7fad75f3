export { Acls, Perms } from './acl.js';
export { parseConnectString } from './connect-string.js';
export { CreateMode, createModeFlag, isEphemeral, isSequential, isTtl } from './create-mode.js';
export { createZkClient } from './create-zk-client.js';
export {
  ApiError,
  AuthFailedError,
  BadArgumentsError,
  BadVersionError,
  ClientClosedError,
  ClosingError,
  ConnectionLossError,
  ConnectTimeoutError,
  DataInconsistencyError,
  DataTooLargeError,
  EphemeralOnLocalSessionError,
  errorFromCode,
  InvalidAclError,
  InvalidArgumentError,
  InvalidCallbackError,
  InvalidPathError,
  InvalidStateError,
  MarshallingError,
  NewConfigNoQuorumError,
  NoAuthError,
  NoChildrenForEphemeralsError,
  NodeExistsError,
  NoNodeError,
  NotEmptyError,
  NothingError,
  NotReadOnlyError,
  NoWatcherError,
  OperationTimeoutError,
  QuotaExceededError,
  ReconfigDisabledError,
  ReconfigInProgressError,
  RequestTimeoutError,
  RuntimeInconsistencyError,
  SessionClosedRequireSaslAuthError,
  SessionExpiredError,
  SessionMovedError,
  SystemError,
  ThrottledError,
  TransactionFailedError,
  UnimplementedError,
  UnknownSessionError,
  UnsupportedByTransportError,
  ZkError,
  ZkResultCode,
} from './errors.js';
export { NativeZkClient } from './native/native-zk-client.js';
export { NATIVE_CAPABILITIES } from './native/native-options.js';
export { joinPath, nodeName, parentPath, validatePath } from './paths.js';
export {
  availableTransports,
  DEFAULT_TRANSPORT,
  registerTransport,
  transportFactory,
} from './transports.js';
export {
  checkAcl,
  checkCreate,
  checkListener,
  checkOptions,
  isOpenAcl,
  MAX_DATA_BYTES,
  MAX_TTL_MS,
  toData,
  toVersion,
} from './validate.js';
export { WatchEventType, watchEventTypeFromInt } from './watch-event.js';
export { JuteDecodeError } from './wire/jute-decode-error.js';
export { WIRE_CAPABILITIES, WireZkClient } from './wire/wire-zk-client.js';

export type { Acl, AclId } from './acl.js';
export type { HostAddress, ParsedConnectString } from './connect-string.js';
export type { CreateZkClientOptions } from './create-zk-client.js';
export type { ZkErrorOptions } from './errors.js';
export type { Stat } from './stat.js';
export type { TransportFactory, TransportName } from './transports.js';
export type { CheckedCreate } from './validate.js';
export type { WatchEvent, WatchListener } from './watch-event.js';
export type {
  AclResult,
  ChildrenResult,
  ClientState,
  ConnectOptions,
  CreateOptions,
  CreateResult,
  DataResult,
  NodeData,
  Op,
  OpResult,
  PersistentWatchMode,
  SessionEvent,
  SessionListener,
  TransportCapabilities,
  Unsubscribe,
  VersionOptions,
  WatcherType,
  WatchOptions,
  ZkClient,
  ZkClientOptions,
} from './zk-client.js';
export type { ReadOp, ReadOpResult } from './wire/multi-ops.js';
export type { ClientInfo } from './wire/records/data-records.js';
export type { TlsMaterial, WireTlsOptions } from './wire/tls-options.js';
export type { WireZkClientOptions } from './wire/wire-options.js';
export type { ReconfigOptions } from './wire/reconfig-request.js';
