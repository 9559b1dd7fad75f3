/**
 * Read-only mode (`canBeReadOnly`) against real ZooKeeper 3.8 servers that lost their quorum.
 *
 * What ZooKeeper 3.8.0 needs and does (found by running it; the server logs are quoted):
 * - `-Dreadonlymode.enabled=true`: a server without quorum starts a `ReadOnlyZooKeeperServer` ("Read-only
 *   server started", about 2 s after losing its peers with tickTime 500).
 * - `localSessionsEnabled=true`: without it the read-only server never answers a new session's connect
 *   request (no log line; the client times out). With it, it grants a local session flagged read-only.
 * - A session that already exists is never carried into read-only mode: a global one is refused ("Refusing
 *   global session reconnection in RO mode") until it expires; a local one belonged to the server's previous
 *   incarnation, so the read-only server answers "Invalid session 0x… for client …, probably expired".
 * So a client ends up read-only only with a session opened while the quorum is lost; like the Java client, it
 * sends session id 0 when it finds a read-write server again (it never saw one), getting a new session.
 */
import {
  loseQuorum,
  READ_ONLY_CAPABLE_ENSEMBLE,
  regainQuorum,
  ZkEnsemble,
} from '@zookit/test-harness';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { NotReadOnlyError, type SessionEvent } from '../../src/index.js';
import { WireZkClient } from '../../src/wire/wire-zk-client.js';

let zk: ZkEnsemble;

beforeAll(async () => {
  zk = await ZkEnsemble.start(READ_ONLY_CAPABLE_ENSEMBLE);
});

afterAll(async () => {
  await zk?.close();
});

function record(client: WireZkClient): SessionEvent[] {
  const events: SessionEvent[] = [];
  client.onSessionEvent((e) => events.push(e));
  return events;
}

describe('read-only mode (canBeReadOnly) on ZooKeeper 3.8', () => {
  it('connects read-only while the quorum is lost: reads work, writes fail with NotReadOnlyError; back to read-write when it returns', async () => {
    const writer = new WireZkClient({ connectString: zk.connectString });
    await writer.connect();
    const path = await writer.create(`/ro-${Date.now()}`, 'before');
    await writer.close();

    await loseQuorum(zk);
    const client = new WireZkClient({
      connectString: zk.connectString,
      canBeReadOnly: true,
      connectTimeoutMs: 30_000,
    });
    const events = record(client);
    try {
      await client.connect();
      expect(events).toEqual([
        expect.objectContaining({ type: 'connected', readOnly: true, initial: true }),
      ]);
      expect(client.readOnly).toBe(true);
      const roSession = client.sessionId;

      expect((await client.getData(path)).data.toString()).toBe('before');
      expect((await client.getChildren('/')).children).toContain(path.slice(1));
      await expect(client.create(`${path}-new`, 'x')).rejects.toBeInstanceOf(NotReadOnlyError);
      await expect(client.setData(path, 'after')).rejects.toBeInstanceOf(NotReadOnlyError);
      expect(client.state).toBe('connected');

      await regainQuorum(zk);
      // The client's probe finds a read-write server and moves there with a new session (it never saw one).
      await vi.waitFor(() => expect(client.readOnly).toBe(false), {
        timeout: 60_000,
        interval: 100,
      });
      const last = events.at(-1);
      expect(last).toMatchObject({ type: 'connected', readOnly: false, initial: true });
      expect(client.sessionId).not.toBe(roSession);
      await client.setData(path, 'after');
      expect((await client.getData(path)).data.toString()).toBe('after');
    } finally {
      await client.close();
    }
    expect(client.state).toBe('closed');
  });

  it('does not carry a read-write session into read-only mode: ZooKeeper 3.8 ends it as expired', async () => {
    await zk.waitServing();
    const client = new WireZkClient({ connectString: zk.connectStringFor(0), canBeReadOnly: true });
    const events = record(client);
    try {
      await client.connect();
      expect(events).toEqual([expect.objectContaining({ type: 'connected', readOnly: false })]);
      await loseQuorum(zk);
      await vi.waitFor(() => expect(client.state).toBe('expired'), {
        timeout: 30_000,
        interval: 100,
      });
      expect(events.map((e) => e.type)).toEqual(['connected', 'disconnected', 'expired']);
      expect(events.some((e) => e.type === 'connected' && e.readOnly)).toBe(false);
    } finally {
      await client.close();
      await regainQuorum(zk);
    }
  });
});
