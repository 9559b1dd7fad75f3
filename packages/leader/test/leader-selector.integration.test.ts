import { InvalidArgumentError, NoNodeError } from '@zookit/client';
import type { ZkFramework } from '@zookit/framework';
import { test } from '@zookit/test-harness/vitest';
import { describe, expect, onTestFinished } from 'vitest';

import { LeaderSelector, LeadershipLostError, RecipeStateError } from '../src/index.js';
import type { LeaderSelectorOptions, LeadershipTerm } from '../src/index.js';
import { LeadershipRecorder, protectedNamePattern, startedFramework } from './helpers.js';

/** The election's contenders; the server reaps the empty container, so a missing node means none. */
async function contenders(zk: ZkFramework): Promise<string[]> {
  return zk.getChildren('/leader').catch((error: unknown) => {
    if (error instanceof NoNodeError) return [];
    throw error;
  });
}

async function framework(connectString: string): Promise<ZkFramework> {
  const zk = await startedFramework(connectString);
  onTestFinished(() => zk.close());
  return zk;
}

function selectorOf(
  zk: ZkFramework,
  options: LeaderSelectorOptions,
  path = '/leader',
): LeaderSelector {
  const selector = new LeaderSelector(zk, path, options);
  onTestFinished(() => selector.close());
  return selector;
}

/** A takeLeadership that holds until released by the test, recording what it was given. */
function heldTerms(): {
  take: LeaderSelectorOptions['takeLeadership'];
  terms: { term: LeadershipTerm; signal: AbortSignal }[];
  release: () => void;
} {
  const terms: { term: LeadershipTerm; signal: AbortSignal }[] = [];
  let release = (): void => undefined;
  return {
    terms,
    release: () => release(),
    take: (signal, term) =>
      new Promise<void>((resolve) => {
        terms.push({ term, signal });
        release = resolve;
        signal.addEventListener('abort', () => resolve(), { once: true });
      }),
  };
}

