import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  ClientClosedError,
  CreateMode,
  createZkClient,
  SessionExpiredError,
  type SessionEvent,
  type WatchEvent,
  type ZkClient,
  type ZkClientOptions,
  type ZkError,
} from '@zookit/client';
import { expireSession, FaultProxy, timing, ZkEnsemble } from '@zookit/test-harness';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectStringOf, zkTargets } from './support/zk-targets.js';

/**
 * Every transport the fault guarantees are checked on. What differs between them is data here, read by
 * the one shared test, never a forked test.
 */
const chaosTransports = [
  {
    name: 'native',
    create: (options: ZkClientOptions): ZkClient =>
      createZkClient({ ...options, transport: 'native' }),
    // zookeeper_close() waits for the close-session reply on its own (about 1.5 s in the C client) and has
    // no option for it.
  },
  {
    name: 'wire',
    create: (options: ZkClientOptions): ZkClient =>
      // How long close() waits for the close-session reply before it drops the connection; 1000 is the
      // default, named here because the close-during-partition test depends on it being finite.
      createZkClient({ ...options, transport: 'wire', closeTimeoutMs: 1000 }),
  },
] as const;

type ChaosTransport = (typeof chaosTransports)[number];

const owned: ZkClient[] = [];

interface TimedEvent {
  readonly event: SessionEvent;
  /** `performance.now()` when the listener ran. */
  readonly at: number;
}

/** A recorder of one client's session events, with the time each one arrived. */
interface Recorder {
  readonly timed: TimedEvent[];
  readonly events: () => SessionEvent[];
  readonly types: () => SessionEvent['type'][];
}

function open(
  transport: ChaosTransport,
  connectString: string,
  sessionTimeoutMs: number,
  deterministicHostOrder = false,
): ZkClient {
  const client = transport.create({
    connectString,
    sessionTimeoutMs,
    deterministicHostOrder,
    connectTimeoutMs: 30_000,
  });
  owned.push(client);
  return client;
}

function record(client: ZkClient): Recorder {
  const timed: TimedEvent[] = [];
  client.onSessionEvent((event) => timed.push({ event, at: performance.now() }));
  const events = () => timed.map((t) => t.event);
  return { timed, events, types: () => events().map((e) => e.type) };
}

async function waitForEvents(
  recorder: Recorder,
  types: SessionEvent['type'][],
  timeout: number,
): Promise<void> {
  await vi.waitFor(() => expect(recorder.types()).toEqual(types), { timeout, interval: 20 });
}

afterEach(async () => {
  for (const client of owned.splice(0)) await client.close();
});

describe('client under faults: 3-node ensemble', () => {
  let ensemble: ZkEnsemble;
  beforeAll(async () => {
    ensemble = await ZkEnsemble.start({ servers: 3 });
  });
  afterAll(async () => {
    await ensemble.close();
  });

  describe.each(chaosTransports)('$name transport', (transport) => {
    it('a killed server: disconnected, then connected again to the same session, ephemeral kept', async () => {
      const leader = await ensemble.leaderIndex();
      const victim = [0, 1, 2].find((i) => i !== leader) ?? 0;
      // The victim first, so the client connects there (deterministic host order).
      const order = [victim, ...[0, 1, 2].filter((i) => i !== victim)];
      const connectString = order.map((i) => `127.0.0.1:${ensemble.clientPort(i)}`).join(',');
      const client = open(transport, connectString, 10_000, true);
      const recorder = record(client);
      await client.connect();
      const sessionId = client.sessionId;
      const path = `/chaos-kill-${randomUUID()}`;
      await client.create(path, 'x', { mode: CreateMode.Ephemeral });
      // Armed across the failover: the native binding sends it session pseudo-events, which must not count.
      const watchEvents: WatchEvent[] = [];
      await client.getData(path, { watch: (e) => watchEvents.push(e) });

      await ensemble.kill(victim);
      try {
        await waitForEvents(recorder, ['connected', 'disconnected', 'connected'], 30_000);
        expect(recorder.events()[2]).toMatchObject({
          type: 'connected',
          initial: false,
          sessionId,
        });
        expect(client.sessionId).toBe(sessionId);
        expect((await client.exists(path))?.ephemeralOwner).toBe(sessionId);
        expect(watchEvents).toEqual([]);
        await client.setData(path, 'y');
        await vi.waitFor(() => expect(watchEvents).toEqual([{ type: 'dataChanged', path }]));

        const observer = open(transport, ensemble.connectString, 10_000);
        await observer.connect();
        await observer.sync(path);
        expect((await observer.exists(path))?.ephemeralOwner).toBe(sessionId);
      } finally {
        // The next transport's test needs all three servers again.
        await ensemble.restart(victim);
      }
    });
  });
});

