import { randomUUID } from 'node:crypto';

import type { ZkFramework } from '@zookit/framework';
import { RetryNTimes } from '@zookit/retry';
import { ChaosSetup, scaledMs } from '@zookit/test-harness';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';

import { LeaderLatch } from '../src/index.js';
import { LeadershipRecorder, startedFramework } from './helpers.js';

// Its own ensemble: it kills the quorum leader, which disturbs every session of the ensemble.
const SESSION_TIMEOUT_MS = 4000;
const FAILOVER_BOUND_MS = scaledMs(SESSION_TIMEOUT_MS + 2000);

const chaos = ChaosSetup.forSuite({ beforeAll, afterAll, afterEach }, { servers: 3 });

it("the quorum leader is killed while the leader's client is pinned to it: never two leaders, p1 takes over", async () => {
  const quorumLeader = (await chaos.ensemble.leaderIndex()) ?? 0;
  const namespace = `chaos-${randomUUID()}`;
  const frameworks: ZkFramework[] = [];
  const latches: LeaderLatch[] = [];
  const recorder = new LeadershipRecorder();
  try {
    for (let i = 0; i < 3; i++) {
      // p0 can reach only the quorum leader; p1 and p2 the whole ensemble.
      const connectString =
        i === 0 ? chaos.ensemble.connectStringFor(quorumLeader) : chaos.ensemble.connectString;
      const zk = await startedFramework(connectString, {
        namespace,
        sessionTimeoutMs: SESSION_TIMEOUT_MS,
        connectionTimeoutMs: 3000,
        retryPolicy: new RetryNTimes({ maxRetries: 20, sleepMs: 100 }),
      });
      frameworks.push(zk);
      const latch = new LeaderLatch(zk, '/election', { id: `p${i}` });
      recorder.record(`p${i}`, latch.leadership$);
      await latch.start();
      if (i === 0) await latch.awaitLeadership({ timeoutMs: 10_000 });
      else await expect.poll(() => latch.ourPath, { timeout: 10_000 }).toBeDefined();
      latches.push(latch);
    }
    const oldSession = frameworks[0]?.sessionId;
    const t0 = performance.now();
    await chaos.ensemble.kill(quorumLeader);
    // The followers lose their quorum and drop their clients too (p1, p2 are suspended); they elect a new
    // leader; p0 cannot reach any server, so its session expires and p1 takes over.
    await expect
      .poll(() => recorder.intervals().some((i) => i.who === 'p1'), {
        timeout: FAILOVER_BOUND_MS,
        interval: 20,
      })
      .toBe(true);
    const [first, second] = recorder.intervals();
    expect(first?.who).toBe('p0');
    expect(second?.who).toBe('p1');
    expect((second?.start ?? Infinity) - t0).toBeLessThanOrEqual(FAILOVER_BOUND_MS);
    expect(first?.end).toBeLessThan(second?.start ?? 0);
    expect(recorder.overlaps()).toEqual([]);
    expect(latches.map((l) => l.hasLeadership())).toEqual([false, true, false]);
    expect(frameworks[0]?.sessionId).toBe(oldSession); // still cut off: no new session
  } finally {
    recorder.stop();
    for (const latch of latches) await latch.close();
    for (const zk of frameworks) await zk.close();
  }
});
