/**
 * Test timing that scales with the machine: every wait derives from `ZK_TEST_TIME_MULTIPLIER` (Curator's
 * `Timing`), so a slow CI box raises one number instead of editing timeouts.
 */

/**
 * The factor every timeout is multiplied by: `ZK_TEST_TIME_MULTIPLIER` (a positive number), default 1.
 *
 * @example
 * ```ts
 * process.env.ZK_TEST_TIME_MULTIPLIER = '3';
 * timeMultiplier(); // 3
 * ```
 */
export function timeMultiplier(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['ZK_TEST_TIME_MULTIPLIER'];
  if (raw === undefined || raw.trim() === '') return 1;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(
      `ZK_TEST_TIME_MULTIPLIER must be a positive number, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

/**
 * Scales a base duration by {@link timeMultiplier}.
 *
 * @example
 * ```ts
 * await vi.waitFor(check, { timeout: scaledMs(5_000) });
 * ```
 */
export function scaledMs(baseMs: number): number {
  return Math.round(baseMs * timeMultiplier());
}

/**
 * Options of {@link waitFor}.
 *
 * @example
 * ```ts
 * const options: WaitForOptions = { timeoutMs: scaledMs(5_000), message: 'leader elected' };
 * ```
 */
export interface WaitForOptions {
  /** Give up after this long (already scaled by the caller if wanted). Default `scaledMs(10_000)`. */
  readonly timeoutMs?: number;
  /** Pause between two checks. Default 50 ms. */
  readonly intervalMs?: number;
  /** Describes the awaited state in the timeout error. */
  readonly message?: string;
  /** Stops waiting early. */
  readonly signal?: AbortSignal;
}

/**
 * Polls `predicate` until it returns a truthy value (or a promise of one), and resolves with that value.
 * A predicate that throws counts as "not yet"; the last error is the timeout error's cause.
 *
 * @example
 * ```ts
 * const mode = await waitFor(() => serverMode('127.0.0.1', port), { timeoutMs: 5_000, message: 'server up' });
 * ```
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? scaledMs(10_000);
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const value = await predicate();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${options.message ?? 'condition'}`,
        {
          cause: lastError,
        },
      );
    }
    await new Promise<void>((resolve) =>
      setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))),
    );
  }
}

/**
 * Timing helpers bundled for fixtures: `timing.ms(5_000)` is a scaled duration.
 *
 * @example
 * ```ts
 * expect.poll(() => seen, { timeout: timing.ms(5_000) }).toBe(true);
 * ```
 */
export const timing = {
  /** The current multiplier. */
  get multiplier(): number {
    return timeMultiplier();
  },
  /** A base duration scaled by the multiplier. */
  ms: scaledMs,
  /** {@link waitFor}. */
  waitFor,
} as const;
