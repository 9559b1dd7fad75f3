import { DEFAULT_TRANSPORT, transportFactory, type TransportName } from './transports.js';
import type { ZkClient, ZkClientOptions } from './zk-client.js';

/** Options of {@link createZkClient}: the common client options plus the transport to use. */
export interface CreateZkClientOptions extends ZkClientOptions {
  /** Which implementation to use. Default `'native'` (the npm `zookeeper` binding). */
  readonly transport?: TransportName;
}

/**
 * Creates a {@link ZkClient} for one session. Validates the options (typed `ZkError` naming the field) and
 * performs no I/O: call `connect()` next.
 *
 * @example
 * ```ts
 * const client = createZkClient({ connectString: '127.0.0.1:2181', sessionTimeoutMs: 10_000 });
 * await client.connect();
 * ```
 */
export function createZkClient(options: CreateZkClientOptions): ZkClient {
  const { transport = DEFAULT_TRANSPORT, ...clientOptions } = options;
  return transportFactory(transport)(clientOptions);
}
