import type { ZkFramework } from '@zookit/framework';
import { CuratorProcess } from '@zookit/test-harness';
import type { CuratorEvent } from '@zookit/test-harness';
import { test } from '@zookit/test-harness/vitest';
import { describe, expect, onTestFinished } from 'vitest';

import { LeaderLatch, LeaderSelector } from '../src/index.js';
import type { LeadershipTerm } from '../src/index.js';
import { LeadershipRecorder, protectedNamePattern, startedFramework } from './helpers.js';

async function framework(connectString: string): Promise<ZkFramework> {
  const zk = await startedFramework(connectString);
  onTestFinished(() => zk.close());
  return zk;
}

async function curator(connectString: string): Promise<CuratorProcess> {
  const process = await CuratorProcess.start({ connectString, sessionTimeoutMs: 10_000 });
  onTestFinished(() => process.close());
  return process;
}

/** Waits for a Curator event and returns it with the local `performance.now()` at which it arrived. */
async function arrival(
  java: CuratorProcess,
  predicate: (e: CuratorEvent) => boolean,
  from: number,
): Promise<{ event: CuratorEvent; at: number }> {
  let at = Number.NaN;
  const event = await java.waitFor(
    (e) => {
      const hit = predicate(e);
      if (hit && Number.isNaN(at)) at = performance.now();
      return hit;
    },
    30_000,
    from,
  );
  return { event, at };
}

const leaderEvent = (name: string, isLeader: boolean) => (e: CuratorEvent) =>
  e.ev === 'leader' && e.name === name && e.isLeader === isLeader;

