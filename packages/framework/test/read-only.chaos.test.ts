/**
 * The framework's `readOnly` connection state, reached through `canBeReadOnly` (wire transport) against a
 * real ZooKeeper 3.8 server cut off from its quorum. Setup as in
 * packages/client/test/wire/wire-read-only.chaos.test.ts, which explains what 3.8 needs: the servers run
 * with `readonlymode.enabled` and `localSessionsEnabled`, and only a session opened while the quorum is lost
 * is read-only; when the quorum is back the client moves to a read-write server with a new session.
 */
import { NotReadOnlyError } from '@zookit/client';
import {
  loseQuorum,
  READ_ONLY_CAPABLE_ENSEMBLE,
  regainQuorum,
  ZkEnsemble,
} from '@zookit/test-harness';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { createFramework, utf8Codec } from '../src/index.js';
import type { ConnectionStateEvent } from '../src/index.js';
import { startedFramework, uniqueNamespace } from './helpers.js';

let zk: ZkEnsemble;

beforeAll(async () => {
  zk = await ZkEnsemble.start(READ_ONLY_CAPABLE_ENSEMBLE);
});

afterAll(async () => {
  await zk?.close();
});

describe('canBeReadOnly (wire) on ZooKeeper 3.8', () => {
  it('posts readOnly on a server without quorum (reads work, writes refused), then lost + connected with a new session once the quorum is back', async () => {
    const namespace = uniqueNamespace();
    const writer = await startedFramework({ connectString: zk.connectString, namespace });
    await writer.create('/cfg', 'before');
    await writer.close();

    await loseQuorum(zk);
    const fw = createFramework({
      connectString: zk.connectString,
      namespace,
      transport: 'wire',
      canBeReadOnly: true,
      sessionTimeoutMs: 10_000,
      connectionTimeoutMs: 30_000,
    });
    const events: ConnectionStateEvent[] = [];
    fw.onConnectionStateChange((e) => events.push(e));
    try {
      await fw.start();
      await vi.waitFor(() => expect(fw.connectionState?.state).toBe('readOnly'), {
        timeout: 45_000,
        interval: 50,
      });
      expect(events.map((e) => e.state)).toEqual(['readOnly']);
      expect(fw.isConnected()).toBe(true);
      expect(fw.isErrorState('readOnly')).toBe(false);
      const roSession = fw.sessionId;
      expect(roSession).toBeDefined();

      expect((await fw.getData('/cfg', { codec: utf8Codec })).data).toBe('before');
      await expect(fw.setData('/cfg', 'during')).rejects.toBeInstanceOf(NotReadOnlyError);

      await regainQuorum(zk);
      // The state machine: the client leaves the read-only server (`suspended` when the link drops before
      // the move), then connects on a new session; a new session without `lost` in between means the
      // read-only one is gone, so `lost` comes first. The first read-write connection is `connected`
      // (`readOnly` does not count as one), not `reconnected`.
      await vi.waitFor(() => expect(fw.connectionState?.state).toBe('connected'), {
        timeout: 60_000,
        interval: 50,
      });
      const states = events.map((e) => e.state);
      expect(states.filter((s) => s !== 'suspended')).toEqual(['readOnly', 'lost', 'connected']);
      expect(states.slice(0, 1)).toEqual(['readOnly']);
      expect(events.find((e) => e.state === 'lost')).toMatchObject({ sessionId: roSession });
      expect(fw.sessionId).not.toBe(roSession);

      await fw.setData('/cfg', 'after');
      expect((await fw.getData('/cfg', { codec: utf8Codec })).data).toBe('after');
    } finally {
      await fw.close();
    }
    expect(fw.state).toBe('closed');
  });
});