describe('LeaderSelector', () => {
  test('uses the mutex layout; the term runs until takeLeadership returns, then the next one leads', async ({
    connectString,
  }) => {
    const zk = await framework(connectString);
    const a = heldTerms();
    const b = heldTerms();
    const selA = selectorOf(zk, { id: 'sel-A', takeLeadership: a.take });
    const selB = selectorOf(zk, { id: 'sel-B', takeLeadership: b.take });
    const recorder = new LeadershipRecorder();
    recorder.record('A', selA.leadership$);
    recorder.record('B', selB.leadership$);
    await selA.start();
    await selA.awaitLeadership({ timeoutMs: 10_000 });
    await selB.start();
    await expect
      .poll(async () => (await selA.getParticipants()).map((p) => p.id), { timeout: 10_000 })
      .toEqual(['sel-A', 'sel-B']);

    const children = await zk.getChildren('/leader');
    for (const child of children) expect(child).toMatch(protectedNamePattern('lock-'));
    const termA = a.terms[0];
    expect(termA?.term.id).toBe('sel-A');
    const { data, stat } = await zk.getData(termA?.term.path ?? '');
    expect(data.toString('utf8')).toBe('sel-A');
    expect(termA?.term.fencingToken).toBe(stat.czxid);
    expect(selA.fencingToken).toBe(stat.czxid);
    expect(selB.hasLeadership()).toBe(false);

    a.release();
    await selB.awaitLeadership({ timeoutMs: 10_000 });
    expect(termA?.signal.aborted).toBe(true);
    expect((termA?.signal.reason as LeadershipLostError).reason).toBe('released');
    // No autoRequeue: A left the election after its term.
    expect((await selB.getParticipants()).map((p) => p.id)).toEqual(['sel-B']);
    expect(selA.requeue()).toBe(true);
    expect(selA.requeue()).toBe(false);
    await expect
      .poll(async () => (await selB.getParticipants()).map((p) => p.id), { timeout: 10_000 })
      .toEqual(['sel-B', 'sel-A']);
    b.release();
    await selA.awaitLeadership({ timeoutMs: 10_000 });
    expect(a.terms).toHaveLength(2);
    expect(recorder.overlaps()).toEqual([]);
    expect(recorder.intervals().map((i) => i.who)).toEqual(['A', 'B', 'A']);
    recorder.stop();
  });

  test('autoRequeue: participants take turns, one at a time', async ({ connectString }) => {
    const zk = await framework(connectString);
    const order: string[] = [];
    let active = 0;
    let maxActive = 0;
    const take = (name: string) => async (): Promise<void> => {
      active++;
      maxActive = Math.max(maxActive, active);
      order.push(name);
      await new Promise((r) => setImmediate(r));
      active--;
    };
    const sels = ['x', 'y', 'z'].map((name) =>
      selectorOf(zk, { id: name, autoRequeue: true, takeLeadership: take(name) }),
    );
    for (const s of sels) await s.start();
    await expect.poll(() => order.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(12);
    await Promise.all(sels.map((s) => s.close()));
    expect(maxActive).toBe(1);
    // After all three have queued, turns rotate strictly.
    const tail = order.slice(order.length - 9);
    for (let i = 3; i < tail.length; i++) expect(tail[i]).toBe(tail[i - 3]);
    expect(new Set(tail).size).toBe(3);
  });

  test('interruptLeadership aborts the term (reason interrupted) and autoRequeue queues again', async ({
    connectString,
  }) => {
    const zk = await framework(connectString);
    const a = heldTerms();
    const sel = selectorOf(zk, { id: 'solo', autoRequeue: true, takeLeadership: a.take });
    sel.interruptLeadership(); // not leading: nothing happens
    await sel.start();
    await sel.awaitLeadership({ timeoutMs: 10_000 });
    sel.interruptLeadership();
    await expect.poll(() => a.terms.length, { timeout: 10_000 }).toBe(2);
    expect((a.terms[0]?.signal.reason as LeadershipLostError).reason).toBe('interrupted');
    expect(a.terms[1]?.term.fencingToken).toBeGreaterThan(a.terms[0]?.term.fencingToken ?? 0n);
    expect(sel.diagnostics.terms).toBe(2);
  });

  test('close aborts the term (reason closed), waits for it and deletes the node', async ({
    connectString,
  }) => {
    const zk = await framework(connectString);
    let finished = false;
    let reason: unknown;
    const sel = selectorOf(zk, {
      id: 'closer',
      takeLeadership: async (signal) => {
        await new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => resolve(), { once: true }),
        );
        reason = signal.reason;
        finished = true;
      },
    });
    const values: boolean[] = [];
    let completed = false;
    sel.leadership$.subscribe({ next: (v) => values.push(v), complete: () => (completed = true) });
    await sel.start();
    await sel.awaitLeadership({ timeoutMs: 10_000 });
    await sel.close();
    expect(finished).toBe(true);
    expect(reason).toBeInstanceOf(LeadershipLostError);
    expect((reason as LeadershipLostError).reason).toBe('closed');
    expect(values).toEqual([false, true, false]);
    expect(completed).toBe(true);
    expect(sel.hasLeadership()).toBe(false);
    expect(await contenders(zk)).toEqual([]);
    expect(() => sel.requeue()).toThrow(RecipeStateError);
  });

  test('a throwing takeLeadership goes to errors$ and still releases leadership', async ({
    connectString,
  }) => {
    const zk = await framework(connectString);
    const errors: Error[] = [];
    const sel = selectorOf(zk, {
      id: 'thrower',
      takeLeadership: () => {
        throw new Error('boom');
      },
    });
    sel.errors$.subscribe((e) => errors.push(e));
    await sel.start();
    await expect.poll(() => errors.map((e) => e.message), { timeout: 10_000 }).toEqual(['boom']);
    await expect.poll(() => contenders(zk), { timeout: 10_000 }).toEqual([]);
    expect(sel.hasLeadership()).toBe(false);
  });

  test.for([
    ['without an id', {}],
    ["with id ''", { id: '' }],
  ] as const)(
    "%s the node holds the local IP address (Curator's default data: an empty id writes no lock bytes)",
    async ([, idOption], { connectString }) => {
      const zk = await framework(connectString);
      const a = heldTerms();
      const sel = selectorOf(zk, { takeLeadership: a.take, ...idOption });
      await sel.start();
      await sel.awaitLeadership({ timeoutMs: 10_000 });
      expect(sel.id).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      const [node] = await contenders(zk);
      const { data } = await zk.getData(`/leader/${node ?? ''}`);
      expect(data.toString('utf8')).toBe(sel.id);
      expect((await sel.getLeader()).id).toBe(sel.id);
    },
  );

  test('rejects bad options with the field name', ({ connectString }) => {
    const fake = {} as ZkFramework;
    expect(connectString).toContain('/t-');
    const missing = (() => {
      try {
        return new LeaderSelector(fake, '/p', {} as LeaderSelectorOptions);
      } catch (e) {
        return e;
      }
    })();
    expect(missing).toBeInstanceOf(InvalidArgumentError);
    expect(missing).toMatchObject({ field: 'takeLeadership' });
    expect(
      () =>
        new LeaderSelector(fake, '/p', {
          takeLeadership: () => undefined,
          autoRequeue: 'yes' as unknown as boolean,
        }),
    ).toThrow(expect.objectContaining({ field: 'autoRequeue' }) as Error);
  });
});