describe('interop with Curator 5.4 (real JVM)', () => {
  test("LeaderLatch: one group with Curator's LeaderLatch, leadership passes both ways, never two leaders", async ({
    connectString,
  }) => {
    const zk = await framework(connectString);
    const java = await curator(connectString);
    const recorder = new LeadershipRecorder();
    const ts1 = new LeaderLatch(zk, '/election', { id: 'ts-1' });
    const ts2 = new LeaderLatch(zk, '/election', { id: 'ts-2' });
    onTestFinished(() => ts1.close());
    onTestFinished(() => ts2.close());
    recorder.record('ts-1', ts1.leadership$);
    recorder.record('ts-2', ts2.leadership$);

    await ts1.start();
    await ts1.awaitLeadership({ timeoutMs: 10_000 });
    java.send('latch', 'j1', '/election', 'java-1');
    await java.waitFor((e) => e.ev === 'started' && e.name === 'j1');
    await expect
      .poll(async () => (await ts1.getParticipants()).length, { timeout: 10_000 })
      .toBe(2);
    await ts2.start();
    await expect
      .poll(async () => (await ts1.getParticipants()).map((p) => `${p.id}:${p.isLeader}`), {
        timeout: 10_000,
      })
      .toEqual(['ts-1:true', 'java-1:false', 'ts-2:false']);
    for (const child of await zk.getChildren('/election'))
      expect(child).toMatch(protectedNamePattern('latch-'));

    // TypeScript → Java.
    const mark = java.events.length;
    const closedTs1At = performance.now();
    await ts1.close();
    const javaLeads = await arrival(java, leaderEvent('j1', true), mark);
    expect(javaLeads.at).toBeGreaterThan(closedTs1At);
    expect(ts2.hasLeadership()).toBe(false);
    expect((await ts2.getLeader()).id).toBe('java-1');

    // Java → TypeScript: ts-2 may lead only after Curator was told to close.
    const askedJavaToCloseAt = performance.now();
    java.send('latch-close', 'j1');
    await ts2.awaitLeadership({ timeoutMs: 10_000 });
    expect(recorder.intervals().find((i) => i.who === 'ts-2')?.start).toBeGreaterThan(
      askedJavaToCloseAt,
    );

    // And once more, TypeScript → Java with a fresh Curator latch behind ts-2.
    java.send('latch', 'j2', '/election', 'java-2');
    await expect
      .poll(async () => (await ts2.getParticipants()).map((p) => p.id), { timeout: 10_000 })
      .toEqual(['ts-2', 'java-2']);
    const mark2 = java.events.length;
    const closedTs2At = performance.now();
    await ts2.close();
    const javaLeadsAgain = await arrival(java, leaderEvent('j2', true), mark2);
    expect(javaLeadsAgain.at).toBeGreaterThan(closedTs2At);

    expect(recorder.overlaps()).toEqual([]);
    expect(recorder.intervals().map((i) => i.who)).toEqual(['ts-1', 'ts-2']);
    // Curator's latches each led exactly once, and j1 never led before ts-1 closed.
    expect(java.events.filter(leaderEvent('j1', true))).toHaveLength(1);
    expect(java.events.filter(leaderEvent('j2', true))).toHaveLength(1);
    expect(java.events.slice(0, mark).some(leaderEvent('j1', true))).toBe(false);
    java.send('latch-close', 'j2');
    await java.waitFor((e) => e.ev === 'closed' && e.name === 'j2');
  });

  test("LeaderSelector: one group with Curator's LeaderSelector, leadership passes both ways", async ({
    connectString,
  }) => {
    const zk = await framework(connectString);
    const java = await curator(connectString);
    const terms: { term: LeadershipTerm; startedAt: number }[] = [];
    let release = (): void => undefined;
    const selector = new LeaderSelector(zk, '/leader', {
      id: 'ts-sel',
      takeLeadership: (signal, term) =>
        new Promise<void>((resolve) => {
          terms.push({ term, startedAt: performance.now() });
          release = resolve;
          signal.addEventListener('abort', () => resolve(), { once: true });
        }),
    });
    onTestFinished(() => selector.close());
    await selector.start();
    await selector.awaitLeadership({ timeoutMs: 10_000 });

    java.send('selector', 's1', '/leader', 'java-sel');
    await java.waitFor((e) => e.ev === 'started' && e.name === 's1');
    await expect
      .poll(async () => (await selector.getParticipants()).map((p) => `${p.id}:${p.isLeader}`), {
        timeout: 10_000,
      })
      .toEqual(['ts-sel:true', 'java-sel:false']);
    for (const child of await zk.getChildren('/leader'))
      expect(child).toMatch(protectedNamePattern('lock-'));

    // TypeScript → Java: the term ends when takeLeadership returns.
    const mark = java.events.length;
    const releasedAt = performance.now();
    release();
    const javaLeads = await arrival(java, leaderEvent('s1', true), mark);
    expect(javaLeads.at).toBeGreaterThan(releasedAt);
    expect(selector.hasLeadership()).toBe(false);
    expect(java.events.slice(0, mark).some(leaderEvent('s1', true))).toBe(false);

    // Java → TypeScript: Curator's term ends, it re-queues behind us (autoRequeue on its side).
    expect(selector.requeue()).toBe(true);
    await expect
      .poll(async () => (await selector.getParticipants()).map((p) => p.id), { timeout: 10_000 })
      .toEqual(['java-sel', 'ts-sel']);
    const askedJavaAt = performance.now();
    java.send('selector-release', 's1');
    await selector.awaitLeadership({ timeoutMs: 10_000 });
    expect(terms).toHaveLength(2);
    expect(terms[1]?.startedAt).toBeGreaterThan(askedJavaAt);
    await java.waitFor(leaderEvent('s1', false), 10_000, mark);
    await expect
      .poll(async () => (await selector.getParticipants()).map((p) => `${p.id}:${p.isLeader}`), {
        timeout: 10_000,
      })
      .toEqual(['ts-sel:true', 'java-sel:false']);
    java.send('selector-close', 's1');
    await java.waitFor((e) => e.ev === 'closed' && e.name === 's1');
  });
});
