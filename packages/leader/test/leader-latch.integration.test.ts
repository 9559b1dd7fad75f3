import { InvalidArgumentError, InvalidPathError, nodeName } from '@zookit/client';
import type { ZkFramework } from '@zookit/framework';
import { test } from '@zookit/test-harness/vitest';
import { describe, expect, onTestFinished } from 'vitest';

import { LeaderLatch, LeadershipTimeoutError, RecipeStateError } from '../src/index.js';
import { LeadershipRecorder, protectedNamePattern, startedFramework } from './helpers.js';

async function framework(connectString: string): Promise<ZkFramework> {
  const zk = await startedFramework(connectString);
  onTestFinished(() => zk.close());
  return zk;
}

function latchOf(zk: ZkFramework, id: string, path = '/election'): LeaderLatch {
  const latch = new LeaderLatch(zk, path, { id });
  onTestFinished(() => latch.close());
  return latch;
}

describe('LeaderLatch', () => {
  test("writes Curator's layout and the first participant leads, with its czxid as fencing token", async ({
    connectString,
  }) => {
    const zk = await framework(connectString);
    const a = latchOf(zk, 'node-A');
    const b = latchOf(zk, 'node-B');
    await a.start();
    await a.awaitLeadership({ timeoutMs: 10_000 });
    await b.start();
    await expect.poll(async () => (await b.getParticipants()).length, { timeout: 10_000 }).toBe(2);

    const children = await zk.getChildren('/election');
    expect(children).toHaveLength(2);
    for (const child of children) expect(child).toMatch(protectedNamePattern('latch-'));
    const aNode = a.ourPath ?? '';
    const { data, stat } = await zk.getData(aNode);
    expect(data.toString('utf8')).toBe('node-A');
    expect(stat.ephemeralOwner).toBe(zk.sessionId);
    expect(a.fencingToken).toBe(stat.czxid);
    expect(a.lastPathIsLeader).toBe(aNode);
    expect(b.hasLeadership()).toBe(false);
    expect(b.fencingToken).toBeUndefined();

    expect(await a.getLeader()).toEqual({ id: 'node-A', isLeader: true, path: aNode });
    expect((await b.getParticipants()).map((p) => [p.id, p.isLeader])).toEqual([
      ['node-A', true],
      ['node-B', false],
    ]);
  });

  // Curator 5.4's LeaderLatch always writes `getIdBytes(id)` (unlike LeaderSelector, no fallback to the
  // client's default data), and its id defaults to "": so both cases store empty data.
  test.for([
    ['no id', {}],
    ["id ''", { id: '' }],
  ] as const)(
    "%s is stored as empty data (Curator's LeaderLatch)",
    async ([, idOption], { connectString }) => {
      const zk = await framework(connectString);
      const latch = new LeaderLatch(zk, '/empty-id', idOption);
      onTestFinished(() => latch.close());
      await latch.start();
      await latch.awaitLeadership({ timeoutMs: 10_000 });
      const { data } = await zk.getData(latch.ourPath ?? '');
      expect(data.length).toBe(0);
      expect(latch.id).toBe('');
    },
  );

  test('closing the leader hands over to the next participant; leadership$ shows each change once', async ({
    connectString,
  }) => {
    const zk = await framework(connectString);
    const latches = ['p1', 'p2', 'p3'].map((id) => latchOf(zk, id));
    const recorder = new LeadershipRecorder();
    const seen = new Map<string, boolean[]>();
    for (const latch of latches) {
      const values: boolean[] = [];
      seen.set(latch.id, values);
      latch.leadership$.subscribe((v) => values.push(v));
      recorder.record(latch.id, latch.leadership$);
    }
    const [p1, p2, p3] = latches as [LeaderLatch, LeaderLatch, LeaderLatch];
    await p1.start();
    await p1.awaitLeadership({ timeoutMs: 10_000 });
    await p2.start();
    await p3.start();
    await expect.poll(async () => (await p1.getParticipants()).length, { timeout: 10_000 }).toBe(3);

    await p1.close({ notifyLeader: true });
    await p2.awaitLeadership({ timeoutMs: 10_000 });
    expect(p1.hasLeadership()).toBe(false);
    expect(p1.state).toBe('closed');
    await p2.close(); // silent: the stream completes without a final false
    await p3.awaitLeadership({ timeoutMs: 10_000 });

    expect(seen.get('p1')).toEqual([false, true, false]);
    expect(seen.get('p2')).toEqual([false, true]);
    expect(seen.get('p3')).toEqual([false, true]);
    expect(recorder.overlaps()).toEqual([]);
    expect(recorder.currentLeaders()).toEqual(['p3']);
    expect((await p3.getParticipants()).map((p) => p.id)).toEqual(['p3']);
    recorder.stop();
  });

  test('onLeadershipChange reports changes only; a throwing listener goes to errors$', async ({
    connectString,
  }) => {
    const zk = await framework(connectString);
    const latch = latchOf(zk, 'l1');
    const calls: boolean[] = [];
    const errors: Error[] = [];
    latch.errors$.subscribe((e) => errors.push(e));
    latch.onLeadershipChange((v) => calls.push(v));
    latch.onLeadershipChange(() => {
      throw new Error('listener bug');
    });
    await latch.start();
    await latch.awaitLeadership({ timeoutMs: 10_000 });
    expect(calls).toEqual([true]);
    expect(errors.map((e) => e.message)).toEqual(['listener bug']);
    await latch.close({ notifyLeader: true });
    expect(calls).toEqual([true, false]);
  });

  test('awaitLeadership times out, aborts and fails on close with typed errors', async ({
    connectString,
  }) => {
    const zk = await framework(connectString);
    const leader = latchOf(zk, 'leader');
    const follower = latchOf(zk, 'follower');
    await leader.start();
    await leader.awaitLeadership({ timeoutMs: 10_000 });
    await follower.start();

    const timedOut = await follower.awaitLeadership({ timeoutMs: 50 }).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(LeadershipTimeoutError);
    expect(timedOut).toMatchObject({
      code: 'LEADERSHIP_TIMEOUT',
      timeoutMs: 50,
      path: '/election',
    });

    const controller = new AbortController();
    const aborted = follower.awaitLeadership({ signal: controller.signal });
    controller.abort(new Error('stop waiting'));
    await expect(aborted).rejects.toThrow('stop waiting');

    const pending = follower.awaitLeadership();
    await follower.close();
    await expect(pending).rejects.toBeInstanceOf(RecipeStateError);
    await expect(follower.awaitLeadership()).rejects.toBeInstanceOf(RecipeStateError);
  });

  test('rejects bad input with typed errors naming the field, and a second start', async ({
    connectString,
  }) => {
    const zk = await framework(connectString);
    expect(() => new LeaderLatch(zk, 'no-slash')).toThrow(InvalidPathError);
    expect(() => new LeaderLatch(zk, '/')).toThrow(InvalidArgumentError);
    const badId = (() => {
      try {
        return new LeaderLatch(zk, '/x', { id: 42 as unknown as string });
      } catch (e) {
        return e;
      }
    })();
    expect(badId).toBeInstanceOf(InvalidArgumentError);
    expect(badId).toMatchObject({ field: 'id' });
    expect(() => new LeaderLatch(zk, '/x', { idd: 'typo' } as never)).toThrow(InvalidArgumentError);
    const latch = latchOf(zk, 'once');
    await latch.start();
    expect(() => latch.start()).toThrow(RecipeStateError);
    await latch.close();
    await latch.close(); // idempotent
    expect(() => latch.start()).toThrow(RecipeStateError);
  });

  test('getLeader with no participants is the empty placeholder', async ({ connectString }) => {
    const zk = await framework(connectString);
    const latch = latchOf(zk, 'x', '/nobody');
    expect(await latch.getLeader()).toEqual({ id: '', isLeader: false, path: '' });
    expect(await latch.getParticipants()).toEqual([]);
  });

  test('50 contenders: each leadership change wakes exactly one contender (no herd effect)', async ({
    connectString,
  }) => {
    const frameworks = await Promise.all([0, 1, 2, 3, 4].map(() => framework(connectString)));
    const latches: LeaderLatch[] = [];
    // Sequential starts give a known order: contender i has the i-th sequence number.
    for (let i = 0; i < 50; i++) {
      const latch = latchOf(frameworks[i % frameworks.length] as ZkFramework, `c${i}`, '/herd');
      await latch.start();
      await expect
        .poll(() => latch.ourPath !== undefined && latch.diagnostics.reconcileRuns >= 1, {
          timeout: 10_000,
        })
        .toBe(true);
      latches.push(latch);
    }
    const first = latches[0] as LeaderLatch;
    await first.awaitLeadership({ timeoutMs: 10_000 });
    await expect
      .poll(async () => (await first.getParticipants()).length, { timeout: 10_000 })
      .toBe(50);
    const order = (await first.getParticipants()).map((p) => p.id);
    expect(order).toEqual(latches.map((l) => l.id));
    const wakeupsBefore = latches.map((l) => l.diagnostics.predecessorWakeups);
    expect(wakeupsBefore.every((w) => w === 0)).toBe(true);
    const runsBefore = latches.map((l) => l.diagnostics.reconcileRuns);

    const changes = 10;
    for (let k = 0; k < changes; k++) {
      const before = latches.map((l) => l.diagnostics);
      await (latches[k] as LeaderLatch).close();
      const next = latches[k + 1] as LeaderLatch;
      await next.awaitLeadership({ timeoutMs: 10_000 });
      const woken = latches
        .map((l, i) => ({
          i,
          delta: l.diagnostics.predecessorWakeups - (before[i]?.predecessorWakeups ?? 0),
        }))
        .filter((x) => x.delta !== 0);
      expect(woken).toEqual([{ i: k + 1, delta: 1 }]);
    }
    // At the end: contender i woke once iff it became leader, and every run was the initial one or a wake-up.
    const wakeups = latches.map((l) => l.diagnostics.predecessorWakeups);
    expect(wakeups).toEqual(latches.map((_, i) => (i >= 1 && i <= changes ? 1 : 0)));
    const runs = latches.map((l) => l.diagnostics.reconcileRuns);
    expect(runs).toEqual(runsBefore.map((r, i) => r + (wakeups[i] ?? 0)));
    expect(runsBefore.every((r) => r === 1)).toBe(true);
    expect(latches.filter((l) => l.hasLeadership()).map((l) => l.id)).toEqual([`c${changes}`]);
    expect(nodeName(latches[changes]?.ourPath ?? '')).toMatch(protectedNamePattern('latch-'));
  });
});
