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

const leaderEvent = (name: string, isLeader: boolean) => (e: CuratorEvent) =>
  e.ev === 'leader' && e.name === name && e.isLeader === isLeader;

const closedEvent = (name: string) => (e: CuratorEvent) => e.ev === 'closed' && e.name === name;

/**
 * Adds a Curator participant's leadership to `recorder`, stamped by the JVM itself (not when the line
 * reached us): its listener's `isLeader` / `notLeader`, and the end of a silent close (`closed` with
 * `wasLeader`): the moment it called `close()`. Curator's `close()` sends the delete of its node before
 * clearing its own flag, so a stamp taken after `close()` returned can follow the successor's start by
 * a scheduling delay; no successor can start before the call (the node still exists until then).
 */
function markCurator(
  recorder: LeadershipRecorder,
  java: CuratorProcess,
  name: string,
  who: string,
): void {
  for (const e of java.events) {
    if (e.name !== name) continue;
    if (e.ev === 'leader' && typeof e['isLeader'] === 'boolean')
      recorder.mark(who, e['isLeader'], java.localTime(e));
    if (e.ev === 'closed' && e['wasLeader'] === true && typeof e['closeCalledT'] === 'number')
      recorder.mark(who, false, java.localTime(e['closeCalledT']));
  }
}

/**
 * The JVM's stamps are on our clock: none is earlier than the JVM's spawn or later than its arrival here.
 * If this failed, the Curator intervals would be misplaced and the overlap check meaningless.
 */
function expectSharedClock(java: CuratorProcess, spawnedAfter: number): void {
  expect(java.events.length).toBeGreaterThan(0);
  java.events.forEach((e, i) => {
    expect(java.localTime(e)).toBeGreaterThan(spawnedAfter);
    expect(java.localTime(e)).toBeLessThanOrEqual(java.arrivedAt[i] ?? Number.NEGATIVE_INFINITY);
  });
}

describe('interop with Curator 5.4 (real JVM)', () => {
  test("LeaderLatch: one group with Curator's LeaderLatch, leadership passes both ways, never two leaders", async ({
    connectString,
  }) => {
    const zk = await framework(connectString);
    const spawnedAfter = performance.now();
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
    await ts1.close();
    await java.waitFor(leaderEvent('j1', true), 30_000, mark);
    expect(ts2.hasLeadership()).toBe(false);
    expect((await ts2.getLeader()).id).toBe('java-1');

    // Java → TypeScript.
    java.send('latch-close', 'j1');
    await ts2.awaitLeadership({ timeoutMs: 10_000 });
    await java.waitFor(closedEvent('j1'));

    // And once more, TypeScript → Java with a fresh Curator latch behind ts-2.
    java.send('latch', 'j2', '/election', 'java-2');
    await expect
      .poll(async () => (await ts2.getParticipants()).map((p) => p.id), { timeout: 10_000 })
      .toEqual(['ts-2', 'java-2']);
    const mark2 = java.events.length;
    await ts2.close();
    await java.waitFor(leaderEvent('j2', true), 30_000, mark2);
    java.send('latch-close', 'j2');
    await java.waitFor(closedEvent('j2'));

    // Never two leaders, on one timeline: zookit's streams and Curator's own transitions.
    expectSharedClock(java, spawnedAfter);
    markCurator(recorder, java, 'j1', 'java-1');
    markCurator(recorder, java, 'j2', 'java-2');
    expect(recorder.overlaps()).toEqual([]);
    expect(recorder.intervals().map((i) => i.who)).toEqual(['ts-1', 'java-1', 'ts-2', 'java-2']);
    expect(recorder.currentLeaders()).toEqual([]);
    // Curator's latches each led exactly once, ended by the close (wasLeader).
    expect(java.events.filter(leaderEvent('j1', true))).toHaveLength(1);
    expect(java.events.filter(leaderEvent('j2', true))).toHaveLength(1);
    expect(java.events.filter((e) => e.ev === 'closed').map((e) => e['wasLeader'])).toEqual([
      true,
      true,
    ]);
  });

  test("LeaderSelector: one group with Curator's LeaderSelector, leadership passes both ways", async ({
    connectString,
  }) => {
    const zk = await framework(connectString);
    const spawnedAfter = performance.now();
    const java = await curator(connectString);
    const recorder = new LeadershipRecorder();
    const terms: LeadershipTerm[] = [];
    let release = (): void => undefined;
    const selector = new LeaderSelector(zk, '/leader', {
      id: 'ts-sel',
      takeLeadership: (signal, term) =>
        new Promise<void>((resolve) => {
          terms.push(term);
          release = resolve;
          signal.addEventListener('abort', () => resolve(), { once: true });
        }),
    });
    onTestFinished(() => selector.close());
    recorder.record('ts-sel', selector.leadership$);
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
    release();
    await java.waitFor(leaderEvent('s1', true), 30_000, mark);
    expect(selector.hasLeadership()).toBe(false);

    // Java → TypeScript: Curator's term ends, it re-queues behind us (autoRequeue on its side).
    expect(selector.requeue()).toBe(true);
    await expect
      .poll(async () => (await selector.getParticipants()).map((p) => p.id), { timeout: 10_000 })
      .toEqual(['java-sel', 'ts-sel']);
    java.send('selector-release', 's1');
    await selector.awaitLeadership({ timeoutMs: 10_000 });
    expect(terms).toHaveLength(2);
    await java.waitFor(leaderEvent('s1', false), 10_000, mark);
    await expect
      .poll(async () => (await selector.getParticipants()).map((p) => `${p.id}:${p.isLeader}`), {
        timeout: 10_000,
      })
      .toEqual(['ts-sel:true', 'java-sel:false']);
    java.send('selector-close', 's1');
    await java.waitFor(closedEvent('s1'));

    // Never two leaders: Curator's takeLeadership (stamped in the JVM) against ours.
    expectSharedClock(java, spawnedAfter);
    markCurator(recorder, java, 's1', 'java-sel');
    expect(recorder.overlaps()).toEqual([]);
    expect(recorder.intervals().map((i) => i.who)).toEqual(['ts-sel', 'java-sel', 'ts-sel']);
    expect(recorder.currentLeaders()).toEqual(['ts-sel']);
  });
});
