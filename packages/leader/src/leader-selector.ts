import type { Unsubscribe } from '@zookit/client';
import type { ZkFramework } from '@zookit/framework';
import {
  listen,
  localAddress,
  parseRecipeOptions,
  RecipeLifecycle,
  SequentialContenders,
  SessionReconciler,
} from '@zookit/framework/recipe-kit';
import type { InvalidateReason } from '@zookit/framework/recipe-kit';
import { InterProcessMutex, LOCK_NAME } from '@zookit/locks';
import type { LockHandle, LockLostError, LockLostReason } from '@zookit/locks';
import { BehaviorSubject, distinctUntilChanged, skip, Subject } from 'rxjs';
import type { Observable } from 'rxjs';
import { z } from 'zod';

import {
  untilDoneIfConnected,
  whenWritable,
  writableConnection,
} from './internal/connection-guards.js';
import { checkRecipePath } from './internal/options.js';
import { waitForTrue } from './internal/wait-for-true.js';
import { LeadershipLostError } from './leadership-lost-error.js';
import type { LeadershipLostReason } from './leadership-lost-error.js';
import type { LeadershipWaitOptions } from './leader-latch.js';
import { NO_LEADER, readParticipants } from './participant.js';
import type { Participant } from './participant.js';

/**
 * What `takeLeadership` learns about the term it was given.
 *
 * @example
 * ```ts
 * takeLeadership: async (signal, { fencingToken }) => store.write(value, { fencingToken, signal });
 * ```
 */
export interface LeadershipTerm {
  /** The selector's participant id. */
  readonly id: string;
  /** Our lock node (framework-relative). */
  readonly path: string;
  /** The czxid of our node: pass it to stores that fence deposed leaders. */
  readonly fencingToken: bigint;
}

/**
 * Runs while this participant leads. Leadership lasts until the returned promise settles (return or
 * throw). `signal` aborts, with a {@link LeadershipLostError}, the moment leadership can no longer be
 * trusted or is taken away; stop work at once then.
 *
 * @example
 * ```ts
 * const take: TakeLeadership = async (signal) => {
 *   while (!signal.aborted) await doOneStep(signal);
 * };
 * ```
 */
export type TakeLeadership = (signal: AbortSignal, term: LeadershipTerm) => void | Promise<void>;

/**
 * Options of {@link LeaderSelector}.
 *
 * @example
 * ```ts
 * const options: LeaderSelectorOptions = { id: 'worker-1', autoRequeue: true, takeLeadership: async () => {} };
 * ```
 */
export interface LeaderSelectorOptions {
  /** Called each time this participant becomes leader. */
  readonly takeLeadership: TakeLeadership;
  /**
   * This participant's id, stored as its node's data. Default (also for `''`): the local IP address. Curator
   * writes no lock-node bytes for an empty id, so its client's default data (the local IP) is stored.
   */
  readonly id?: string;
  /** Queue again automatically after each term (and after a cancelled wait). Default false. */
  readonly autoRequeue?: boolean;
}

/**
 * Counters for tests and diagnostics.
 *
 * @example
 * ```ts
 * const { terms } = selector.diagnostics;
 * ```
 */
export interface LeaderSelectorDiagnostics {
  /** Terms started (takeLeadership calls). */
  readonly terms: number;
}

const optionsSchema = z.strictObject({
  takeLeadership: z.custom<TakeLeadership>((v) => typeof v === 'function', 'must be a function'),
  id: z.string().optional(),
  autoRequeue: z.boolean().default(false),
});

/**
 * Curator's `LeaderSelector`: a callback that runs while this participant leads. Like Curator's, it stands
 * on the mutex (`@zookit/locks`' `InterProcessMutex`, node data = id), so its layout is
 * `<path>/_c_<uuid>-lock-<seq>` and Java and TypeScript selectors on one path form one group.
 *
 * - `takeLeadership(signal, term)` runs when we acquire the lock; leadership is released (our node deleted)
 *   when it returns or throws.
 * - `signal` aborts when leadership can no longer be trusted: `suspended` under the standard error policy,
 *   `lost` always, the session's `leaseDeadline` under the `session` policy, the framework closing, the
 *   lock's `lost` signal (e.g. our node deleted), and also on `interruptLeadership()` and `close()`
 *   (Curator's `CancelLeadershipException` behaviour).
 * - With `autoRequeue`, it queues again after every term and after a cancelled wait (on reconnection).
 *
 * @example
 * ```ts
 * const selector = new LeaderSelector(zk, '/jobs/leader', {
 *   id: 'worker-1',
 *   autoRequeue: true,
 *   takeLeadership: async (signal, { fencingToken }) => {
 *     while (!signal.aborted) await runOneBatch(fencingToken, signal);
 *   },
 * });
 * await selector.start();
 * // ...
 * await selector.close();
 * ```
 */
