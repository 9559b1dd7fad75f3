/**
 * The transports `createZkClient` can build. Each entry is a factory from options to a {@link ZkClient};
 * adding a transport is one entry here (or one {@link registerTransport} call), nothing else changes.
 */
import { InvalidArgumentError } from './errors.js';
import { NativeZkClient } from './native/native-zk-client.js';
import { WireZkClient } from './wire/wire-zk-client.js';
import type { ZkClient, ZkClientOptions } from './zk-client.js';

/**
 * Names of the transports of `@zookit/client`.
 *
 * @example
 * ```ts
 * const transport: TransportName = process.env.ZK_TRANSPORT === 'native' ? 'native' : 'wire';
 * const client = createZkClient({ connectString, transport });
 * ```
 */
export type TransportName = ZkClient['transport'];

/**
 * Builds a client of one transport. It validates the options and performs no I/O.
 *
 * @example
 * ```ts
 * const wire: TransportFactory = transportFactory('wire');
 * const client = wire({ connectString: '127.0.0.1:2181' }); // not connected yet
 * ```
 */
export type TransportFactory = (options: ZkClientOptions) => ZkClient;

/**
 * The transport `createZkClient` uses when none is named.
 *
 * @example
 * ```ts
 * createZkClient({ connectString: 'h:1' }).transport === DEFAULT_TRANSPORT; // true
 * ```
 */
export const DEFAULT_TRANSPORT: TransportName = 'wire';

const factories = new Map<TransportName, TransportFactory>([
  ['native', (options) => new NativeZkClient(options)],
  ['wire', (options) => new WireZkClient(options)],
]);

/**
 * Registers (or replaces) the factory of a transport. The wire transport registers itself here.
 *
 * @example
 * ```ts
 * registerTransport('wire', (options) => new WireZkClient(options));
 * ```
 */
export function registerTransport(name: TransportName, factory: TransportFactory): void {
  factories.set(name, factory);
}

/**
 * The factory of a transport; throws `InvalidArgumentError` (field `transport`) if it is not available.
 *
 * @example
 * ```ts
 * const client = transportFactory('native')({ connectString: '127.0.0.1:2181' });
 * ```
 */
export function transportFactory(name: TransportName): TransportFactory {
  const factory = factories.get(name);
  if (factory === undefined) {
    const known = [...factories.keys()].join(', ');
    throw new InvalidArgumentError(
      'transport',
      `the "${String(name)}" transport is not available in this build (available: ${known})`,
    );
  }
  return factory;
}

/**
 * The names of the transports available in this build.
 *
 * @example
 * ```ts
 * availableTransports(); // ['native']
 * ```
 */
export function availableTransports(): TransportName[] {
  return [...factories.keys()];
}
