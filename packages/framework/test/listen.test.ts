import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';

import { listen } from '../src/recipe-kit/index.js';

describe('listen', () => {
  it('calls the listener per value and sends what it throws to report', () => {
    const source = new Subject<number>();
    const seen: number[] = [];
    const reported: unknown[] = [];
    listen(
      source,
      (v) => {
        seen.push(v);
        if (v === 2) throw new Error('two');
      },
      (e) => reported.push(e),
    );
    source.next(1);
    source.next(2);
    source.next(3);
    expect(seen).toEqual([1, 2, 3]);
    expect(reported.map((e) => (e as Error).message)).toEqual(['two']);
  });

  it('stops on unsubscribe and on abort, leaving no listener on the signal', () => {
    const source = new Subject<number>();
    const seen: number[] = [];
    const controller = new AbortController();
    let added = 0;
    let removed = 0;
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = (...args: Parameters<typeof add>) => {
      added++;
      add(...args);
    };
    signal.removeEventListener = (...args: Parameters<typeof remove>) => {
      removed++;
      remove(...args);
    };
    const unsubscribe = listen(
      source,
      (v) => seen.push(v),
      () => undefined,
      signal,
    );
    source.next(1);
    unsubscribe();
    source.next(2);
    expect(seen).toEqual([1]);
    expect([added, removed]).toEqual([1, 1]);

    listen(
      source,
      (v) => seen.push(v),
      () => undefined,
      signal,
    );
    controller.abort();
    source.next(3);
    expect(seen).toEqual([1]);
  });

  it('does not subscribe at all when the signal is already aborted', () => {
    const source = new Subject<number>();
    const seen: number[] = [];
    listen(
      source,
      (v) => seen.push(v),
      () => undefined,
      AbortSignal.abort(),
    );
    source.next(1);
    expect(seen).toEqual([]);
    expect(source.observed).toBe(false);
  });
});
