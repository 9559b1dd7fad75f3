// Errors raised by the client itself, before or instead of a server reply.
import { ZkError, type ZkErrorOptions } from './zk-error.js';

/**
 * A path failed ZooKeeper's path rules; nothing was sent.
 *
 * @example
 * ```ts
 * try { await client.create('jobs/j1', null); } // no leading slash
 * catch (e) { if (e instanceof InvalidPathError) console.error(`${e.path}: ${e.reason}`); }
 * ```
 */
export class InvalidPathError extends ZkError {
  /** Why the path is invalid. */
  readonly reason: string;
  constructor(path: string, reason: string) {
    super('INVALID_PATH', `invalid path: ${reason}`, { path });
    this.reason = reason;
  }
}

/**
 * Data at or above the size limit; nothing was sent.
 *
 * @example
 * ```ts
 * try { await client.setData('/blob', new Uint8Array(MAX_DATA_BYTES + 1)); }
 * catch (e) { if (e instanceof DataTooLargeError) console.error(`${e.size} > ${e.limit} bytes`); }
 * ```
 */
export class DataTooLargeError extends ZkError {
  /** The size that was offered, in bytes. */
  readonly size: number;
  /** The largest size accepted, in bytes. */
  readonly limit: number;
  constructor(path: string, size: number, limit: number) {
    super('DATA_TOO_LARGE', `data of ${size} bytes exceeds the limit of ${limit} bytes`, { path });
    this.size = size;
    this.limit = limit;
  }
}

/**
 * An argument (other than path or data) is invalid; nothing was sent.
 *
 * @example
 * ```ts
 * try { await client.setData('/cfg', 'v2', { version: -2 }); }
 * catch (e) { if (e instanceof InvalidArgumentError) console.error(e.field); } // 'version'
 * ```
 */
export class InvalidArgumentError extends ZkError {
  /** The name of the offending argument or option field. */
  readonly field: string;
  constructor(field: string, message: string, options: ZkErrorOptions = {}) {
    super('INVALID_ARGUMENT', `${field}: ${message}`, options);
    this.field = field;
  }
}

/**
 * The transport in use cannot perform this operation faithfully, so it refuses rather than emulate it.
 *
 * @example
 * ```ts
 * const native = createZkClient({ connectString, transport: 'native' });
 * try { await native.multi([{ type: 'delete', path: '/a' }]); }
 * catch (e) { if (e instanceof UnsupportedByTransportError) console.log(e.capability); } // 'multi'
 * ```
 */
export class UnsupportedByTransportError extends ZkError {
  /** The capability that is missing. */
  readonly capability: string;
  /** The transport that lacks it. */
  readonly transport: string;
  constructor(transport: string, capability: string, options: ZkErrorOptions = {}) {
    super(
      'UNSUPPORTED_BY_TRANSPORT',
      `the ${transport} transport does not support ${capability}`,
      options,
    );
    this.capability = capability;
    this.transport = transport;
  }
}

/**
 * The client (or framework) was closed before or during the call.
 *
 * @example
 * ```ts
 * await client.close();
 * try { await client.getData('/cfg'); }
 * catch (e) { if (!(e instanceof ClientClosedError)) throw e; } // shutting down: nothing to do
 * ```
 */
export class ClientClosedError extends ZkError {
  constructor(options: ZkErrorOptions = {}) {
    super('CLIENT_CLOSED', 'client is closed', options);
  }
}

/**
 * The first connection was not established in time.
 *
 * @example
 * ```ts
 * const client = createZkClient({ connectString: '10.0.0.9:2181', connectTimeoutMs: 5_000 });
 * try { await client.connect(); }
 * catch (e) { if (e instanceof ConnectTimeoutError) console.error(`gave up: ${e.timeoutMs} ms`); }
 * ```
 */
export class ConnectTimeoutError extends ZkError {
  /** The timeout that elapsed, in milliseconds. */
  readonly timeoutMs: number;
  constructor(timeoutMs: number, connectString: string) {
    super('CONNECT_TIMEOUT', `no connection to ${connectString} within ${timeoutMs} ms`, {
      retryable: true,
    });
    this.timeoutMs = timeoutMs;
  }
}

/**
 * A `multi` transaction was rejected as a whole; `results` tells which operation failed and why.
 *
 * @example
 * ```ts
 * const ops: Op[] = [{ type: 'check', path: '/cfg', version: 3 }, { type: 'delete', path: '/a' }];
 * try { await client.multi(ops); }
 * catch (e) { if (e instanceof TransactionFailedError) console.error(e.failedIndex, e.errors); }
 * ```
 */
export class TransactionFailedError extends ZkError {
  /** Index of the first failed operation. */
  readonly failedIndex: number;
  /** The error of each operation (`undefined` for those that would have succeeded). */
  readonly errors: readonly (ZkError | undefined)[];
  constructor(failedIndex: number, errors: readonly (ZkError | undefined)[]) {
    const first = errors[failedIndex];
    super(
      'TRANSACTION_FAILED',
      `transaction failed at operation ${failedIndex}: ${first?.message}`,
      {
        path: first?.path,
        cause: first,
      },
    );
    this.failedIndex = failedIndex;
    this.errors = errors;
  }
}
