import { InvalidArgumentError } from '@zookit/client';

/**
 * Key and trust stores for a TLS client port (`secureClientPort`, served by Netty).
 *
 * @example
 * ```ts
 * const tls: ZkTlsOptions = { keyStorePath: 'k.p12', keyStorePassword: 'pw', trustStorePath: 't.p12', trustStorePassword: 'pw' };
 * ```
 */
export interface ZkTlsOptions {
  /** Server key store (`.jks`, `.p12` or `.pem`; the type follows the file extension). */
  readonly keyStorePath: string;
  readonly keyStorePassword: string;
  /** Trust store the server checks client certificates against. */
  readonly trustStorePath: string;
  readonly trustStorePassword: string;
  /** Whether clients must present a certificate. Default `'none'`. */
  readonly clientAuth?: 'none' | 'want' | 'need';
}

/**
 * How to start a {@link ZkEnsemble}. Every field is optional.
 *
 * @example
 * ```ts
 * const options: ZkEnsembleOptions = { servers: 3, tickTimeMs: 500 };
 * ```
 */
export interface ZkEnsembleOptions {
  /** Voting servers. 1 runs a standalone server. Default 1. */
  readonly servers?: 1 | 3 | 5;
  /** Extra non-voting observers, listed after the voters (needs `servers >= 3`). Default 0. */
  readonly observers?: number;
  /**
   * ZooKeeper's `tickTime`. Default 500 ms (ZooKeeper's own default is 2000): faster elections and
   * failure detection in tests. Sessions may last 2 ticks to `maxSessionTimeoutMs`.
   */
  readonly tickTimeMs?: number;
  /** `-Dzookeeper.extendedTypesEnabled=true` (TTL nodes). Default true. */
  readonly extendedTypes?: boolean;
  /** `-Dznode.container.checkIntervalMs`: how often empty containers and expired TTL nodes are reaped. Default 1000. */
  readonly containerCheckIntervalMs?: number;
  /** `'process'` (local JVMs) or `'containers'` (testcontainers). Default: `ZK_HARNESS`, else containers only when a Docker engine answers. */
  readonly backend?: 'process' | 'containers';
  /** Adds a TLS client port to every server. */
  readonly tls?: ZkTlsOptions;
  /** JVM heap per server (`-Xmx`). Default 128. */
  readonly jvmHeapMb?: number;
  /** Extra JVM arguments, appended last so they override the defaults (process backend only). */
  readonly jvmArgs?: readonly string[];
  /** Longest session a client may negotiate. Default 60 000 ms (ZooKeeper's default would be 20 ticks). */
  readonly maxSessionTimeoutMs?: number;
  /** Shortest session a client may negotiate. Default 2 ticks. */
  readonly minSessionTimeoutMs?: number;
  /** How long to wait for the servers to serve, before the time multiplier. Default 60 000 ms. */
  readonly startTimeoutMs?: number;
  /** Docker image of the containers backend. Default `zookeeper:${ZK_VERSION ?? '3.8'}`. */
  readonly image?: string;
  /** Extra `zoo.cfg` lines (`key=value`), appended after the harness's own so they override them. */
  readonly extraConfig?: readonly string[];
}

/**
 * Options with defaults applied.
 *
 * @example
 * ```ts
 * const resolved: ResolvedEnsembleOptions = resolveEnsembleOptions({ servers: 3 });
 * ```
 */
export interface ResolvedEnsembleOptions {
  readonly servers: 1 | 3 | 5;
  readonly observers: number;
  readonly tickTimeMs: number;
  readonly extendedTypes: boolean;
  readonly containerCheckIntervalMs: number;
  readonly tls: ZkTlsOptions | undefined;
  readonly jvmHeapMb: number;
  readonly jvmArgs: readonly string[];
  readonly maxSessionTimeoutMs: number;
  readonly minSessionTimeoutMs: number;
  readonly startTimeoutMs: number;
  readonly image: string;
  readonly extraConfig: readonly string[];
}