describe('client under faults: proxy and expiry', () => {
  let proxy: FaultProxy;
  let server: string;
  let started: FaultProxy | undefined;
  beforeAll(async () => {
    const target = zkTargets.find((t) => t.name === 'standalone');
    if (target === undefined) throw new Error('no standalone target');
    server = connectStringOf(target).split(',')[0] ?? '';
    proxy = started = await FaultProxy.start({ target: server });
  });
  afterAll(async () => {
    await started?.close();
  });

  describe.each(chaosTransports)('$name transport', (transport) => {
    it('a hung server is seen as disconnected after 1/2 and before all of the session timeout', async () => {
      const client = open(transport, proxy.connectString, timing.ms(4_000));
      const recorder = record(client);
      await client.connect();
      const negotiatedMs = client.negotiatedTimeoutMs ?? 0;
      expect(negotiatedMs).toBeGreaterThan(0);
      // A reply right before the pause: the client's read timeout (2/3 of the session timeout, counted
      // from the last message heard) then starts at the pause, not up to a ping interval earlier.
      await client.exists('/');
      const heardBefore = client.lastHeardAt;
      const pausedAt = performance.now();
      proxy.partition();
      try {
        await waitForEvents(recorder, ['connected', 'disconnected'], timing.ms(15_000));
        expect(client.state).toBe('disconnected');
        const detectedAfterMs = (recorder.timed[1]?.at ?? 0) - pausedAt;
        // Not a false alarm: a silent but healthy connection is given well over a ping interval.
        expect(detectedAfterMs).toBeGreaterThanOrEqual(negotiatedMs / 2);
        // In time to move to another server before the server expires the session.
        expect(detectedAfterMs).toBeLessThan(negotiatedMs);
        // The bound only moves forward: at detection it is at least now - 2/3 T, never before the last answer.
        expect(client.lastHeardAt).toBeGreaterThanOrEqual(heardBefore);
      } finally {
        proxy.heal();
      }
    });

    it('close during a partition with a call in flight: gives up on the silent server before its read timeout; the close applies after heal', async () => {
      const client = open(transport, proxy.connectString, 15_000);
      const recorder = record(client);
      await client.connect();
      const path = `/chaos-close-hung-${randomUUID()}`;
      await client.create(path, null, { mode: CreateMode.Ephemeral });
      proxy.partition();
      const pending = client.exists('/').then(
        () => undefined,
        (e: unknown) => e as ZkError,
      );
      try {
        await client.close();
        // close() stopped waiting for the reply on its own: the read timeout (2/3 of the session timeout,
        // 10 s here) never reported the connection lost first.
        expect(recorder.types()).toEqual(['connected', 'closed']);
        expect((await pending)?.outcomeUnknown).toBe(true);
      } finally {
        proxy.heal();
      }
      // The close-session request was held by the partition, not lost.
      const observer = open(transport, server, 10_000);
      await observer.connect();
      await expect.poll(() => observer.exists(path), { timeout: 15_000 }).toBeNull();
    });

    it('expiry: expired event, pending calls rejected, later calls SessionExpiredError, ephemerals gone', async () => {
      const client = open(transport, proxy.connectString, 10_000);
      const recorder = record(client);
      await client.connect();
      const path = `/chaos-expire-${randomUUID()}`;
      await client.create(path, null, { mode: CreateMode.Ephemeral });
      proxy.partition();
      // Sent into the partition: it can only fail once the session is gone.
      const pending = client.setData(path, 'late');
      pending.catch(() => undefined);
      try {
        await expireSession({
          connectString: server,
          sessionId: client.sessionId ?? 0n,
          sessionPassword: client.sessionPassword ?? Buffer.alloc(16),
        });
      } finally {
        proxy.heal();
      }
      await waitForEvents(recorder, ['connected', 'disconnected', 'expired'], 30_000);
      expect(client.state).toBe('expired');
      const err = (await pending.then(
        () => undefined,
        (e: unknown) => e,
      )) as ZkError | undefined;
      expect(err?.outcomeUnknown).toBe(true);
      await expect(client.getData(path)).rejects.toBeInstanceOf(SessionExpiredError);
      await expect(client.connect()).rejects.toBeInstanceOf(SessionExpiredError);
      await client.close();
      expect(client.state).toBe('expired');
      expect(recorder.types()).toEqual(['connected', 'disconnected', 'expired']);

      const observer = open(transport, server, 10_000);
      await observer.connect();
      expect(await observer.exists(path)).toBeNull();
      await observer.close();
      await expect(observer.exists('/')).rejects.toBeInstanceOf(ClientClosedError);
    });
  });
});
