import { randomUUID } from 'node:crypto';

import {
  ConnectTimeoutError,
  CreateMode,
  createZkClient,
  type SessionEvent,
  type ZkClient,
} from '@zookit/client';
import { MiniZkClient, ZkEnsemble } from '@zookit/test-harness';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

const SESSION_TIMEOUT_MS = 4000;
const owned: ZkClient[] = [];

function open(
  connectString: string,
  deterministicHostOrder = false,
  connectTimeoutMs = 20_000,
): ZkClient {
  const client = createZkClient({
    transport: 'native',
    connectString,
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
    deterministicHostOrder,
    connectTimeoutMs,
  });
  owned.push(client);
  return client;
}

afterEach(async () => {
  for (const client of owned.splice(0)) await client.close();
});

describe('native clients after the quorum leader is killed and restarted (same process)', () => {
  let ensemble: ZkEnsemble;
  beforeAll(async () => {
    ensemble = await ZkEnsemble.start({ servers: 3 });
  });
  afterAll(async () => {
    await ensemble.close();
  });

  it('fresh native clients connect to every server; the other clients keep their sessions', async () => {
    const leader = (await ensemble.leaderIndex()) ?? 0;
    // One client pinned to the leader (it retries a dead port until the restart), two on the whole ensemble.
    const pinned = open(ensemble.connectStringFor(leader), true);
    const others = [open(ensemble.connectString), open(ensemble.connectString)];
    const events: SessionEvent[][] = [];
    for (const client of [pinned, ...others]) {
      const seen: SessionEvent[] = [];
      client.onSessionEvent((e) => seen.push(e));
      events.push(seen);
      await client.connect();
      const path = `/quorum-${randomUUID()}`;
      await client.create(path, 'x', { mode: CreateMode.Ephemeral });
      await client.getData(path, { watch: () => undefined });
    }

    await ensemble.kill(leader);
    await vi.waitFor(
      () => expect(events.every((e) => e.some((x) => x.type === 'disconnected'))).toBe(true),
      {
        timeout: 30_000,
      },
    );
    // Clients created while the ensemble re-elects, before the restart, and (like a framework that keeps
    // replacing a client pinned to the dead server) handles that time out against the dead server.
    const during = open(ensemble.connectString);
    await during.connect();
    for (let i = 0; i < 3; i++) {
      await expect(
        open(ensemble.connectStringFor(leader), true, 1000).connect(),
      ).rejects.toBeInstanceOf(ConnectTimeoutError);
    }
    await ensemble.restart(leader);
    await ensemble.waitServing();

    for (let i = 0; i < 3; i++) {
      const mini = await MiniZkClient.connect({ connectString: ensemble.connectStringFor(i) });
      await mini.close();
      for (const deterministic of [true, false]) {
        const fresh = open(ensemble.connectStringFor(i), deterministic);
        await fresh.connect();
        expect(await fresh.exists('/')).not.toBeNull();
      }
    }
    const fresh = open(ensemble.connectString);
    await fresh.connect();
    expect(await fresh.exists('/')).not.toBeNull();
    for (const client of others) {
      await vi.waitFor(() => expect(client.state).toBe('connected'), { timeout: 30_000 });
      expect(await client.exists('/')).not.toBeNull();
    }
    // Cut off from any quorum for longer than its session timeout: back on the same session, or expired.
    await vi.waitFor(() => expect(['connected', 'expired']).toContain(pinned.state), {
      timeout: 30_000,
    });
  });
});
