import { CreateMode, createZkClient, SessionExpiredError, type SessionEvent } from '@zookit/client';
import { describe, expect } from 'vitest';
import { expireSession } from '../src/expire-session.js';
import { MiniZkClient, type MiniWatchEvent } from '../src/mini-zk-client.js';
import { attachServerLogsOnFailure, test } from '../src/vitest.js';
import { ZkEnsemble } from '../src/zk-ensemble.js';

describe('expireSession', () => {
  test('expires a live session: its ephemeral is gone on return and the victim cannot resume it', async ({
    connectString,
  }) => {
    const victim = await MiniZkClient.connect({ connectString, sessionTimeoutMs: 30_000 });
    const watcher = await MiniZkClient.connect({ connectString });
    await victim.create('/mine', Buffer.alloc(0), 'ephemeral');
    const deleted = new Promise<MiniWatchEvent>((resolve) => watcher.onWatchEvent(resolve));
    await expect(watcher.exists('/mine', true)).resolves.toBe(true);

    const result = await expireSession({
      connectString,
      sessionId: victim.sessionId,
      sessionPassword: victim.sessionPassword,
    });
    expect(result.wasAlive).toBe(true);
    expect(result.closeRequests).toBeGreaterThanOrEqual(1);
    // Already gone when expireSession returns: no waiting needed.
    await expect(watcher.exists('/mine')).resolves.toBe(false);
    await expect(deleted).resolves.toMatchObject({ type: 2, path: '/mine' });
    // The duplicate's handshake made the server drop the victim's connection...
    await victim.closed();
    // ...and the server refuses the session from now on.
    await expect(
      MiniZkClient.connect({
        connectString,
        sessionId: victim.sessionId,
        sessionPassword: victim.sessionPassword,
      }),
    ).rejects.toBeInstanceOf(SessionExpiredError);
    await watcher.close();
  });

  test('reports a session that was already dead', async ({ connectString }) => {
    const victim = await MiniZkClient.connect({ connectString });
    const { sessionId, sessionPassword } = victim;
    await victim.close();
    await expect(expireSession({ connectString, sessionId, sessionPassword })).resolves.toEqual({
      closeRequests: 0,
      wasAlive: false,
    });
  });

  test.for(['native', 'wire'] as const)(
    'a @zookit/client %s victim gets exactly one "expired" event and loses its ephemeral',
    async (transport, { connectString, timing }) => {
      // The native client retries a lone server after a third of the session timeout: keep it short.
      const victim = createZkClient({ connectString, sessionTimeoutMs: 6_000, transport });
      const events: SessionEvent['type'][] = [];
      victim.onSessionEvent((event) => events.push(event.type));
      await victim.connect();
      await victim.create('/client-eph', 'x', { mode: CreateMode.Ephemeral });
      const oracle = await MiniZkClient.connect({ connectString });
      try {
        await expireSession({
          connectString,
          sessionId: victim.sessionId ?? 0n,
          sessionPassword: victim.sessionPassword ?? Buffer.alloc(0),
          victim,
          timeoutMs: timing.ms(30_000),
        });
        // Returned only once the victim itself reported the expiry.
        expect(victim.state).toBe('expired');
        await expect(oracle.exists('/client-eph')).resolves.toBe(false);
        expect(events[0]).toBe('connected');
        expect(events.at(-1)).toBe('expired');
        expect(events.filter((e) => e === 'expired')).toHaveLength(1);
      } finally {
        await oracle.close();
        await victim.close();
      }
    },
  );

  test('expires a session held on another member of a 3-server ensemble', async ({
    onTestFailed,
  }) => {
    await using zk = await ZkEnsemble.start({ servers: 3 });
    attachServerLogsOnFailure(zk, { onTestFailed });
    const victim = await MiniZkClient.connect({
      connectString: zk.connectStringFor(0),
      sessionTimeoutMs: 30_000,
    });
    await victim.create('/eph', Buffer.alloc(0), 'ephemeral');
    await expireSession({
      connectString: zk.connectStringFor(2),
      sessionId: victim.sessionId,
      sessionPassword: victim.sessionPassword,
    });
    for (const i of [0, 1, 2]) {
      const reader = await MiniZkClient.connect({ connectString: zk.connectStringFor(i) });
      // A follower may apply the leader's close a moment later: wait for it.
      await expect.poll(() => reader.exists('/eph')).toBe(false);
      await reader.close();
    }
    await expect(
      MiniZkClient.connect({
        connectString: zk.connectStringFor(0),
        sessionId: victim.sessionId,
        sessionPassword: victim.sessionPassword,
      }),
    ).rejects.toBeInstanceOf(SessionExpiredError);
    victim.disconnect();
  });
});
