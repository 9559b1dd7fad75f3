import { joinPath, NoNodeError, nodeName } from '@zookit/client';
import type { Stat, Unsubscribe } from '@zookit/client';
import type { ZkFramework } from '@zookit/framework';
import {
  listen,
  OwnedNode,
  parseRecipeOptions,
  RecipeLifecycle,
  SequentialContenders,
  SessionReconciler,
  WatcherScope,
} from '@zookit/framework/recipe-kit';
import type { ReconcileContext } from '@zookit/framework/recipe-kit';
import { BehaviorSubject, distinctUntilChanged, skip, Subject } from 'rxjs';
import type { Observable } from 'rxjs';
import { z } from 'zod';

import { checkRecipePath } from './internal/options.js';
import { untilDoneIfConnected, writableConnection } from './internal/connection-guards.js';
import { waitForTrue } from './internal/wait-for-true.js';
import { NO_LEADER, readParticipants } from './participant.js';
import type { Participant } from './participant.js';

/** Curator's `LeaderLatch.LOCK_NAME`. */
const LATCH_NAME = 'latch-';

/**
 * Options of {@link LeaderLatch}.
 *
 * @example
 * ```ts
 * const options: LeaderLatchOptions = { id: 'node-1' };
 * ```
 */
export interface LeaderLatchOptions {
  /** This participant's id, stored as the node's data (UTF-8). Default `''` (empty data, as Curator). */
  readonly id?: string;
}

/**
 * Options of {@link LeaderLatch.close}.
 *
 * @example
 * ```ts
 * await latch.close({ notifyLeader: true }); // leadership$ emits false, then completes
 * ```
 */
export interface LeaderLatchCloseOptions {
  /**
   * Curator's `CloseMode.NOTIFY_LEADER`: a leader emits `false` on `leadership$` (and to listeners) before
   * the streams complete. Default false (`CloseMode.SILENT`): the streams just complete.
   */
  readonly notifyLeader?: boolean;
}

/**
 * Options of the leadership waits.
 *
 * @example
 * ```ts
 * await latch.awaitLeadership({ timeoutMs: 10_000, signal: AbortSignal.timeout(60_000) });
 * ```
 */
export interface LeadershipWaitOptions {
  /** Give up after this long with {@link LeadershipTimeoutError}. Default: no limit. */
  readonly timeoutMs?: number;
  /** Give up when aborted, with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Counters for tests and diagnostics (herd-effect checks).
 *
 * @example
 * ```ts
 * const { reconcileRuns, predecessorWakeups } = latch.diagnostics;
 * ```
 */
export interface LeaderLatchDiagnostics {
  /** Reconcile runs started (the initial one included). */
  readonly reconcileRuns: number;
  /** Times this participant's predecessor watch fired. */
  readonly predecessorWakeups: number;
}

const optionsSchema = z.strictObject({ id: z.string().default('') });

/**
 * Leader election with Curator's `LeaderLatch` protocol and node layout: every participant creates a
 * protected ephemeral-sequential node `<path>/_c_<uuid>-latch-<seq>` whose data is its id; the lowest
 * sequence leads; every other participant watches only its predecessor (no herd effect).
 *
 * Guarantees:
 * - Leadership is declared only after reading our node and checking that its `ephemeralOwner` is the
 *   current session (a node of an older session is deleted and a new one created).
 * - Leadership is dropped at once on `suspended` under the standard error policy, on `lost` always, at the
 *   session's `leaseDeadline` under the `session` policy, and when the framework closes.
 * - After a new session the latch deletes any stale node of its old session and rejoins (at the back).
 * - `fencingToken` (the czxid of our node) is defined exactly while leading.
 *
 * Java and TypeScript participants on one path form one group (wire-compatible with Curator 5.x).
 *
 * @example
 * ```ts
 * const latch = new LeaderLatch(zk, '/services/billing/leader', { id: 'node-1' });
 * latch.onLeadershipChange((leading) => (leading ? startWork() : stopWork()));
 * await latch.start();
 * await latch.awaitLeadership({ timeoutMs: 30_000 });
 * console.log('leading with token', latch.fencingToken);
 * await latch.close();
 * ```
 */
export class LeaderLatch implements AsyncDisposable {
  /** The election path (framework-relative). */
  readonly path: string;
  /** This participant's id. */
  readonly id: string;
  readonly #framework: ZkFramework;
  readonly #lifecycle: RecipeLifecycle;
  readonly #node: OwnedNode;
  readonly #contenders: SequentialContenders;
  readonly #scope: WatcherScope;
  readonly #reconciler: SessionReconciler;
  readonly #leadership = new BehaviorSubject<boolean>(false);
  readonly #errors = new Subject<Error>();
  #isLeader = false;
  #silenced = false;
  #fencingToken: bigint | undefined;
  #leaderPath: string | undefined;
  /** Bumped by every invalidation: a reconcile run that began before it may not declare leadership. */
  #epoch = 0;
  #wakeups = 0;
  #closing: Promise<void> | undefined;

