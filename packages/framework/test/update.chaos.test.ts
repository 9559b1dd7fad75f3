/**
 * `update()` (compare-and-set) after a write whose outcome is unknown, with a real fault: the fault proxy
 * forwards the setData, the server answers, and the reply is swallowed with the connection cut. What
 * docs/concepts/connection-loss.md promises: re-read; next version with our bytes → applied once; never
 * `fn` applied twice.
 */
import { RetryNTimes } from '@zookit/retry';
import { FaultProxy, ZkEnsemble } from '@zookit/test-harness';
import type { DroppedReply } from '@zookit/test-harness';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { utf8Codec } from '../src/index.js';
import type { ZkFramework } from '../src/index.js';
import { startedFramework, uniqueNamespace } from './helpers.js';

const SET_DATA = 5;
const BAD_VERSION = -103;

let ensemble: ZkEnsemble;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ensemble = await ZkEnsemble.start({ servers: 1, tickTimeMs: 500 });
});

afterAll(async () => {
  await ensemble.close();
});

afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** A framework through its own fault proxy, and one straight to the server to look with. */
async function proxied(
  transport: 'native' | 'wire',
): Promise<{ zk: ZkFramework; proxy: FaultProxy; direct: ZkFramework }> {
  const namespace = uniqueNamespace();
  const proxy = await FaultProxy.start({ target: ensemble.connectStringFor(0) });
  cleanup.push(() => proxy.close());
  const zk = await startedFramework({
    connectString: proxy.connectString,
    namespace,
    transport,
    sessionTimeoutMs: 4000,
    connectionTimeoutMs: 3000,
    retryPolicy: new RetryNTimes({ maxRetries: 10, sleepMs: 100 }),
  });
  cleanup.push(() => zk.close());
  const direct = await startedFramework({ connectString: ensemble.connectString, namespace });
  cleanup.push(() => direct.close());
  expect(zk.client?.transport).toBe(transport);
  return { zk, proxy, direct };
}

describe.each(['native', 'wire'] as const)(
  'update() after a dropped write reply (%s)',
  (transport) => {
    it('the server applied the write: the value changes exactly once and fn runs once', async () => {
      const { zk, proxy, direct } = await proxied(transport);
      await zk.create('/counter', '0');
      const sessionId = zk.sessionId;
      let calls = 0;
      let dropped: Promise<DroppedReply> | undefined;
      const result = await zk.update(
        '/counter',
        (current: string) => {
          calls++;
          // Armed here, after update's read: the next request is the versioned setData.
          if (calls === 1) dropped = proxy.dropNextReply();
          return String(Number(current) + 1);
        },
        { codec: utf8Codec },
      );
      const reply = await dropped;
      expect(reply).toMatchObject({ opCode: SET_DATA, err: 0 }); // applied, its reply never arrived
      expect(calls).toBe(1);
      expect(result.data).toBe('1');
      expect(result.stat.version).toBe(1);
      const { data, stat } = await direct.getData('/counter', { codec: utf8Codec });
      expect(data).toBe('1');
      expect(stat.version).toBe(1); // one write: not re-applied by a retry
      expect(zk.sessionId).toBe(sessionId); // the same session, reconnected
    });

    it('someone else wrote first and the BAD_VERSION reply was dropped: fn runs again on their value, ours lands once', async () => {
      const { zk, proxy, direct } = await proxied(transport);
      await zk.create('/counter', '0');
      const seen: string[] = [];
      let dropped: Promise<DroppedReply> | undefined;
      const result = await zk.update(
        '/counter',
        async (current: string) => {
          seen.push(current);
          if (seen.length === 1) {
            await direct.setData('/counter', '10'); // a concurrent writer wins the race
            dropped = proxy.dropNextReply();
          }
          return String(Number(current) + 1);
        },
        { codec: utf8Codec },
      );
      const reply = await dropped;
      expect(reply).toMatchObject({ opCode: SET_DATA, err: BAD_VERSION }); // refused, but we never heard
      // The re-read found version + 1 with the other writer's bytes: ours cannot have applied.
      expect(seen).toEqual(['0', '10']);
      expect(result.data).toBe('11');
      const { data, stat } = await direct.getData('/counter', { codec: utf8Codec });
      expect(data).toBe('11');
      expect(stat.version).toBe(2); // theirs, then ours once
    });

    it('another write landed after ours: the outcome stays unknown and fn is not run again', async () => {
      const { zk, proxy, direct } = await proxied(transport);
      await zk.create('/counter', '0');
      let calls = 0;
      let overwritten: Promise<DroppedReply> | undefined;
      const failed = zk
        .update(
          '/counter',
          (current: string) => {
            calls++;
            if (calls === 1) {
              // Once our write is applied and its reply dropped, hold the reconnection until another
              // writer has written on top of ours: the re-read then sees version + 2.
              overwritten = proxy.dropNextReply().then(async (reply) => {
                proxy.partition();
                try {
                  await direct.setData('/counter', 'theirs');
                } finally {
                  proxy.heal();
                }
                return reply;
              });
            }
            return String(Number(current) + 1);
          },
          { codec: utf8Codec },
        )
        .catch((error: unknown) => error);
      const error = await failed;
      expect(await overwritten).toMatchObject({ opCode: SET_DATA, err: 0 }); // ours was applied
      expect(error).toMatchObject({ outcomeUnknown: true });
      expect(calls).toBe(1);
      const { data, stat } = await direct.getData('/counter', { codec: utf8Codec });
      expect(data).toBe('theirs');
      expect(stat.version).toBe(2); // ours (1), then theirs (2): ours applied exactly once
    });
  },
);