function positiveInt(field: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidArgumentError(field, `must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

/**
 * Applies defaults and checks every field; bad input throws `InvalidArgumentError` naming the field.
 *
 * @example
 * ```ts
 * resolveEnsembleOptions({ servers: 3 }).tickTimeMs; // 500
 * ```
 */
export function resolveEnsembleOptions(options: ZkEnsembleOptions = {}): ResolvedEnsembleOptions {
  const servers = options.servers ?? 1;
  if (servers !== 1 && servers !== 3 && servers !== 5) {
    throw new InvalidArgumentError('servers', `must be 1, 3 or 5, got ${String(servers)}`);
  }
  const observers = positiveInt('observers', options.observers, 0, 0);
  if (observers > 0 && servers === 1) {
    // ZooKeeper refuses "observers w/o quorum": a single voter cannot lead observers.
    throw new InvalidArgumentError('observers', 'need servers >= 3');
  }
  const tickTimeMs = positiveInt('tickTimeMs', options.tickTimeMs, 500, 10);
  const minSessionTimeoutMs = positiveInt(
    'minSessionTimeoutMs',
    options.minSessionTimeoutMs,
    2 * tickTimeMs,
  );
  const maxSessionTimeoutMs = positiveInt(
    'maxSessionTimeoutMs',
    options.maxSessionTimeoutMs,
    60_000,
  );
  if (maxSessionTimeoutMs < minSessionTimeoutMs) {
    throw new InvalidArgumentError(
      'maxSessionTimeoutMs',
      `must be >= minSessionTimeoutMs (${minSessionTimeoutMs})`,
    );
  }
  const tls = options.tls;
  if (tls !== undefined) {
    for (const field of [
      'keyStorePath',
      'keyStorePassword',
      'trustStorePath',
      'trustStorePassword',
    ] as const) {
      if (typeof tls[field] !== 'string')
        throw new InvalidArgumentError(`tls.${field}`, 'must be a string');
    }
  }
  for (const line of options.extraConfig ?? []) {
    // A newline would smuggle in further lines; a line without `=` is not a setting.
    if (typeof line !== 'string' || !/^[^=\s][^=\n]*=[^\n]*$/.test(line))
      throw new InvalidArgumentError(
        'extraConfig',
        `must be "key=value" lines, got ${JSON.stringify(line)}`,
      );
  }
  for (const arg of options.jvmArgs ?? []) {
    if (typeof arg !== 'string' || arg === '')
      throw new InvalidArgumentError('jvmArgs', 'must be non-empty strings');
  }
  return {
    servers,
    observers,
    tickTimeMs,
    extendedTypes: options.extendedTypes ?? true,
    containerCheckIntervalMs: positiveInt(
      'containerCheckIntervalMs',
      options.containerCheckIntervalMs,
      1_000,
    ),
    tls,
    jvmHeapMb: positiveInt('jvmHeapMb', options.jvmHeapMb, 128, 16),
    jvmArgs: options.jvmArgs ?? [],
    maxSessionTimeoutMs,
    minSessionTimeoutMs,
    startTimeoutMs: positiveInt('startTimeoutMs', options.startTimeoutMs, 60_000),
    image: options.image ?? `zookeeper:${process.env['ZK_VERSION'] ?? '3.8'}`,
    extraConfig: options.extraConfig ?? [],
  };
}

/**
 * The `zoo.cfg` lines shared by every server of an ensemble, whatever the backend.
 *
 * @example
 * ```ts
 * commonConfigLines(resolveEnsembleOptions()).includes('4lw.commands.whitelist=*'); // true
 * ```
 */
export function commonConfigLines(options: ResolvedEnsembleOptions): string[] {
  return [
    `tickTime=${options.tickTimeMs}`,
    'initLimit=20',
    'syncLimit=5',
    `minSessionTimeout=${options.minSessionTimeoutMs}`,
    `maxSessionTimeout=${options.maxSessionTimeoutMs}`,
    // Tests open many sessions from one address; ZooKeeper's default caps it at 60.
    'maxClientCnxns=0',
    '4lw.commands.whitelist=*',
    'admin.enableServer=false',
    'autopurge.purgeInterval=0',
    ...options.extraConfig,
  ];
}

/**
 * JVM system properties shared by every backend.
 *
 * @example
 * ```ts
 * systemProperties(resolveEnsembleOptions()); // ['-Dzookeeper.extendedTypesEnabled=true', ...]
 * ```
 */
export function systemProperties(options: ResolvedEnsembleOptions): string[] {
  const props = [
    `-Dzookeeper.extendedTypesEnabled=${String(options.extendedTypes)}`,
    `-Dznode.container.checkIntervalMs=${options.containerCheckIntervalMs}`,
    '-Dzookeeper.4lw.commands.whitelist=*',
    '-Dzookeeper.admin.enableServer=false',
    // Test data needs no fsync: it survives a killed JVM through the OS page cache anyway.
    '-Dzookeeper.forceSync=no',
    '-Dzookeeper.snapshot.trust.empty=true',
  ];
  const tls = options.tls;
  if (tls !== undefined) {
    props.push(
      '-Dzookeeper.serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory',
      `-Dzookeeper.ssl.keyStore.location=${tls.keyStorePath}`,
      `-Dzookeeper.ssl.keyStore.password=${tls.keyStorePassword}`,
      `-Dzookeeper.ssl.trustStore.location=${tls.trustStorePath}`,
      `-Dzookeeper.ssl.trustStore.password=${tls.trustStorePassword}`,
      `-Dzookeeper.ssl.clientAuth=${tls.clientAuth ?? 'none'}`,
    );
  }
  return props;
}
