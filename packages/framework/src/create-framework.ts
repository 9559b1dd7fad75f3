import { FrameworkCore } from './internal/framework-core.js';
import { parseFrameworkOptions } from './options.js';
import type { FrameworkOptions } from './options.js';
import { ZkFramework } from './zk-framework.js';

/**
 * Makes a {@link ZkFramework}. Options are validated here (a bad field throws `InvalidArgumentError`
 * naming it); nothing connects until `start()`.
 *
 * @example
 * ```ts
 * const zk = createFramework({
 *   connectString: '127.0.0.1:2181', sessionTimeoutMs: 10_000, connectionTimeoutMs: 5_000,
 *   retryPolicy: new ExponentialBackoffRetry({ baseSleepMs: 100, maxRetries: 3 }),
 *   namespace: 'app', errorPolicy: 'standard',
 * });
 * await zk.start();
 * ```
 */
export function createFramework(options: FrameworkOptions): ZkFramework {
  const { namespace, ...settings } = parseFrameworkOptions(options);
  return new ZkFramework(new FrameworkCore(settings), namespace, true);
}
