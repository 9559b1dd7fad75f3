import { createZkClient, DEFAULT_TRANSPORT, UnsupportedByTransportError } from '@zookit/client';
import type { WireTlsOptions } from '@zookit/client';
import { ExponentialBackoffRetry } from '@zookit/retry';
import type { RetryPolicy } from '@zookit/retry';
import { z } from 'zod';

import type { AclProvider } from './acl-provider.js';
import type { ErrorPolicy } from './connection/error-policy.js';
import type { Authorization, ClientFactory } from './connection/session-manager.js';
import type { CoreSettings } from './internal/framework-core.js';
import { parseWith } from './internal/check-options.js';
import { checkNamespace } from './namespace-paths.js';

/**
 * Options of {@link createFramework}.
 *
 * @example
 * ```ts
 * const options: FrameworkOptions = { connectString: '127.0.0.1:2181', sessionTimeoutMs: 10_000, namespace: 'app' };
 * ```
 */
export interface FrameworkOptions {
  /** `host:port[,host:port…][/chroot]`. */
  readonly connectString: string;
  /** Requested session timeout, in ms. Default 60 000 (Curator's default; the server may clamp it). */
  readonly sessionTimeoutMs?: number;
  /**
   * How long an operation waits for a connection before it counts as a connection loss (and how long
   * each client waits for its first connection), in ms. Default 15 000.
   */
  readonly connectionTimeoutMs?: number;
  /** Policy every operation runs under. Default `ExponentialBackoffRetry({ baseSleepMs: 100, maxRetries: 3 })`. */
  readonly retryPolicy?: RetryPolicy;
  /** Chroot-like prefix for every path (`app` or `app/sub`); its nodes are created as containers. */
  readonly namespace?: string;
  /** `standard` (default): suspended and lost are error states. `session`: only lost. */
  readonly errorPolicy?: ErrorPolicy;
  /** Credentials added to every new session before it is announced. */
  readonly authorization?: readonly Authorization[];
  /**
   * Client implementation. Default: `@zookit/client`'s `DEFAULT_TRANSPORT` (see
   * `docs/concepts/transports.md` for the capabilities and figures of each).
   */
  readonly transport?: 'native' | 'wire';
  /**
   * TLS for every session's client (wire transport only; the port must be the server's
   * `secureClientPort`). With the native transport, `createFramework` throws `UnsupportedByTransportError`.
   */
  readonly tls?: WireTlsOptions | boolean;
  /**
   * Accept a server that lost its quorum and serves reads only (ZooKeeper's `canBeReadOnly`; wire
   * transport only — with native, `createFramework` throws `UnsupportedByTransportError`). While on such a
   * server the framework posts `readOnly`: reads work, writes fail with `NotReadOnlyError`. The server must
   * run with `readonlymode.enabled=true` (and, on ZooKeeper 3.8, `localSessionsEnabled=true`). A session
   * opened read-only is not carried over to the quorum: when a read-write server is found, `lost` and then
   * `connected` are posted with a new session. Default `false`.
   *
   * @example
   * ```ts
   * const zk = createFramework({ connectString, transport: 'wire', canBeReadOnly: true });
   * zk.onConnectionStateChange((e) => { if (e.state === 'readOnly') pauseWriters(); });
   * ```
   */
  readonly canBeReadOnly?: boolean;
  /** ACL of every node created without an explicit `acl`, parents and namespace nodes included. */
  readonly aclProvider?: AclProvider;
  /** @internal Makes the client of each session (tests). Default `createZkClient`. */
  readonly clientFactory?: ClientFactory;
}

const schema = z.strictObject({
  connectString: z.string().min(1),
  sessionTimeoutMs: z.number().int().positive().default(60_000),
  connectionTimeoutMs: z.number().int().positive().default(15_000),
  retryPolicy: z
    .custom<RetryPolicy>(
      (v) =>
        typeof v === 'object' &&
        v !== null &&
        typeof (v as RetryPolicy).allowRetry === 'function' &&
        typeof (v as RetryPolicy).allowRetryOnError === 'function',
      'must be a RetryPolicy',
    )
    .optional(),
  namespace: z.string().optional(),
  errorPolicy: z.enum(['standard', 'session']).default('standard'),
  authorization: z
    .array(
      z.object({
        scheme: z.string().min(1),
        auth: z.union([z.string(), z.instanceof(Uint8Array)]),
      }),
    )
    .default([]),
  transport: z.enum(['native', 'wire']).default(DEFAULT_TRANSPORT),
  // Only the shape here; the wire client validates the fields (cert without key…) when it is made.
  tls: z
    .union([
      z.boolean(),
      z.custom<WireTlsOptions>(
        (v) => typeof v === 'object' && v !== null,
        'must be a boolean or WireTlsOptions',
      ),
    ])
    .optional(),
  canBeReadOnly: z.boolean().optional(),
  aclProvider: z
    .custom<AclProvider>(
      (v) =>
        typeof v === 'object' &&
        v !== null &&
        typeof (v as AclProvider).getDefaultAcl === 'function' &&
        ['undefined', 'function'].includes(typeof (v as AclProvider).getAclForPath),
      'must be an AclProvider ({ getDefaultAcl(), getAclForPath?(path) })',
    )
    .optional(),
  clientFactory: z
    .custom<ClientFactory>((v) => typeof v === 'function', 'must be a function')
    .optional(),
});

/** Parses framework options once; a bad field throws `InvalidArgumentError` naming it. */
export function parseFrameworkOptions(
  options: FrameworkOptions,
): CoreSettings & { namespace: string | undefined } {
  const o = parseWith(schema, options, 'createFramework', 'options');
  if (o.tls !== undefined && o.tls !== false && o.transport !== 'wire') {
    // Typed and at construction: the native binding has no safe TLS (no host-name check, blocking handshake).
    throw new UnsupportedByTransportError(o.transport, 'tls');
  }
  if (o.canBeReadOnly === true && o.transport !== 'wire') {
    // The native binding exposes no read-only flag on its connection, so `readOnly` could never be posted.
    throw new UnsupportedByTransportError(o.transport, 'readOnly');
  }
  return {
    connectString: o.connectString,
    sessionTimeoutMs: o.sessionTimeoutMs,
    connectionTimeoutMs: o.connectionTimeoutMs,
    retryPolicy: o.retryPolicy ?? new ExponentialBackoffRetry({ baseSleepMs: 100, maxRetries: 3 }),
    errorPolicy: o.errorPolicy,
    authorization: o.authorization,
    transport: o.transport,
    tls: o.tls,
    canBeReadOnly: o.canBeReadOnly === true,
    aclProvider: o.aclProvider,
    clientFactory: o.clientFactory ?? createZkClient,
    namespace: checkNamespace(o.namespace),
  };
}
