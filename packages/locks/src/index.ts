export { InterProcessMultiLock } from './interprocess-multi-lock.js';
export { InterProcessMutex, LOCK_NAME } from './interprocess-mutex.js';
export { InterProcessReadWriteLock } from './interprocess-read-write-lock.js';
export { InterProcessSemaphoreMutex } from './interprocess-semaphore-mutex.js';
export { InterProcessSemaphoreV2, LEASE_NAME } from './interprocess-semaphore-v2.js';
export { READ_LOCK_NAME, WRITE_LOCK_NAME } from './internal/lock-driver.js';
export { decodeSharedCount, encodeSharedCount } from './internal/shared-count.js';
export { LockLostError } from './lock-lost-error.js';
export { LockNotHeldError } from './lock-not-held-error.js';
export { LockTimeoutError } from './lock-timeout-error.js';
export { attemptRevoke, REVOKE_MESSAGE } from './revoker.js';

export type { MultiLockHandle } from './interprocess-multi-lock.js';
export type { InterProcessMutexOptions } from './interprocess-mutex.js';
export type { InterProcessReadWriteLockOptions } from './interprocess-read-write-lock.js';
export type { InterProcessSemaphoreMutexOptions } from './interprocess-semaphore-mutex.js';
export type { InterProcessSemaphoreV2Options } from './interprocess-semaphore-v2.js';
export type {
  InterProcessLock,
  LockAcquireOptions,
  LockHandle,
  RevocationRequest,
} from './lock-handle.js';
export type { LockLostReason } from './lock-lost-error.js';
