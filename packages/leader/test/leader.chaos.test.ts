import { randomUUID } from 'node:crypto';

import type { ConnectionStateEvent, ErrorPolicy, ZkFramework } from '@zookit/framework';
import { RetryNTimes } from '@zookit/retry';
import { ChaosSetup, expireSession, fourLetterWord, scaledMs } from '@zookit/test-harness';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { LeadershipLostError } from '../src/index.js';
import { LeaderLatch, LeaderSelector } from '../src/index.js';
import { LeadershipRecorder, startedFramework } from './helpers.js';

const SESSION_TIMEOUT_MS = 4000;
/** "A new leader exists within (session timeout + 2 s)". */
const FAILOVER_BOUND_MS = scaledMs(SESSION_TIMEOUT_MS + 2000);

const chaos = ChaosSetup.forSuite({ beforeAll, afterAll, afterEach }, { servers: 3 });

async function participantFramework(
  connectString: string,
  namespace: string,
  errorPolicy: ErrorPolicy = 'standard',
): Promise<ZkFramework> {
  return chaos.open(
    startedFramework(connectString, {
      namespace,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      connectionTimeoutMs: 3000,
      errorPolicy,
      retryPolicy: new RetryNTimes({ maxRetries: 20, sleepMs: 100 }),
    }),
  );
}

interface Group {
  readonly frameworks: ZkFramework[];
  readonly latches: LeaderLatch[];
  readonly recorder: LeadershipRecorder;
}

/**
 * Three latches, one framework (session) each, all in this process; p0 starts first and leads. p0's
 * framework uses `leaderConnectString` (e.g. a fault proxy), the others the whole ensemble.
 */
async function latchGroup(
  leaderConnectString: string,
  errorPolicy: ErrorPolicy = 'standard',
): Promise<Group> {
  const namespace = `chaos-${randomUUID()}`;
  const frameworks = [
    await participantFramework(leaderConnectString, namespace, errorPolicy),
    await participantFramework(chaos.ensemble.connectString, namespace, errorPolicy),
    await participantFramework(chaos.ensemble.connectString, namespace, errorPolicy),
  ];
  const recorder = new LeadershipRecorder();
  chaos.defer(() => Promise.resolve(recorder.stop()));
  const latches: LeaderLatch[] = [];
  for (const [i, zk] of frameworks.entries()) {
    const latch = new LeaderLatch(zk, '/election', { id: `p${i}` });
    chaos.defer(() => latch.close());
    recorder.record(`p${i}`, latch.leadership$);
    await latch.start();
    // start() returns before the node exists; wait for it so the election order is p0, p1, p2.
    if (i === 0) await latch.awaitLeadership({ timeoutMs: 10_000 });
    else await expect.poll(() => latch.ourPath, { timeout: 10_000 }).toBeDefined();
    latches.push(latch);
  }
  await expect
    .poll(async () => (await latches[0]?.getParticipants())?.length, { timeout: 10_000 })
    .toBe(3);
  return { frameworks, latches, recorder };
}

/** Waits (bounded by the failover bound) for a leadership interval that starts after `t0`. */
async function newLeaderAfter(
  recorder: LeadershipRecorder,
  t0: number,
  excluding?: string,
): Promise<string> {
  await expect
    .poll(() => recorder.intervals().some((i) => i.start >= t0 && i.who !== excluding), {
      timeout: FAILOVER_BOUND_MS,
      interval: 20,
    })
    .toBe(true);
  const interval = recorder.intervals().find((i) => i.start >= t0 && i.who !== excluding);
  expect(interval).toBeDefined();
  expect((interval?.start ?? Infinity) - t0).toBeLessThanOrEqual(FAILOVER_BOUND_MS);
  return interval?.who ?? '';
}

