/**
 * LeaderLatch failover latency, on the native and on the wire transport: the time from the moment the leader starts to
 * leave until the next participant's `leadership$` says it leads (both in this process, so one clock).
 *
 * - `closeLatch`: 5 participants (one framework/session each); the leader calls `latch.close()`; 50 rounds.
 *   After each round a fresh participant joins at the back, so every round starts with 5.
 * - `closeFramework`: the leader's whole framework closes (its session ends, the server deletes its
 *   ephemeral node); 30 rounds, same refill.
 *
 * Curator 5.4 measured on this machine for the same two scenarios: ≈0.85 ms and ≈2.4 ms medians (quoted as
 * `curatorMedianUs`). `curatorNow` re-measures Curator's `close()` scenario in the same run, under the same
 * machine load, so the comparison stays honest on a busy machine.
 */
import { randomUUID } from 'node:crypto';

import { createFramework, type ZkFramework } from '@zookit/framework';
import { LeaderLatch } from '@zookit/leader';
import { CuratorProcess } from '@zookit/test-harness';

import { latencyStats, type Bench } from './bench.js';

const PARTICIPANTS = 5;
const CLOSE_ROUNDS = 50;
const FRAMEWORK_ROUNDS = 30;

interface Participant {
  readonly zk: ZkFramework;
  readonly latch: LeaderLatch;
}

type Transport = 'native' | 'wire';

async function join(
  connectString: string,
  transport: Transport,
  namespace: string,
  id: string,
): Promise<Participant> {
  const zk = createFramework({
    connectString,
    transport,
    namespace,
    sessionTimeoutMs: 10_000,
    connectionTimeoutMs: 5_000,
  });
  await zk.start();
  await zk.waitForConnection({ timeoutMs: 10_000 });
  const latch = new LeaderLatch(zk, '/bench-election', { id });
  await latch.start();
  // Wait until it has its node and has settled (leader, or watching its predecessor).
  for (let i = 0; latch.ourPath === undefined || latch.diagnostics.reconcileRuns === 0; i++) {
    if (i > 10_000) throw new Error(`participant ${id} never joined`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return { zk, latch };
}

/** Runs `rounds` handovers, each started by `leave(leader)`; returns the latencies in ms. */
async function failovers(
  connectString: string,
  transport: Transport,
  rounds: number,
  leave: (leader: Participant) => Promise<void>,
): Promise<number[]> {
  const namespace = `bench-${randomUUID()}`;
  const group: Participant[] = [];
  let next = 0;
  for (; next < PARTICIPANTS; next++)
    group.push(await join(connectString, transport, namespace, `p${next}`));
  await group[0]?.latch.awaitLeadership({ timeoutMs: 10_000 });
  const samples: number[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const leader = group.shift();
      const successor = group[0];
      if (leader === undefined || successor === undefined) throw new Error('group too small');
      if (!leader.latch.hasLeadership())
        throw new Error(`round ${round}: ${leader.latch.id} does not lead`);
      let at = 0;
      let unsubscribe = (): void => undefined;
      // Stamped inside the change notification itself, not in a later promise callback.
      const led = new Promise<void>((resolve) => {
        unsubscribe = successor.latch.onLeadershipChange((isLeader) => {
          if (!isLeader) return;
          at = performance.now();
          resolve();
        });
      });
      const t0 = performance.now();
      const leaving = leave(leader);
      await led;
      unsubscribe();
      samples.push(at - t0);
      await leaving;
      await leader.latch.close();
      await leader.zk.close();
      group.push(await join(connectString, transport, namespace, `p${next++}`));
    }
  } finally {
    for (const p of group) {
      await p.latch.close();
      await p.zk.close();
    }
  }
  return samples;
}

/**
 * The same `close()` scenario on real Curator 5.4 (the interop driver, one JVM, its 5 latches sharing one
 * session), measured now under the same machine load. JVM `System.nanoTime()` and Node's
 * `process.hrtime.bigint()` read the same monotonic clock on Linux, so the latency runs from just before
 * the `latch-close` command is written to the successor's `isLeader` callback (it includes the pipe hop).
 */
async function curatorCloseLatch(
  connectString: string,
  rounds: number,
): Promise<{ fromCommand: number[]; fromClosed: number[] }> {
  const java = await CuratorProcess.start({ connectString, sessionTimeoutMs: 10_000 });
  const probe = createFramework({ connectString, sessionTimeoutMs: 10_000 });
  const path = `/bench-curator-${randomUUID()}`;
  const queue: string[] = [];
  let next = 0;
  const participants = async (): Promise<number> =>
    (await probe.getChildren(path).catch(() => [])).length;
  const add = async (): Promise<void> => {
    const name = `j${next++}`;
    java.send('latch', name, path, name);
    // Curator creates the node in the background: wait for it, so the queue order is the election order.
    for (let i = 0; (await participants()) < queue.length + 1; i++) {
      if (i > 10_000) throw new Error('Curator latch never joined');
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    queue.push(name);
  };
  const fromCommand: number[] = [];
  const fromClosed: number[] = [];
  try {
    await probe.start();
    await probe.waitForConnection({ timeoutMs: 10_000 });
    for (let i = 0; i < PARTICIPANTS; i++) await add();
    await java.waitFor((e) => e.ev === 'leader' && e.name === queue[0] && e.isLeader === true);
    for (let round = 0; round < rounds; round++) {
      const leader = queue.shift() ?? '';
      const successor = queue[0] ?? '';
      const from = java.events.length;
      const t0 = process.hrtime.bigint();
      java.send('latch-close', leader);
      const led = await java.waitFor(
        (e) => e.ev === 'leader' && e.name === successor && e.isLeader === true,
        30_000,
        from,
      );
      fromCommand.push(Number(BigInt(led.t) - t0) / 1e6);
      const closed = await java.waitFor(
        (e) => e.ev === 'closed' && e.name === leader,
        30_000,
        from,
      );
      // A lower bound inside the JVM: from close() returning (its delete already sent) to the successor.
      fromClosed.push((led.t - closed.t) / 1e6);
      await add();
    }
  } finally {
    await java.close();
    await probe.close();
  }
  return { fromCommand, fromClosed };
}

const bench: Bench = {
  name: 'leader',
  async run({ connectString }) {
    const results: Record<string, unknown> = { participants: PARTICIPANTS };
    try {
      const curator = await curatorCloseLatch(connectString, CLOSE_ROUNDS);
      results['curatorNow'] = {
        closeLatchFromCommand: latencyStats(curator.fromCommand),
        closeLatchFromClosedLowerBound: latencyStats(curator.fromClosed),
      };
    } catch (error) {
      results['curatorNow'] = { error: error instanceof Error ? error.message : String(error) };
    }
    for (const transport of ['native', 'wire'] as const) {
      const closeLatch = await failovers(connectString, transport, CLOSE_ROUNDS, (leader) =>
        leader.latch.close(),
      );
      const closeFramework = await failovers(connectString, transport, FRAMEWORK_ROUNDS, (leader) =>
        leader.zk.close(),
      );
      results[transport] = {
        closeLatch: { ...latencyStats(closeLatch), curatorMedianUs: 850 },
        closeFramework: { ...latencyStats(closeFramework), curatorMedianUs: 2400 },
      };
    }
    return results;
  },
};

export default bench;
