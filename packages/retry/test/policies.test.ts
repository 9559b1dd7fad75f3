import {
  ConnectionLossError,
  InvalidArgumentError,
  NoNodeError,
  OperationTimeoutError,
  SessionExpiredError,
  SessionMovedError,
} from '@zookit/client';
import { describe, expect, it } from 'vitest';

import {
  BoundedExponentialBackoffRetry,
  ExponentialBackoffRetry,
  isRetryableError,
  MAX_RETRIES_LIMIT,
  RetryForever,
  RetryNTimes,
  RetryOneTime,
  RetryUntilElapsed,
  SessionFailedRetryPolicy,
} from '../src/index.js';

/** A random source that returns the given values in turn. */
function scripted(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
}

describe('ExponentialBackoffRetry', () => {
  it('sleeps exactly base on the first retry, whatever the random draw', () => {
    for (const r of [0, 0.49, 0.5, 0.99]) {
      const p = new ExponentialBackoffRetry({ baseSleepMs: 100, maxRetries: 3, random: () => r });
      expect(p.allowRetry(0, 0)).toEqual({ retry: true, sleepMs: 100 });
    }
  });

  it('multiplies base by max(1, nextInt(2^(r+1)))', () => {
    // r = 1: nextInt(4) in {0,1,2,3} -> factors {1,1,2,3}
    const factors = [0, 0.25, 0.5, 0.75].map(
      (x) =>
        new ExponentialBackoffRetry({ baseSleepMs: 10, maxRetries: 5, random: () => x }).allowRetry(
          1,
          0,
        ).sleepMs,
    );
    expect(factors).toEqual([10, 10, 20, 30]);
    // r = 4: nextInt(32), the largest draw is 31
    const p = new ExponentialBackoffRetry({
      baseSleepMs: 10,
      maxRetries: 5,
      random: () => 0.999999,
    });
    expect(p.allowRetry(4, 0).sleepMs).toBe(310);
  });

  it('caps the sleep at maxSleepMs', () => {
    const p = new ExponentialBackoffRetry({
      baseSleepMs: 100,
      maxRetries: 10,
      maxSleepMs: 250,
      random: () => 0.99,
    });
    expect(p.allowRetry(5, 0).sleepMs).toBe(250);
  });

  it('stops after maxRetries and clamps maxRetries to 29', () => {
    const p = new ExponentialBackoffRetry({ baseSleepMs: 1, maxRetries: 2, random: scripted(0) });
    expect(p.allowRetry(1, 0).retry).toBe(true);
    expect(p.allowRetry(2, 0).retry).toBe(false);
    const big = new ExponentialBackoffRetry({ baseSleepMs: 1, maxRetries: 1000 });
    expect(big.maxRetries).toBe(MAX_RETRIES_LIMIT);
    expect(big.allowRetry(28, 0).retry).toBe(true);
    expect(big.allowRetry(29, 0).retry).toBe(false);
  });

  it('ignores elapsed time', () => {
    const p = new ExponentialBackoffRetry({ baseSleepMs: 1, maxRetries: 1 });
    expect(p.allowRetry(0, 1e9).retry).toBe(true);
  });

  it('rejects bad options with InvalidArgumentError naming the field', () => {
    const bad = (o: unknown) => () => new ExponentialBackoffRetry(o as never);
    expect(bad({ baseSleepMs: -1, maxRetries: 1 })).toThrow(InvalidArgumentError);
    try {
      bad({ baseSleepMs: 1, maxRetries: 1.5 })();
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidArgumentError);
      expect((e as InvalidArgumentError).field).toBe('maxRetries');
    }
    try {
      bad({ baseSleepMs: 'x', maxRetries: 1 })();
      expect.unreachable();
    } catch (e) {
      expect((e as InvalidArgumentError).field).toBe('baseSleepMs');
    }
  });
});

describe('BoundedExponentialBackoffRetry', () => {
  it('is the exponential sleep bounded by maxSleepMs', () => {
    const p = new BoundedExponentialBackoffRetry({
      baseSleepMs: 100,
      maxSleepMs: 300,
      maxRetries: 5,
      random: () => 0.99,
    });
    expect(p.allowRetry(0, 0).sleepMs).toBe(100);
    expect(p.allowRetry(1, 0).sleepMs).toBe(300);
    expect(p.allowRetry(4, 0).sleepMs).toBe(300);
    expect(p.allowRetry(5, 0).retry).toBe(false);
  });

  it('names the missing field', () => {
    expect(
      () => new BoundedExponentialBackoffRetry({ baseSleepMs: 1, maxRetries: 1 } as never),
    ).toThrow(/maxSleepMs/);
  });
});

describe('RetryNTimes / RetryOneTime', () => {
  it('allows exactly n retries with a fixed sleep', () => {
    const p = new RetryNTimes({ maxRetries: 3, sleepMs: 50 });
    expect([0, 1, 2, 3].map((r) => p.allowRetry(r, 0))).toEqual([
      { retry: true, sleepMs: 50 },
      { retry: true, sleepMs: 50 },
      { retry: true, sleepMs: 50 },
      { retry: false, sleepMs: 0 },
    ]);
  });

  it('RetryOneTime is RetryNTimes(1)', () => {
    const p = new RetryOneTime({ sleepMs: 7 });
    expect(p.allowRetry(0, 0)).toEqual({ retry: true, sleepMs: 7 });
    expect(p.allowRetry(1, 0).retry).toBe(false);
  });
});

describe('RetryUntilElapsed', () => {
  it('retries while elapsed < max, and the refusal still costs one sleep (Curator quirk)', () => {
    const p = new RetryUntilElapsed({ maxElapsedMs: 1000, sleepMs: 100 });
    expect(p.allowRetry(50, 999)).toEqual({ retry: true, sleepMs: 100 });
    expect(p.allowRetry(51, 1000)).toEqual({ retry: false, sleepMs: 100 });
  });
});

describe('RetryForever', () => {
  it('always retries and requires intervalMs > 0', () => {
    const p = new RetryForever({ intervalMs: 10 });
    expect(p.allowRetry()).toEqual({ retry: true, sleepMs: 10 });
    expect(() => new RetryForever({ intervalMs: 0 })).toThrow(InvalidArgumentError);
  });
});

describe('retryable errors', () => {
  it('follows Curator: connection loss, operation timeout, session moved and session expired', () => {
    expect(isRetryableError(new ConnectionLossError())).toBe(true);
    expect(isRetryableError(new OperationTimeoutError())).toBe(true);
    expect(isRetryableError(new SessionMovedError())).toBe(true);
    expect(isRetryableError(new SessionExpiredError())).toBe(true);
    expect(isRetryableError(new NoNodeError())).toBe(false);
    expect(isRetryableError(new Error('x'))).toBe(false);
  });

  it('SessionFailedRetryPolicy never retries session expiry and delegates the rest', () => {
    const delegate = new RetryNTimes({ maxRetries: 2, sleepMs: 5 });
    const p = new SessionFailedRetryPolicy(delegate);
    expect(p.allowRetryOnError(new SessionExpiredError())).toBe(false);
    expect(p.allowRetryOnError(new ConnectionLossError())).toBe(true);
    expect(p.allowRetry(1, 0)).toEqual({ retry: true, sleepMs: 5 });
    expect(p.allowRetry(2, 0).retry).toBe(false);
    expect(() => new SessionFailedRetryPolicy({} as never)).toThrow(InvalidArgumentError);
  });
});
