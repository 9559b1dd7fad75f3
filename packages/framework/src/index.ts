export { bytesCodec, jsonCodec, utf8Codec } from './codec.js';
export { ConnectionState, isConnectedState } from './connection/connection-state.js';
export { isErrorState } from './connection/error-policy.js';
export { createFramework } from './create-framework.js';
export { checkNamespace, fixForNamespace, unfixForNamespace } from './namespace-paths.js';
export {
  isProtectedZNode,
  normalizeProtectedName,
  PROTECTED_PREFIX,
  PROTECTED_PREFIX_WITH_UUID_LENGTH,
  protectedIdOf,
  protectedName,
} from './protected-names.js';
export { RecipeStateError } from './recipe-state-error.js';
export { SchemaViolationError } from './schema-violation-error.js';
export { TransactionBuilder } from './transaction-builder.js';
export { TransactionOutcomeUnknownError } from './transaction-outcome-unknown-error.js';
export { ZkFramework } from './zk-framework.js';
// Re-exported so framework users rarely need @zookit/client directly.
export { ClientClosedError, CreateMode, ZkError } from '@zookit/client';

export type { AclProvider } from './acl-provider.js';
export type { Codec } from './codec.js';
export type { ConnectionStateEvent, LostReason } from './connection/connection-state.js';
export type { ErrorPolicy } from './connection/error-policy.js';
export type {
  Authorization,
  ClientFactory,
  ClientFactoryOptions,
} from './connection/session-manager.js';
export type { FrameworkState } from './internal/framework-core.js';
export type { FrameworkOptions } from './options.js';
export type { SchemaIssue } from './schema-violation-error.js';
export type {
  DecodedData,
  FrameworkCreateOptions,
  FrameworkDeleteOptions,
  FrameworkReadOptions,
  FrameworkSetDataOptions,
  WaitOptions,
  WithCodec,
} from './operation-options.js';
