/**
 * The root of zookit's error model ({@link ZkError}), the protocol's numeric result codes, and the factory
 * that declares one class per server code (see server-errors.ts and rare-server-errors.ts).
 */

/**
 * Options shared by every {@link ZkError} constructor.
 *
 * @example
 * ```ts
 * // Keep the original failure as the cause so logs show both.
 * throw new InvalidArgumentError('batchSize', 'must be positive', { path: '/jobs', cause: e });
 * ```
 */
export interface ZkErrorOptions {
  /** The ZooKeeper path the failed operation named, when there is one. */
  readonly path?: string | undefined;
  /** The underlying error, if this one wraps another. */
  readonly cause?: unknown;
}

/**
 * Root of every error zookit throws.
 *
 * @example
 * ```ts
 * try { await client.getData('/missing'); }
 * catch (e) { if (e instanceof ZkError && e.code === 'NO_NODE') console.log(e.path); }
 * ```
 */
export class ZkError extends Error {
  /** Stable machine-readable code, e.g. `'NO_NODE'`. */
  readonly code: string;
  /** The path the failed operation named, if any. */
  readonly path: string | undefined;
  /** Whether a retry policy may run the same operation again. */
  readonly retryable: boolean;
  /**
   * True when the operation may or may not have been applied by the server (connection loss, operation
   * timeout, handle closing). Never treat such an error as "failed".
   */
  readonly outcomeUnknown: boolean;
  /** The numeric ZooKeeper result code, for server errors. */
  readonly zkCode: number | undefined;

  constructor(
    code: string,
    message: string,
    options: ZkErrorOptions & {
      retryable?: boolean;
      outcomeUnknown?: boolean;
      zkCode?: number;
    } = {},
  ) {
    super(
      options.path === undefined ? message : `${message} (path: ${JSON.stringify(options.path)})`,
      {
        cause: options.cause,
      },
    );
    this.name = new.target.name;
    this.code = code;
    this.path = options.path;
    this.retryable = options.retryable ?? false;
    this.outcomeUnknown = options.outcomeUnknown ?? false;
    this.zkCode = options.zkCode;
  }
}

/**
 * Numeric result codes of the ZooKeeper protocol (`KeeperException.Code`).
 *
 * @example
 * ```ts
 * errorFromCode(ZkResultCode.NoNode) instanceof NoNodeError; // true
 * if (e instanceof ZkError && e.zkCode === ZkResultCode.BadVersion) await reload();
 * ```
 */
export const ZkResultCode = {
  Ok: 0,
  SystemError: -1,
  RuntimeInconsistency: -2,
  DataInconsistency: -3,
  ConnectionLoss: -4,
  MarshallingError: -5,
  Unimplemented: -6,
  OperationTimeout: -7,
  BadArguments: -8,
  InvalidState: -9,
  UnknownSession: -12,
  NewConfigNoQuorum: -13,
  ReconfigInProgress: -14,
  ApiError: -100,
  NoNode: -101,
  NoAuth: -102,
  BadVersion: -103,
  NoChildrenForEphemerals: -108,
  NodeExists: -110,
  NotEmpty: -111,
  SessionExpired: -112,
  InvalidCallback: -113,
  InvalidAcl: -114,
  AuthFailed: -115,
  Closing: -116,
  Nothing: -117,
  SessionMoved: -118,
  NotReadOnly: -119,
  EphemeralOnLocalSession: -120,
  NoWatcher: -121,
  RequestTimeout: -122,
  ReconfigDisabled: -123,
  SessionClosedRequireSaslAuth: -124,
  QuotaExceeded: -125,
  Throttled: -127,
} as const;

/** One of the numeric {@link ZkResultCode} values. */
export type ZkResultCode = (typeof ZkResultCode)[keyof typeof ZkResultCode];

/**
 * Declares one server-code error class. Each gets a stable `code` and fixed retry semantics so call sites
 * never decide retryability themselves. Internal to the client package (not exported by its index).
 *
 * @internal
 */
export function serverError(
  code: string,
  zkCode: number,
  text: string,
  flags: { retryable?: boolean; outcomeUnknown?: boolean } = {},
) {
  return class extends ZkError {
    static readonly code = code;
    static readonly zkCode = zkCode;
    constructor(options: ZkErrorOptions = {}) {
      super(code, text, { ...options, ...flags, zkCode });
    }
  };
}
