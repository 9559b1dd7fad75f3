import { createFramework } from '@zookit/framework';
import type { FrameworkOptions, ZkFramework } from '@zookit/framework';
import { startConnected } from '@zookit/test-harness';
import type { Observable } from 'rxjs';

/** Starts a framework and waits for its first connection. */
export function startedFramework(
  connectString: string,
  options: Partial<FrameworkOptions> = {},
): Promise<ZkFramework> {
  return startConnected(
    createFramework({
      connectString,
      sessionTimeoutMs: 10_000,
      connectionTimeoutMs: 5_000,
      ...options,
    }),
  );
}

/** One leadership change seen by a participant, stamped with `performance.now()`. */
export interface Transition {
  readonly who: string;
  readonly value: boolean;
  readonly t: number;
}

/** A period during which one participant believed it led. `end` is Infinity while still leading. */
export interface Interval {
  readonly who: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Records the leadership streams of several participants in one process with `performance.now()` stamps,
 * so "never two leaders at once" is a check on intervals rather than on samples.
 */
export class LeadershipRecorder {
  readonly transitions: Transition[] = [];
  readonly #subscriptions: { unsubscribe(): void }[] = [];

  record(who: string, leadership$: Observable<boolean>): void {
    this.#subscriptions.push(
      leadership$.subscribe({
        next: (value) => this.transitions.push({ who, value, t: performance.now() }),
        // Completion (a silent close) ends a leadership interval too.
        complete: () => this.transitions.push({ who, value: false, t: performance.now() }),
      }),
    );
  }

  /**
   * Adds a transition seen outside this process's streams, stamped on the same `performance.now()` scale
   * (e.g. a Curator participant's, via `CuratorProcess.localTime`).
   */
  mark(who: string, value: boolean, t: number): void {
    this.transitions.push({ who, value, t });
  }

  /** Every leadership interval, ordered by start. */
  intervals(): Interval[] {
    const open = new Map<string, number>();
    const out: Interval[] = [];
    // Marked transitions may arrive after later local ones: order by stamp (a stable sort keeps ties).
    const byTime = [...this.transitions].sort((a, b) => a.t - b.t);
    for (const { who, value, t } of byTime) {
      const start = open.get(who);
      if (value && start === undefined) open.set(who, t);
      if (!value && start !== undefined) {
        out.push({ who, start, end: t });
        open.delete(who);
      }
    }
    for (const [who, start] of open) out.push({ who, start, end: Number.POSITIVE_INFINITY });
    return out.sort((a, b) => a.start - b.start);
  }

  /** Pairs of intervals that overlap (should be empty). */
  overlaps(): [Interval, Interval][] {
    const list = this.intervals();
    const bad: [Interval, Interval][] = [];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i];
        const b = list[j];
        if (a !== undefined && b !== undefined && b.start < a.end) bad.push([a, b]);
      }
    }
    return bad;
  }

  /** Who leads now according to the recorded streams. */
  currentLeaders(): string[] {
    return this.intervals()
      .filter((i) => i.end === Number.POSITIVE_INFINITY)
      .map((i) => i.who);
  }

  /** The first interval that starts at or after `t`. */
  firstStartAfter(t: number): Interval | undefined {
    return this.intervals().find((i) => i.start >= t);
  }

  stop(): void {
    for (const s of this.#subscriptions.splice(0)) s.unsubscribe();
  }
}

/** Curator's protected node name for a recipe name: `_c_<uuid>-<name><10 digits>`. */
export function protectedNamePattern(recipeName: string): RegExp {
  return new RegExp(
    `^_c_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-${recipeName}\\d{10}$`,
  );
}
