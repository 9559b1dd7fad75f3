import { ConnectionLossError, NoNodeError, SessionExpiredError } from '@zookit/client';
import { describe, expect, it } from 'vitest';

import {
  RetriesExhaustedError,
  RetryForever,
  RetryNTimes,
  SessionFailedRetryPolicy,
  withRetry,
} from '../src/index.js';
import type { RetryInfo } from '../src/index.js';

describe('withRetry', () => {
  it('returns the first success', async () => {
    let calls = 0;
    const result = await withRetry(new RetryNTimes({ maxRetries: 3, sleepMs: 0 }), () => {
      calls++;
      if (calls < 3) throw new ConnectionLossError();
      return Promise.resolve('ok');
    });
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('makes n + 1 attempts, then throws RetriesExhaustedError with attempts, elapsed and cause', async () => {
    let calls = 0;
    const infos: RetryInfo[] = [];
    const err = await withRetry(
      new RetryNTimes({ maxRetries: 2, sleepMs: 1 }),
      () => {
        calls++;
        throw new ConnectionLossError({ path: '/a' });
      },
      { onRetry: (i) => infos.push(i) },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    const e = err as RetriesExhaustedError;
    expect(e.attempts).toBe(3);
    expect(e.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(e.cause).toBeInstanceOf(ConnectionLossError);
    expect(e.outcomeUnknown).toBe(true);
    expect(e.path).toBe('/a');
    expect(calls).toBe(3);
    expect(infos.map((i) => i.retryCount)).toEqual([0, 1]);
    expect(infos.every((i) => i.sleepMs === 1)).toBe(true);
  });

  it('re-throws a non-retryable error at once', async () => {
    let calls = 0;
    const err = await withRetry(new RetryNTimes({ maxRetries: 5, sleepMs: 0 }), () => {
      calls++;
      throw new NoNodeError({ path: '/x' });
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoNodeError);
    expect(calls).toBe(1);
  });

  it('retries session expiry except under SessionFailedRetryPolicy', async () => {
    let calls = 0;
    const failing = () => {
      calls++;
      if (calls === 1) throw new SessionExpiredError();
      return Promise.resolve(calls);
    };
    expect(await withRetry(new RetryNTimes({ maxRetries: 1, sleepMs: 0 }), failing)).toBe(2);
    calls = 0;
    const policy = new SessionFailedRetryPolicy(new RetryNTimes({ maxRetries: 1, sleepMs: 0 }));
    await expect(withRetry(policy, failing)).rejects.toBeInstanceOf(SessionExpiredError);
    expect(calls).toBe(1);
  });

  it('stops on abort during the sleep and rejects with the abort reason', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    let calls = 0;
    const p = withRetry(
      new RetryForever({ intervalMs: 60_000 }),
      () => {
        calls++;
        throw new ConnectionLossError();
      },
      { signal: controller.signal, onRetry: () => queueMicrotask(() => controller.abort(reason)) },
    );
    await expect(p).rejects.toBe(reason);
    expect(calls).toBe(1);
  });

  it('does not start when the signal is already aborted', async () => {
    let calls = 0;
    const reason = new Error('early');
    await expect(
      withRetry(new RetryNTimes({ maxRetries: 1, sleepMs: 0 }), () => ++calls, {
        signal: AbortSignal.abort(reason),
      }),
    ).rejects.toBe(reason);
    expect(calls).toBe(0);
  });

  it('passes the attempt number and signal to fn, and ignores a throwing onRetry', async () => {
    const seen: number[] = [];
    const signal = new AbortController().signal;
    const result = await withRetry(
      new RetryNTimes({ maxRetries: 2, sleepMs: 0 }),
      ({ attempt, signal: s }) => {
        expect(s).toBe(signal);
        seen.push(attempt);
        if (attempt < 2) throw new ConnectionLossError();
        return 'done';
      },
      {
        signal,
        onRetry: () => {
          throw new Error('hook');
        },
      },
    );
    expect(result).toBe('done');
    expect(seen).toEqual([1, 2]);
  });

  it('maps every attempt error before the policy judges it', async () => {
    let calls = 0;
    const result = await withRetry(
      new RetryNTimes({ maxRetries: 2, sleepMs: 0 }),
      () => {
        calls++;
        if (calls < 3) throw new Error('transport hiccup');
        return 'ok';
      },
      { mapError: (e) => new ConnectionLossError({ cause: e }) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    const err = await withRetry(
      new RetryNTimes({ maxRetries: 0, sleepMs: 0 }),
      () => Promise.reject(new Error('x')),
      {
        mapError: (e) => new NoNodeError({ cause: e }),
      },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoNodeError);
  });
});