export class LeaderSelector implements AsyncDisposable {
  /** The election path (framework-relative). */
  readonly path: string;
  /** This participant's id. */
  readonly id: string;
  readonly #framework: ZkFramework;
  readonly #takeLeadership: TakeLeadership;
  readonly #autoRequeue: boolean;
  readonly #lifecycle: RecipeLifecycle;
  readonly #mutex: InterProcessMutex;
  readonly #contenders: SequentialContenders;
  readonly #reconciler: SessionReconciler;
  readonly #leadership = new BehaviorSubject<boolean>(false);
  readonly #errors = new Subject<Error>();
  #queued = false;
  #worker: Promise<void> | undefined;
  #attempt: AbortController | undefined;
  #term: LockHandle | undefined;
  #terms = 0;
  #closing: Promise<void> | undefined;

  constructor(framework: ZkFramework, path: string, options: LeaderSelectorOptions) {
    this.path = checkRecipePath(path);
    const parsed = parseRecipeOptions('LeaderSelector', optionsSchema, options);
    // Curator's `getLockNodeBytes()` is null for an empty id, so the node gets the client's default data.
    this.id = parsed.id === undefined || parsed.id === '' ? localAddress() : parsed.id;
    this.#takeLeadership = parsed.takeLeadership;
    this.#autoRequeue = parsed.autoRequeue;
    this.#framework = framework;
    this.#lifecycle = new RecipeLifecycle('LeaderSelector', (e) => this.#report(e));
    this.#mutex = new InterProcessMutex(framework, this.path, { nodeData: this.id });
    this.#mutex.errors$.subscribe((e) => this.#report(e));
    this.#contenders = new SequentialContenders(framework, this.path, LOCK_NAME);
    this.#reconciler = new SessionReconciler(framework, {
      invalidate: (reason: InvalidateReason) => this.#cancel(reason),
      // Queue (again) once connected: after start, and after a cancelled term or wait when auto-requeueing.
      reconcile: () => this.#startQueued(),
      onError: (e) => this.#report(e),
      reconcileOnReconnect: true,
    });
  }

  /** Queues for leadership once connected. Returns at once. `RecipeStateError` if called twice or after close. */
  start(): Promise<void> {
    this.#lifecycle.start();
    this.#queued = true;
    this.#lifecycle.defer(() => this.#mutex.close());
    this.#lifecycle.defer(() => this.#reconciler.close());
    this.#reconciler.start();
    return Promise.resolve();
  }

  /**
   * Queues again (Curator's `requeue()`), e.g. after a term without `autoRequeue`. Returns false if already
   * queued or leading.
   */
  requeue(): boolean {
    this.#lifecycle.assertStarted('requeue');
    if (this.#queued || this.#worker !== undefined) return false;
    this.#queued = true;
    this.#reconciler.trigger('manual');
    return true;
  }

  /** Whether `takeLeadership` is running right now (local, synchronous). */
  hasLeadership(): boolean {
    return this.#term !== undefined;
  }

  /** Leadership as a stream: hot, replays the latest (initially `false`), completes on close. Never errors. */
  get leadership$(): Observable<boolean> {
    return this.#leadership.pipe(distinctUntilChanged());
  }

  /** Background failures (and errors thrown by `takeLeadership`). Hot, no replay, completes on close. */
  get errors$(): Observable<Error> {
    return this.#errors.asObservable();
  }

  /** The czxid of our node while leading, `undefined` otherwise. */
  get fencingToken(): bigint | undefined {
    return this.#term?.fencingToken;
  }

  /** `latent`, `started` or `closed`. */
  get state(): 'latent' | 'started' | 'closed' {
    return this.#lifecycle.state;
  }

  /** Counters for tests and diagnostics. */
  get diagnostics(): LeaderSelectorDiagnostics {
    return { terms: this.#terms };
  }

  /** Calls `listener` on every change of leadership; its exceptions go to `errors$`. */
  onLeadershipChange(
    listener: (isLeader: boolean) => void,
    options: { signal?: AbortSignal } = {},
  ): Unsubscribe {
    return listen(this.leadership$.pipe(skip(1)), listener, (e) => this.#report(e), options.signal);
  }

  /** Resolves once this participant leads; same errors as `LeaderLatch.awaitLeadership`. */
  async awaitLeadership(options: LeadershipWaitOptions = {}): Promise<void> {
    this.#lifecycle.assertStarted('awaitLeadership');
    await waitForTrue(this.#leadership, this.path, options);
  }

  /** Aborts the current term's signal (Curator's `interruptLeadership`); nothing happens unless leading. */
  interruptLeadership(): void {
    if (this.#term !== undefined)
      this.#attempt?.abort(new LeadershipLostError(this.path, 'interrupted'));
  }

  /** The current leader, read from ZooKeeper (`{ id: '', isLeader: false }` with no participants). */
  async getLeader(options: { signal?: AbortSignal } = {}): Promise<Participant> {
    return (
      (await readParticipants(this.#framework, this.#contenders, options.signal))[0] ?? NO_LEADER
    );
  }

  /** Every participant in election order, read from ZooKeeper. */
  getParticipants(options: { signal?: AbortSignal } = {}): Promise<Participant[]> {
    return readParticipants(this.#framework, this.#contenders, options.signal);
  }

  /**
   * Leaves the election: aborts the term's signal (reason `closed`), waits for `takeLeadership` to return,
   * deletes our node, completes the streams. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#doClose();
    return this.#closing;
  }

  /** Same as `close()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #doClose(): Promise<void> {
    this.#queued = false;
    this.#attempt?.abort(new LeadershipLostError(this.path, 'closed'));
    await this.#lifecycle.close();
    await this.#worker;
    this.#leadership.complete();
    this.#errors.complete();
  }

  /** Curator's `cancelElection`: stop the term, or the wait for it. */
  #cancel(reason: LeadershipLostReason): void {
    this.#attempt?.abort(new LeadershipLostError(this.path, reason));
  }

  #startQueued(): Promise<void> {
    if (this.#queued && this.#worker === undefined && this.#lifecycle.isStarted) {
      this.#queued = false;
      this.#worker = this.#work().finally(() => {
        this.#worker = undefined;
        if (this.#queued && this.#lifecycle.isStarted) this.#reconciler.trigger('manual');
      });
    }
    return Promise.resolve();
  }

  async #work(): Promise<void> {
    const attempt = new AbortController();
    this.#attempt = attempt;
    const signal = attempt.signal;
    let held: LockHandle;
    try {
      held = await this.#mutex.acquire({ signal });
    } catch (error) {
      if (!signal.aborted) this.#report(error);
      this.#queued ||= this.#autoRequeue && this.#lifecycle.isStarted;
      return;
    }
    const onLost = (): void =>
      this.#cancel(leadershipLostReason((held.lost.reason as LockLostError).reason));
    held.lost.addEventListener('abort', onLost, { once: true });
    try {
      // A read-only server is cut off from the quorum, which may have expired our session: never lead there.
      if (!writableConnection(this.#framework)) await whenWritable(this.#framework, signal);
      signal.throwIfAborted();
      this.#terms++;
      this.#term = held;
      this.#leadership.next(true);
      await this.#takeLeadership(signal, {
        id: this.id,
        path: held.nodePath,
        fencingToken: held.fencingToken,
      });
    } catch (error) {
      if (!(signal.aborted && error === signal.reason)) this.#report(error);
    } finally {
      held.lost.removeEventListener('abort', onLost);
      // Leadership ends locally before our node goes, so no successor can overlap with us.
      this.#term = undefined;
      this.#leadership.next(false);
      attempt.abort(new LeadershipLostError(this.path, 'released'));
      this.#queued ||= this.#autoRequeue && this.#lifecycle.isStarted;
      // Not connected: the guaranteed delete goes on in the background (our node dies with the session).
      await untilDoneIfConnected(
        this.#framework,
        held.release().catch((e: unknown) => this.#report(e)),
      );
    }
  }

  #report(error: unknown): void {
    if (this.#errors.closed) return;
    this.#errors.next(error instanceof Error ? error : new Error(String(error)));
  }
}

/** A lock's reason in the selector's vocabulary: a new session or a deleted node means our term is lost. */
function leadershipLostReason(reason: LockLostReason): LeadershipLostReason {
  if (reason === 'leaseDeadline') return 'leaseExpired';
  if (reason === 'sessionChanged' || reason === 'nodeDeleted') return 'lost';
  return reason;
}
