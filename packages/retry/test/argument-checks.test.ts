import { InvalidArgumentError } from '@zookit/client';
import { describe, expect, it } from 'vitest';

import {
  BoundedExponentialBackoffRetry,
  ExponentialBackoffRetry,
  RetryForever,
  RetryNTimes,
  RetryOneTime,
  RetryUntilElapsed,
  withRetry,
} from '../src/index.js';

/** The InvalidArgumentError `run` throws (or rejects with); fails the test if it is anything else. */
async function invalid(run: () => unknown): Promise<InvalidArgumentError> {
  let caught: unknown;
  try {
    await run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidArgumentError);
  return caught as InvalidArgumentError;
}

describe('retry policies refuse unknown option keys, naming the key', () => {
  const cases: [string, () => unknown, string][] = [
    [
      'RetryNTimes',
      () => new RetryNTimes({ maxRetries: 1, sleepMs: 0, sleep: 5 } as never),
      'sleep',
    ],
    ['RetryOneTime', () => new RetryOneTime({ sleepMs: 0, maxRetries: 1 } as never), 'maxRetries'],
    [
      'RetryForever',
      () => new RetryForever({ intervalMs: 1, intervalMS: 2 } as never),
      'intervalMS',
    ],
    [
      'RetryUntilElapsed',
      () => new RetryUntilElapsed({ maxElapsedMs: 1, sleepMs: 0, maxElapsed: 1 } as never),
      'maxElapsed',
    ],
    [
      'ExponentialBackoffRetry',
      () => new ExponentialBackoffRetry({ baseSleepMs: 1, maxRetries: 1, maxSleep: 9 } as never),
      'maxSleep',
    ],
    [
      'BoundedExponentialBackoffRetry',
      () =>
        new BoundedExponentialBackoffRetry({
          baseSleepMs: 1,
          maxSleepMs: 9,
          maxRetries: 1,
          jitter: true,
        } as never),
      'jitter',
    ],
  ];
  it.each(cases)('%s', async (owner, make, field) => {
    const e = await invalid(make);
    expect(e.field).toBe(field);
    expect(e.message).toContain(owner);
  });
});

describe('withRetry checks its arguments before the first attempt', () => {
  const policy = new RetryNTimes({ maxRetries: 1, sleepMs: 0 });
  const cases: [string, unknown, unknown, unknown, string][] = [
    ['null policy', null, () => 1, {}, 'policy'],
    [
      'policy without allowRetryOnError',
      { allowRetry: () => ({ retry: false, sleepMs: 0 }) },
      () => 1,
      {},
      'policy',
    ],
    ['fn not a function', policy, 'nope', {}, 'fn'],
    ['options not an object', policy, () => 1, 5, 'options'],
    ['unknown option key', policy, () => 1, { onretry: () => undefined }, 'onretry'],
    ['signal not an AbortSignal', policy, () => 1, { signal: {} }, 'signal'],
    ['onRetry not a function', policy, () => 1, { onRetry: 1 }, 'onRetry'],
    ['mapError not a function', policy, () => 1, { mapError: 'x' }, 'mapError'],
  ];
  it.each(cases)('%s', async (_name, p, fn, options, field) => {
    let attempts = 0;
    const counted =
      typeof fn === 'function'
        ? () => {
            attempts++;
            return (fn as () => unknown)();
          }
        : fn;
    const e = await invalid(() => withRetry(p as never, counted as never, options as never));
    expect(e.field).toBe(field);
    expect(attempts).toBe(0); // refused up front, not on the first retry
  });

  it('still runs with valid arguments', async () => {
    await expect(withRetry(policy, () => Promise.resolve(7), { signal: undefined })).resolves.toBe(
      7,
    );
  });
});
