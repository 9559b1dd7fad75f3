import { ZkError } from '@zookit/client';

/**
 * A transaction (`multi`) with writes lost its connection while in flight: the server may have applied all
 * of it or none of it, and the framework does not resend it, because a blind resend could report a failure
 * for its own first attempt (`NODE_EXISTS`, `BAD_VERSION`, `NO_NODE`) or create a second sequential node.
 * `cause` is the transport's error (`ConnectionLossError`, `OperationTimeoutError`, …). Find out by reading
 * the nodes involved, or put a `check` op in the transaction and commit it again.
 *
 * @example
 * ```ts
 * try { await zk.transaction().create('/a').commit(); }
 * catch (e) { if (e instanceof TransactionOutcomeUnknownError) await zk.exists('/a'); }
 * ```
 */
export class TransactionOutcomeUnknownError extends ZkError {
  constructor(cause: ZkError) {
    super('TRANSACTION_OUTCOME_UNKNOWN', `transaction outcome unknown: ${cause.message}`, {
      path: cause.path,
      cause,
      outcomeUnknown: true,
      retryable: false,
    });
  }
}
