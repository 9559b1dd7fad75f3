import {
  checkCreate,
  isSequential,
  NoNodeError,
  TransactionFailedError,
  toData,
  ZkError,
} from '@zookit/client';
import type { Op, OpResult, Unsubscribe } from '@zookit/client';

import { fixForNamespace, unfixForNamespace } from '../namespace-paths.js';
import { TransactionOutcomeUnknownError } from '../transaction-outcome-unknown-error.js';
import { checkOptions, multiOps, parseWith, signalOptions } from './check-options.js';
import { checkAclOnCreate } from './create-operation.js';
import type { FrameworkCore } from './framework-core.js';

function namespaced(core: FrameworkCore, namespace: string | undefined, op: Op): Op {
  if (op.type !== 'create') {
    const path = fixForNamespace(namespace, op.path);
    // Checked here, not by the client: a bad op must fail before the namespace's containers are made.
    if (op.type === 'setData') toData(path, op.data);
    return { ...op, path };
  }
  const path = fixForNamespace(namespace, op.path, op.mode !== undefined && isSequential(op.mode));
  const acl = op.acl ?? core.aclFor(path);
  checkCreate(path, op.data, {
    ...(op.mode === undefined ? {} : { mode: op.mode }),
    ...(op.ttlMs === undefined ? {} : { ttlMs: op.ttlMs }),
    ...(acl === undefined ? {} : { acl }),
  });
  checkAclOnCreate(core, path, acl);
  return acl === undefined ? { ...op, path } : { ...op, path, acl };
}

/** Connection loss during a transaction with writes: report it as unknown, never resend it blindly. */
function unknownOutcome(error: unknown): unknown {
  return error instanceof ZkError && error.outcomeUnknown
    ? new TransactionOutcomeUnknownError(error)
    : error;
}

/**
 * Runs a `multi` for a namespace view. Retry rules: a transaction of `check` ops only is retried like a
 * read. One with writes is retried only after failures that prove it was not applied (no connection yet,
 * throttled…); after one whose outcome is unknown it rejects with `TransactionOutcomeUnknownError`. A
 * rejected transaction (`TransactionFailedError`) applied nothing; if it failed on NO_NODE because the
 * namespace's container was reaped, the namespace is re-created and the transaction sent once more.
 */
export async function runMulti(
  core: FrameworkCore,
  namespace: string | undefined,
  ops: readonly Op[],
  options: { signal?: AbortSignal },
): Promise<OpResult[]> {
  checkOptions(signalOptions, options, 'multi');
  parseWith(multiOps, ops, 'multi', 'ops');
  const signal = options.signal;
  const mapped = ops.map((op) => namespaced(core, namespace, op));
  const readOnly = mapped.every((op) => op.type === 'check');
  const commit = (): Promise<OpResult[]> =>
    core.run((c) => c.multi(mapped), signal, readOnly ? undefined : unknownOutcome);
  const ensuring = namespace === undefined ? undefined : core.ensureNamespace(namespace, signal);
  if (ensuring !== undefined) await ensuring;
  let results: OpResult[];
  try {
    results = await commit();
  } catch (error) {
    if (
      !(error instanceof TransactionFailedError) ||
      namespace === undefined ||
      !(error.errors[error.failedIndex] instanceof NoNodeError) ||
      !(await core.reensureNamespace(namespace, signal))
    ) {
      throw error;
    }
    results = await commit();
  }
  return results.map((r) =>
    r.type === 'create' ? { ...r, path: unfixForNamespace(namespace, r.path) } : r,
  );
}

/** Makes aborting `signal` call `unsubscribe` (a persistent watch's removal); the result also detaches it. */
export function bindToSignal(
  unsubscribe: Unsubscribe,
  signal: AbortSignal | undefined,
): Unsubscribe {
  if (signal === undefined) return unsubscribe;
  signal.addEventListener('abort', unsubscribe, { once: true });
  if (signal.aborted) unsubscribe();
  return () => {
    signal.removeEventListener('abort', unsubscribe);
    unsubscribe();
  };
}
