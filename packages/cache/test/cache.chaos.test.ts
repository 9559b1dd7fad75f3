import { RetryNTimes } from '@zookit/retry';
import { ChaosSetup, expireSession } from '@zookit/test-harness';
import type { FaultProxy } from '@zookit/test-harness';
import type { ConnectionState, ZkFramework } from '@zookit/framework';
import { filter, firstValueFrom, skip, timeout } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { NodeCache, PathChildrenCache, TreeCache, utf8Codec } from '../src/index.js';
import {
  cacheTree,
  describeEvent,
  serverTree,
  startedFramework,
  uniqueNamespace,
} from './helpers.js';

const SESSION_TIMEOUT_MS = 4000;
const POLL = { timeout: 30_000, interval: 50 };

const chaos = ChaosSetup.forSuite({ beforeAll, afterAll, afterEach });

/** A reader behind its own fault proxy, and a writer connected directly, on one namespace. */
async function proxied(
  transport: 'native' | 'wire',
): Promise<{ reader: ZkFramework; writer: ZkFramework; proxy: FaultProxy }> {
  const namespace = uniqueNamespace();
  const { client: reader, proxy } = await chaos.proxied((connectString) =>
    startedFramework({
      connectString,
      namespace,
      transport,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      connectionTimeoutMs: 3000,
      retryPolicy: new RetryNTimes({ maxRetries: 10, sleepMs: 100 }),
    }),
  );
  const writer = await chaos.open(
    startedFramework({ connectString: chaos.ensemble.connectString, namespace }),
  );
  // The namespace node is a container, reaped once empty: a sentinel keeps it.
  await writer.create('/sentinel');
  return { reader, writer, proxy };
}

/** The next `state` posted from now on (the replayed latest state does not count). */
function nextState(zk: ZkFramework, state: ConnectionState): Promise<unknown> {
  const replayed = zk.connectionState === undefined ? 0 : 1;
  return firstValueFrom(
    zk.connectionState$.pipe(
      skip(replayed),
      filter((e) => e.state === state),
      timeout(30_000),
    ),
  );
}

/** Populates /svc with `count` children (half of them with a grandchild) and /svc/cfg. */
async function populate(writer: ZkFramework, count: number): Promise<void> {
  await writer.create('/svc/cfg', 'c0', { parents: true });
  await Promise.all(Array.from({ length: count }, (_, i) => writer.create(`/svc/n${i}`, `d${i}`)));
  await Promise.all(
    Array.from({ length: count / 2 }, (_, i) => writer.create(`/svc/n${i}/g`, `g${i}`)),
  );
}

/** A burst of changes: update, delete, create, deep create, config sets. */
async function mutate(writer: ZkFramework, round: number, count: number): Promise<void> {
  await Promise.all([
    ...Array.from({ length: count / 4 }, (_, i) => writer.setData(`/svc/n${i}`, `r${round}-${i}`)),
    ...Array.from({ length: count / 4 }, (_, i) =>
      writer.delete(`/svc/n${count / 4 + i}`, { recursive: true, quietly: true }),
    ),
    ...Array.from({ length: 10 }, (_, i) => writer.create(`/svc/new-${round}-${i}`, `x${i}`)),
    writer.create(`/svc/n${count - 1}/deep-${round}/deeper`, 'z', { parents: true }),
    ...Array.from({ length: 50 }, (_, i) => writer.setData('/svc/cfg', `c${round}-${i}`)),
  ]);
}

describe.each(['native', 'wire'] as const)('caches under faults (%s transport)', (transport) => {
  it('a partition past the session timeout while another client writes: stale, then equal to the server, with only real differences', async () => {
    const { reader, writer, proxy } = await proxied(transport);
    await populate(writer, 40);
    const node = new NodeCache(reader, '/svc/cfg', { codec: utf8Codec });
    const children = new PathChildrenCache(reader, '/svc', { codec: utf8Codec });
    const tree = new TreeCache(reader, '/svc', { codec: utf8Codec });
    for (const c of [node, children, tree]) chaos.defer(() => c.close());
    await Promise.all([node.start(), children.start(), tree.start()]);
    const errors: Error[] = [];
    for (const c of [node, children, tree]) c.onError((e) => errors.push(e));
    const before = cacheTree(tree.entries());

    const lost = nextState(reader, 'lost');
    proxy.partition();
    await lost;
    expect([node.stale, children.stale, tree.stale]).toEqual([true, true, true]);
    // The caches keep answering with what they had.
    expect(cacheTree(tree.entries())).toEqual(before);
    await mutate(writer, 1, 40);
    const treeEvents: string[] = [];
    tree.onEvent((e) => treeEvents.push(describeEvent(e)));

    const reconnected = nextState(reader, 'reconnected');
    proxy.heal();
    await reconnected;
    const expected = await serverTree(writer, '/svc');
    await expect.poll(() => cacheTree(tree.entries()), POLL).toEqual(expected);
    await expect
      .poll(() => cacheTree(children.entries()), POLL)
      .toEqual(await serverTree(writer, '/svc', { maxDepth: 1, includeRoot: false }));
    await expect.poll(() => node.current()?.data, POLL).toBe('c1-49');
    await expect
      .poll(() => [node.stale, children.stale, tree.stale], POLL)
      .toEqual([false, false, false]);
    // Only real differences: one event per path that differs between before and after, nothing for the
    // unchanged nodes the rebuild re-read.
    const differing = new Set(
      [...before.keys(), ...expected.keys()].filter((p) => before.get(p) !== expected.get(p)),
    );
    expect(new Set(treeEvents.map((e) => e.split(' ')[1]?.split('=')[0]))).toEqual(differing);
    expect(treeEvents).toHaveLength(differing.size);
    expect(errors).toEqual([]);

    // Watches are live on the new session.
    await mutate(writer, 2, 40);
    await expect
      .poll(() => cacheTree(tree.entries()), POLL)
      .toEqual(await serverTree(writer, '/svc'));
    await expect.poll(() => node.current()?.data, POLL).toBe('c2-49');
  });

  it('a short partition (same session) with writes meanwhile, then a real session expiry: converges both times', async () => {
    const { reader, writer, proxy } = await proxied(transport);
    await populate(writer, 20);
    const tree = new TreeCache(reader, '/svc', { codec: utf8Codec });
    chaos.defer(() => tree.close());
    await tree.start();

    const suspended = nextState(reader, 'suspended');
    proxy.partition();
    proxy.dropConnections();
    await suspended;
    expect(tree.stale).toBe(true);
    await mutate(writer, 1, 20);
    const session = reader.sessionId;
    const reconnected = nextState(reader, 'reconnected');
    proxy.heal();
    await reconnected;
    expect(reader.sessionId).toBe(session);
    await expect
      .poll(() => cacheTree(tree.entries()), POLL)
      .toEqual(await serverTree(writer, '/svc'));
    await expect.poll(() => tree.stale, POLL).toBe(false);

    const password = reader.client?.sessionPassword;
    if (password === undefined || session === undefined) throw new Error('no session');
    const replaced = nextState(reader, 'reconnected');
    await expireSession({
      connectString: chaos.ensemble.connectString,
      sessionId: session,
      sessionPassword: password,
    });
    await mutate(writer, 2, 20);
    await replaced;
    expect(reader.sessionId).not.toBe(session);
    await expect
      .poll(() => cacheTree(tree.entries()), POLL)
      .toEqual(await serverTree(writer, '/svc'));
    await mutate(writer, 3, 20);
    await expect
      .poll(() => cacheTree(tree.entries()), POLL)
      .toEqual(await serverTree(writer, '/svc'));
  });
});
