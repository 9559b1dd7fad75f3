import type { CreateOptions, NodeData, Op, OpResult } from '@zookit/client';

import { checkOptions, signalOptions } from './internal/check-options.js';

/**
 * Curator's `transaction()`: a fluent list of operations committed as one atomic `multi` (transport
 * capability `multi`). Paths are relative to the framework's namespace; created paths in the results are
 * too. A rejected transaction throws `TransactionFailedError` (`failedIndex`, nothing applied). A
 * transaction with writes is not resent after a connection loss: it throws
 * `TransactionOutcomeUnknownError` instead (see `docs/concepts/connection-loss.md`).
 *
 * @example
 * ```ts
 * const [created, , ] = await zk.transaction()
 *   .create('/jobs/a', 'x')
 *   .setData('/jobs', 'v2', { version: 3 })
 *   .check('/config', 7)
 *   .commit({ signal });
 * ```
 */
export class TransactionBuilder {
  readonly #ops: Op[] = [];
  readonly #commit: (ops: readonly Op[], signal: AbortSignal | undefined) => Promise<OpResult[]>;

  /** @internal Use `ZkFramework.transaction()`. */
  constructor(
    commit: (ops: readonly Op[], signal: AbortSignal | undefined) => Promise<OpResult[]>,
  ) {
    this.#commit = commit;
  }

  /** The operations added so far. */
  get ops(): readonly Op[] {
    return [...this.#ops];
  }

  /** Adds a create (`mode`, `acl`, `ttlMs` as for `create`; no `parents`/`protected` in a transaction). */
  create(path: string, data?: NodeData, options: CreateOptions = {}): this {
    this.#ops.push({ type: 'create', path, data, ...options });
    return this;
  }

  /** Adds a data write (`version` -1, the default, matches any). */
  setData(path: string, data: NodeData, options: { version?: number } = {}): this {
    this.#ops.push({
      type: 'setData',
      path,
      data,
      ...(options.version === undefined ? {} : { version: options.version }),
    });
    return this;
  }

  /** Adds a delete (`version` -1, the default, matches any). */
  delete(path: string, options: { version?: number } = {}): this {
    this.#ops.push({
      type: 'delete',
      path,
      ...(options.version === undefined ? {} : { version: options.version }),
    });
    return this;
  }

  /** Adds a version check: the transaction fails unless the node has this version. */
  check(path: string, version: number): this {
    this.#ops.push({ type: 'check', path, version });
    return this;
  }

  /**
   * Sends the operations as one `multi`; resolves with one result per operation, in order. It can be
   * committed again (e.g. after `TransactionOutcomeUnknownError`, with a `check` that tells the outcome).
   */
  async commit(options: { signal?: AbortSignal } = {}): Promise<OpResult[]> {
    checkOptions(signalOptions, options, 'commit');
    return this.#commit([...this.#ops], options.signal);
  }
}
