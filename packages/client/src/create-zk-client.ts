import { DEFAULT_TRANSPORT, transportFactory } from './transports.js';
import type { WireZkClientOptions } from './wire/wire-options.js';
import type { ZkClient, ZkClientOptions } from './zk-client.js';

/**
 * Options of {@link createZkClient}: the common client options plus the transport to use. The wire
 * transport's own options (TLS, read-only mode, …) are typed only with `transport: 'wire'`.
 *
 * @example
 * ```ts
 * // Naming the wire transport is what makes `tls` type-check.
 * const options: CreateZkClientOptions = { transport: 'wire', connectString: 'zk:2281', tls: true };
 * const client = createZkClient(options);
 * ```
 */
export type CreateZkClientOptions =
  | (ZkClientOptions & { readonly transport?: 'native' | 'wire' })
  | (WireZkClientOptions & { readonly transport: 'wire' });

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
