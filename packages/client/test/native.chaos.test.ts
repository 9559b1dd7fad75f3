import { randomUUID } from 'node:crypto';
import {
  ClientClosedError,
  CreateMode,
  createZkClient,
  SessionExpiredError,
  type SessionEvent,
  type WatchEvent,
  type ZkClient,
  type ZkError,
} from '@zookit/client';
import { expireSession, FaultProxy, ZkEnsemble } from '@zookit/test-harness';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectStringOf, zkTargets } from './support/zk-targets.js';

const owned: ZkClient[] = [];

function open(
  connectString: string,
  sessionTimeoutMs: number,
  deterministicHostOrder = false,
): ZkClient {
  const client = createZkClient({
    transport: 'native',
    connectString,
    sessionTimeoutMs,
    deterministicHostOrder,
    connectTimeoutMs: 30_000,
  });
  owned.push(client);
  return client;
}

function record(client: ZkClient): SessionEvent[] {
  const events: SessionEvent[] = [];
  client.onSessionEvent((e) => events.push(e));
  return events;
}

async function waitForEvents(
  events: SessionEvent[],
  types: SessionEvent['type'][],
  timeout: number,
): Promise<void> {
  await vi.waitFor(() => expect(events.map((e) => e.type)).toEqual(types), {
    timeout,
    interval: 20,
  });
}

afterEach(async () => {
  for (const client of owned.splice(0)) await client.close();
});

describe('native client under faults: 3-node ensemble', () => {
  let ensemble: ZkEnsemble;
  beforeAll(async () => {
    ensemble = await ZkEnsemble.start({ servers: 3 });
  });
  afterAll(async () => {
    await ensemble.close();
  });

  it('a killed server: disconnected, then connected again to the same session, ephemeral kept', async () => {
    const leader = await ensemble.leaderIndex();
    const victim = [0, 1, 2].find((i) => i !== leader) ?? 0;
    // The victim first, so the client connects there (deterministic host order).
    const order = [victim, ...[0, 1, 2].filter((i) => i !== victim)];
    const connectString = order.map((i) => `127.0.0.1:${ensemble.clientPort(i)}`).join(',');
    const client = open(connectString, 10_000, true);
    const events = record(client);
    await client.connect();
    const sessionId = client.sessionId;
    const path = `/chaos-kill-${randomUUID()}`;
    await client.create(path, 'x', { mode: CreateMode.Ephemeral });
    // Armed across the failover: the binding sends it session pseudo-events, which must not count.
    const watchEvents: WatchEvent[] = [];
    await client.getData(path, { watch: (e) => watchEvents.push(e) });

    await ensemble.kill(victim);
    await waitForEvents(events, ['connected', 'disconnected', 'connected'], 30_000);
    expect(events[2]).toMatchObject({ type: 'connected', initial: false, sessionId });
    expect(client.sessionId).toBe(sessionId);
    expect((await client.exists(path))?.ephemeralOwner).toBe(sessionId);
    expect(watchEvents).toEqual([]);
    await client.setData(path, 'y');
    await vi.waitFor(() => expect(watchEvents).toEqual([{ type: 'dataChanged', path }]));

    const observer = open(ensemble.connectString, 10_000);
    await observer.connect();
    await observer.sync(path);
    expect((await observer.exists(path))?.ephemeralOwner).toBe(sessionId);
    await ensemble.restart(victim);
  });
});

describe('native client under faults: proxy and expiry', () => {
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

  it('a partition is seen as disconnected (after at most 2/3 of the session timeout)', async () => {
    const client = open(proxy.connectString, 3_000);
    const events = record(client);
    await client.connect();
    await client.exists('/');
    const heardBefore = client.lastHeardAt;
    proxy.partition();
    try {
      await waitForEvents(events, ['connected', 'disconnected'], 15_000);
      expect(client.state).toBe('disconnected');
      // The bound only moves forward: at detection it is at least now - 2/3 T, never before the last answer.
      expect(client.lastHeardAt).toBeGreaterThanOrEqual(heardBefore);
    } finally {
      proxy.heal();
    }
  });

  it('close during a partition with a call in flight: gives up on the silent server before the C client would; the close applies after heal', async () => {
    const client = open(proxy.connectString, 15_000);
    const events = record(client);
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
      // close() stopped waiting for the reply on its own: the C client (which gives up after 2/3 of the
      // session timeout, 10 s here) never reported the connection lost first.
      expect(events.map((e) => e.type)).toEqual(['connected', 'closed']);
      expect((await pending)?.outcomeUnknown).toBe(true);
    } finally {
      proxy.heal();
    }
    // The close-session request was held by the partition, not lost.
    const observer = open(server, 10_000);
    await observer.connect();
    await expect.poll(() => observer.exists(path), { timeout: 15_000 }).toBeNull();
  });

  it('expiry: expired event, pending calls rejected, later calls SessionExpiredError, ephemerals gone', async () => {
    const client = open(proxy.connectString, 10_000);
    const events = record(client);
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
    await waitForEvents(events, ['connected', 'disconnected', 'expired'], 30_000);
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
    expect(events.map((e) => e.type)).toEqual(['connected', 'disconnected', 'expired']);

    const observer = open(server, 10_000);
    await observer.connect();
    expect(await observer.exists(path)).toBeNull();
    await observer.close();
    await expect(observer.exists('/')).rejects.toBeInstanceOf(ClientClosedError);
  });
});