describe('LeaderLatch under faults: never two leaders, a new one within session timeout + 2 s', () => {
  it('the leader closes', async () => {
    const { latches, recorder } = await latchGroup(chaos.ensemble.connectString);
    const t0 = performance.now();
    await latches[0]?.close();
    expect(await newLeaderAfter(recorder, t0)).toBe('p1');
    expect(recorder.overlaps()).toEqual([]);
    expect(recorder.currentLeaders()).toEqual(['p1']);
  });

  for (const errorPolicy of ['standard', 'session'] as const) {
    it(`the leader's client is partitioned past the session timeout (${errorPolicy} policy), then rejoins`, async () => {
      const proxy = await chaos.proxy(0);
      const { frameworks, latches, recorder } = await latchGroup(proxy.connectString, errorPolicy);
      chaos.defer(() => Promise.resolve(proxy.heal())); // runs first if the test fails while partitioned
      const [zk0] = frameworks as [ZkFramework];
      const oldSession = zk0.sessionId;
      const oldNode = latches[0]?.ourPath;
      const events: ConnectionStateEvent[] = [];
      zk0.onConnectionStateChange((e) => events.push(e));
      const t0 = performance.now();
      proxy.partition();
      const successor = await newLeaderAfter(recorder, t0, 'p0');
      expect(successor).toBe('p1');
      // The old leader gave up before anyone else was elected.
      const p0 = recorder.intervals().find((i) => i.who === 'p0');
      const p1 = recorder.intervals().find((i) => i.who === 'p1');
      expect(p0?.end).toBeLessThan(p1?.start ?? 0);
      expect(recorder.overlaps()).toEqual([]);
      // Standard: it gave up on `suspended`; session: at the lease deadline (after suspended, before lost).
      const suspended = events[0];
      if (suspended?.state !== 'suspended')
        throw new Error(`expected suspended first, got ${suspended?.state}`);
      if (errorPolicy === 'standard') {
        expect(p0?.end).toBeLessThan(suspended.leaseDeadline);
      } else {
        expect(p0?.end).toBeGreaterThanOrEqual(suspended.leaseDeadline - 1);
        const lost = events.find((e) => e.state === 'lost');
        if (lost !== undefined) expect(p0?.end).toBeLessThanOrEqual(lost.at);
      }

      proxy.heal();
      await expect
        .poll(() => zk0.sessionId !== oldSession && zk0.isConnected(), { timeout: 20_000 })
        .toBe(true);
      // It rejoined at the back with a node of its new session; the stale node is gone.
      await expect
        .poll(
          async () => (await latches[1]?.getParticipants())?.map((p) => `${p.id}:${p.isLeader}`),
          { timeout: 20_000 },
        )
        .toEqual(['p1:true', 'p2:false', 'p0:false']);
      const newNode = latches[0]?.ourPath ?? '';
      expect(newNode).not.toBe(oldNode);
      expect(await frameworks[1]?.exists(oldNode ?? '')).toBeNull();
      expect((await zk0.exists(newNode))?.ephemeralOwner).toBe(zk0.sessionId);
      expect(latches[0]?.hasLeadership()).toBe(false);
      expect(recorder.overlaps()).toEqual([]);
    });
  }

  it("the leader's session is expired", async () => {
    const { frameworks, latches, recorder } = await latchGroup(chaos.ensemble.connectString);
    const [zk0] = frameworks as [ZkFramework];
    const oldSession = zk0.sessionId ?? 0n;
    const t0 = performance.now();
    await expireSession({
      connectString: chaos.ensemble.connectString,
      sessionId: oldSession,
      sessionPassword: zk0.client?.sessionPassword ?? Buffer.alloc(0),
    });
    expect(await newLeaderAfter(recorder, t0, 'p0')).toBe('p1');
    expect(recorder.overlaps()).toEqual([]);
    await expect
      .poll(
        async () => (await latches[1]?.getParticipants())?.map((p) => `${p.id}:${p.isLeader}`),
        { timeout: 20_000 },
      )
      .toEqual(['p1:true', 'p2:false', 'p0:false']);
    expect(zk0.sessionId).not.toBe(oldSession);
    expect((await zk0.exists(latches[0]?.ourPath ?? ''))?.ephemeralOwner).toBe(zk0.sessionId);
    expect(recorder.overlaps()).toEqual([]);
  });
});