  constructor(framework: ZkFramework, path: string, options?: LeaderLatchOptions) {
    this.path = checkRecipePath(path);
    this.id = parseRecipeOptions('LeaderLatch', optionsSchema, options).id;
    this.#framework = framework;
    this.#lifecycle = new RecipeLifecycle('LeaderLatch', (e) => this.#report(e));
    this.#node = new OwnedNode(framework, {
      path: joinPath(this.path, LATCH_NAME),
      data: Buffer.from(this.id, 'utf8'),
    });
    this.#contenders = new SequentialContenders(framework, this.path, LATCH_NAME);
    this.#scope = new WatcherScope(framework);
    this.#reconciler = new SessionReconciler(framework, {
      invalidate: () => this.#invalidate(),
      reconcile: (context) => this.#reconcile(context),
      onError: (e) => this.#report(e),
      // Curator 5.8+: re-check on every reconnect, since leadership was dropped on `suspended`.
      reconcileOnReconnect: true,
    });
  }

  /**
   * Joins the election. Returns at once; the node is created once the framework is connected. Throws
   * `RecipeStateError` if called twice or after close.
   */
  start(): Promise<void> {
    this.#lifecycle.start();
    // Connected: close() resolves once our node is gone. Not connected: the guaranteed delete carries on
    // in the background instead of holding close() for the retry policy's whole span.
    this.#lifecycle.defer(() => untilDoneIfConnected(this.#framework, this.#node.close()));
    this.#lifecycle.defer(() => this.#reconciler.close());
    this.#lifecycle.defer(() => this.#scope.close());
    this.#reconciler.start();
    return Promise.resolve();
  }

  /** Whether this participant leads right now (local, synchronous). */
  hasLeadership(): boolean {
    return this.#isLeader && this.#lifecycle.isStarted;
  }

  /**
   * Leadership as a stream: hot, replays the latest value (initially `false`), emits on every change,
   * completes on close (with a final `false` first only with `close({ notifyLeader: true })`). Never errors.
   */
  get leadership$(): Observable<boolean> {
    return this.#leadership.pipe(distinctUntilChanged());
  }

  /** Background failures (reconcile runs that exhausted their retries). Hot, no replay, completes on close. */
  get errors$(): Observable<Error> {
    return this.#errors.asObservable();
  }

  /**
   * The czxid of our node while leading, `undefined` otherwise: unique and increasing across the ensemble,
   * so a store that remembers the highest token it has seen can refuse a deposed leader's writes.
   */
  get fencingToken(): bigint | undefined {
    return this.hasLeadership() ? this.#fencingToken : undefined;
  }

  /** Our node (framework-relative), once created. */
  get ourPath(): string | undefined {
    return this.#node.path;
  }

  /** The last node of ours that was confirmed leader (Curator's `getLastPathIsLeader`). */
  get lastPathIsLeader(): string | undefined {
    return this.#leaderPath;
  }

  /** `latent`, `started` or `closed`. */
  get state(): 'latent' | 'started' | 'closed' {
    return this.#lifecycle.state;
  }

  /** Counters for tests and diagnostics. */
  get diagnostics(): LeaderLatchDiagnostics {
    return { reconcileRuns: this.#reconciler.runs, predecessorWakeups: this.#wakeups };
  }

  /**
   * Calls `listener` on every change of leadership (not with the current value). Exceptions it throws go to
   * `errors$`. Returns the function that removes it (also done by `signal`).
   */
  onLeadershipChange(
    listener: (isLeader: boolean) => void,
    options: { signal?: AbortSignal } = {},
  ): Unsubscribe {
    return listen(this.leadership$.pipe(skip(1)), listener, (e) => this.#report(e), options.signal);
  }

  /**
   * Resolves once this participant leads (at once if it does). Rejects with {@link LeadershipTimeoutError}
   * after `timeoutMs`, with the signal's reason when aborted, and with `RecipeStateError` on close.
   */
  async awaitLeadership(options: LeadershipWaitOptions = {}): Promise<void> {
    this.#lifecycle.assertStarted('awaitLeadership');
    // leadership$ ends early in close(); waiters are rejected when close() is done.
    await waitForTrue(
      this.#leadership,
      this.path,
      options,
      () => this.#closing ?? Promise.resolve(),
    );
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
   * Leaves the election: drops leadership at once, then deletes our node (guaranteed delete), so the next
   * participant takes over. Idempotent.
   */
  close(options: LeaderLatchCloseOptions = {}): Promise<void> {
    this.#closing ??= this.#doClose(options.notifyLeader === true);
    return this.#closing;
  }

  /** Same as `close()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #doClose(notifyLeader: boolean): Promise<void> {
    this.#silenced = !notifyLeader;
    this.#invalidate();
    // Subscribers must learn that this latch no longer leads before its node is deleted, or a successor
    // could be elected while they still act as leader: end the stream now, not after the delete.
    this.#leadership.complete();
    if (this.#lifecycle.isStarted) {
      // Abort a reconcile run in flight first (synchronous part of close), so it ends quietly instead of
      // reporting the closed OwnedNode; the lifecycle awaits the reconciler's idleness below.
      void this.#reconciler.close();
      // The delete goes out next: the successor's wait is the failover latency. A run still in flight
      // cannot re-create the node, since OwnedNode refuses once closed.
      const deleting = this.#node.close();
      this.#lifecycle.defer(() => untilDoneIfConnected(this.#framework, deleting));
    }
    await this.#lifecycle.close();
    this.#errors.complete();
  }

  #invalidate(): void {
    this.#epoch++;
    this.#scope.invalidate();
    this.#setLeader(false);
  }

  async #reconcile({ signal }: ReconcileContext): Promise<void> {
    const epoch = this.#epoch;
    this.#scope.invalidate(); // only the watch set by this run may wake us
    for (;;) {
      signal.throwIfAborted();
      const ours = await this.#ensureNode(signal);
      // Our own stat is read alongside the children (one round trip instead of two on a handover).
      const [sorted, stat] = await Promise.all([
        this.#contenders.getSortedChildren(signal),
        this.#statOf(ours, signal),
      ]);
      const name = nodeName(ours);
      if (stat === null || !sorted.includes(name) || !this.#node.verifyOwnership(stat)) {
        // Gone, or left by an older session (CURATOR-696): delete it and join again (Curator's reset()).
        this.#setLeader(false);
        await this.#node.discard();
        continue;
      }
      const position = this.#contenders.position(sorted, name);
      if (position.isHolder) {
        // A suspension (or close) since this run began: the next run, after reconnection, decides.
        // A read-only server is cut off from the quorum, which may have expired our session: never lead there.
        if (
          epoch !== this.#epoch ||
          !this.#lifecycle.isStarted ||
          !writableConnection(this.#framework)
        )
          return;
        this.#fencingToken = stat.czxid;
        this.#leaderPath = ours;
        this.#setLeader(true);
        return;
      }
      this.#setLeader(false);
      const predecessor = position.predecessor ?? '';
      const watching = await this.#contenders.watchPredecessor(
        predecessor,
        this.#scope.wrap(() => {
          this.#wakeups++;
          this.#reconciler.trigger('watchFired');
        }),
        signal,
      );
      if (watching) return;
    }
  }

  /** Our node if the current session owns it (no round trip in the common case), else a fresh one. */
  #ensureNode(signal: AbortSignal): Promise<string> {
    const current = this.#node.path;
    if (current !== undefined && this.#node.ownerSessionId === this.#framework.sessionId)
      return Promise.resolve(current);
    return this.#node.ensure(signal);
  }

  async #statOf(path: string, signal: AbortSignal): Promise<Stat | null> {
    try {
      return (await this.#framework.getData(path, { signal })).stat;
    } catch (error) {
      if (error instanceof NoNodeError) return null;
      throw error;
    }
  }

  #setLeader(value: boolean): void {
    if (!value) this.#fencingToken = undefined;
    if (this.#isLeader === value) return;
    this.#isLeader = value;
    if (!this.#silenced) this.#leadership.next(value);
  }

  #report(error: unknown): void {
    if (this.#errors.closed) return;
    this.#errors.next(error instanceof Error ? error : new Error(String(error)));
  }
}