describe('LeaderSelector under faults', () => {
  it("a partitioned leader's signal aborts (suspended) before another selector's term starts", async () => {
    const proxy = await chaos.proxy(1);
    const namespace = `chaos-${randomUUID()}`;
    const zk0 = await participantFramework(proxy.connectString, namespace);
    const zk1 = await participantFramework(chaos.ensemble.connectString, namespace);
    const log: { who: string; what: 'start' | 'abort'; t: number; reason?: string }[] = [];
    const make = (zk: ZkFramework, who: string): LeaderSelector => {
      const selector = new LeaderSelector(zk, '/leader', {
        id: who,
        autoRequeue: true,
        takeLeadership: (signal) =>
          new Promise<void>((resolve) => {
            log.push({ who, what: 'start', t: performance.now() });
            signal.addEventListener(
              'abort',
              () => {
                log.push({
                  who,
                  what: 'abort',
                  t: performance.now(),
                  reason: (signal.reason as LeadershipLostError).reason,
                });
                resolve();
              },
              { once: true },
            );
          }),
      });
      chaos.defer(() => selector.close());
      return selector;
    };
    const s0 = make(zk0, 's0');
    const s1 = make(zk1, 's1');
    chaos.defer(() => Promise.resolve(proxy.heal()));
    await s0.start();
    await s0.awaitLeadership({ timeoutMs: 10_000 });
    await s1.start();
    await expect.poll(async () => (await s1.getParticipants()).length, { timeout: 10_000 }).toBe(2);

    const t0 = performance.now();
    proxy.partition();
    await s1.awaitLeadership({ timeoutMs: FAILOVER_BOUND_MS });
    const s0Abort = log.find((e) => e.who === 's0' && e.what === 'abort');
    const s1Start = log.find((e) => e.who === 's1' && e.what === 'start');
    expect(s0Abort?.reason).toBe('suspended');
    expect(s0Abort?.t).toBeLessThan(s1Start?.t ?? 0);
    expect((s1Start?.t ?? Infinity) - t0).toBeLessThanOrEqual(FAILOVER_BOUND_MS);

    proxy.heal();
    // autoRequeue: s0 queues again on its new session, behind s1.
    await expect
      .poll(async () => (await s1.getParticipants()).map((p) => `${p.id}:${p.isLeader}`), {
        timeout: 20_000,
      })
      .toEqual(['s1:true', 's0:false']);
    expect(s0.hasLeadership()).toBe(false);
  });
});

// Last: it kills a server of this file's ensemble for good (the quorum-leader case has its own file).
describe('LeaderLatch when a server dies', () => {
  it("the leader's server is killed (3-node ensemble)", async () => {
    const { frameworks, latches, recorder } = await latchGroup(chaos.ensemble.connectString);
    const sessionHex = `0x${(frameworks[0]?.sessionId ?? 0n).toString(16)}`;
    const servers = [0, 1, 2];
    const answers = await Promise.all(
      servers.map((i) => fourLetterWord('127.0.0.1', chaos.ensemble.clientPort(i), 'cons')),
    );
    const victim = servers.find((i) => (answers[i] ?? '').includes(`sid=${sessionHex}`));
    expect(victim).toBeDefined();
    const t0 = performance.now();
    // No restart afterwards: this is the file's last test and afterAll stops the ensemble.
    await chaos.ensemble.kill(victim ?? 0);
    // The leader drops leadership on `suspended`; someone (usually the same latch, after reconnecting to
    // the same session elsewhere) leads again.
    await newLeaderAfter(recorder, t0);
    const first = recorder.intervals()[0];
    expect(first?.who).toBe('p0');
    expect(first?.end).toBeGreaterThanOrEqual(t0); // it gave up when its connection dropped
    expect(first?.end).toBeLessThan(Number.POSITIVE_INFINITY);
    expect(recorder.overlaps()).toEqual([]);
    expect(latches.filter((l) => l.hasLeadership())).toHaveLength(1);
    const leader = await latches[2]?.getLeader();
    expect(latches.find((l) => l.hasLeadership())?.id).toBe(leader?.id);
  });
});
