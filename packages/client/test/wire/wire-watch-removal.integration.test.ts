import { test } from '@zookit/test-harness/vitest';
import { describe, expect, vi } from 'vitest';
import {
  InvalidArgumentError,
  NoWatcherError,
  type WatcherType,
  type WatchEvent,
} from '../../src/index.js';
import { serverWatches, wireClients } from './wire-test-support.js';

const connect = wireClients();

// What ZooKeeper 3.8.0 does with removeWatches/checkWatches on paths holding persistent watches, and
// that the wire client's local watch table agrees with the server afterwards. The server's view comes
// from `wchc` (the data-watch table by session), which is where both persistent modes live.

function recorder(): { events: WatchEvent[]; listener: (e: WatchEvent) => void } {
  const events: WatchEvent[] = [];
  return { events, listener: (e) => events.push(e) };
}

const types = (events: readonly WatchEvent[]) => events.map((e) => `${e.type} ${e.path}`);

describe('removeWatches and checkWatches on persistent watches (ZooKeeper 3.8.0)', () => {
  test("'any' removes persistent and recursive watches on the server as locally", async ({
    connectString,
    zkStandalone,
    namespace,
  }) => {
    const writer = await connect(connectString);
    const c = await connect(connectString);
    await writer.create('/p');
    await writer.create('/r');
    const p = recorder();
    const r = recorder();
    await c.addWatch('/p', 'persistent', p.listener);
    await c.addWatch('/r', 'persistentRecursive', r.listener);
    await c.checkWatches('/p', 'any');
    await c.checkWatches('/r', 'any');
    expect(await serverWatches(zkStandalone, c.sessionId)).toEqual(
      expect.arrayContaining([`${namespace}/p`, `${namespace}/r`]),
    );

    await c.removeWatches('/p', 'any');
    await c.removeWatches('/r', 'any');
    expect(types(p.events)).toEqual(['persistentWatchRemoved /p']);
    expect(types(r.events)).toEqual(['persistentWatchRemoved /r']);
    expect(c.watchCount).toBe(0);
    expect(await serverWatches(zkStandalone, c.sessionId)).toEqual([]);
    await expect(c.checkWatches('/p', 'any')).rejects.toBeInstanceOf(NoWatcherError);
    await expect(c.removeWatches('/r', 'any')).rejects.toBeInstanceOf(NoWatcherError);

    // Nothing fires any more: a later one-shot watch is notified, the removed ones are not.
    const sentinel = recorder();
    await c.getData('/r', { watch: sentinel.listener });
    await writer.setData('/p', 'x');
    await writer.create('/p/c');
    await writer.create('/r/c');
    await writer.setData('/r', 'x');
    await vi.waitFor(() => expect(sentinel.events).toHaveLength(1), { timeout: 10_000 });
    expect(types(p.events)).toEqual(['persistentWatchRemoved /p']);
    expect(types(r.events)).toEqual(['persistentWatchRemoved /r']);
  });

  test("'data' and 'children' that would also drop a persistent watch are refused, sent nothing", async ({
    connectString,
    zkStandalone,
    namespace,
  }) => {
    const writer = await connect(connectString);
    const c = await connect(connectString);
    await writer.create('/p');
    // The one-shot watches first: ZooKeeper 3.8 keeps one mode per session and path, the last one set.
    const data = recorder();
    const child = recorder();
    await c.getData('/p', { watch: data.listener });
    await c.getChildren('/p', { watch: child.listener });
    const p = recorder();
    await c.addWatch('/p', 'persistent', p.listener);

    for (const type of ['data', 'children'] as const) {
      const error = await c.removeWatches('/p', type).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error).toMatchObject({ field: 'type', path: '/p' });
      expect((error as Error).message).toContain(`'${type}'`);
    }
    expect(data.events).toEqual([]);
    expect(child.events).toEqual([]);
    expect(await serverWatches(zkStandalone, c.sessionId)).toContain(`${namespace}/p`);

    // All three are still armed on the server and locally.
    await writer.setData('/p', '1');
    await writer.create('/p/c');
    await writer.setData('/p', '2');
    await vi.waitFor(
      () =>
        expect(types(p.events)).toEqual(['dataChanged /p', 'childrenChanged /p', 'dataChanged /p']),
      { timeout: 10_000 },
    );
    expect(types(data.events)).toEqual(['dataChanged /p']);
    expect(types(child.events)).toEqual(['childrenChanged /p']);
  });

  test("'children' next to a recursive watch removes only the child watch", async ({
    connectString,
    zkStandalone,
    namespace,
  }) => {
    const writer = await connect(connectString);
    const c = await connect(connectString);
    await writer.create('/r');
    const child = recorder();
    await c.getChildren('/r', { watch: child.listener });
    const r = recorder();
    await c.addWatch('/r', 'persistentRecursive', r.listener);

    await c.removeWatches('/r', 'children');
    expect(types(child.events)).toEqual(['childWatchRemoved /r']);
    await expect(c.checkWatches('/r', 'children')).rejects.toBeInstanceOf(NoWatcherError);
    // The recursive watch is no data watch to the client: nothing to remove, nothing sent.
    await expect(c.removeWatches('/r', 'data')).rejects.toBeInstanceOf(NoWatcherError);
    expect(await serverWatches(zkStandalone, c.sessionId)).toContain(`${namespace}/r`);

    await writer.create('/r/c');
    await writer.setData('/r/c', 'x');
    await vi.waitFor(() => expect(types(r.events)).toEqual(['created /r/c', 'dataChanged /r/c']), {
      timeout: 10_000,
    });
    expect(types(child.events)).toEqual(['childWatchRemoved /r']);
  });

  test('with only a persistent watch, data and children find no watch; checkWatches counts it for any', async ({
    connectString,
  }) => {
    const writer = await connect(connectString);
    const c = await connect(connectString);
    await writer.create('/p');
    const p = recorder();
    await c.addWatch('/p', 'persistent', p.listener);
    for (const type of ['data', 'children'] as const) {
      await expect(c.removeWatches('/p', type)).rejects.toBeInstanceOf(NoWatcherError);
      await expect(c.checkWatches('/p', type)).rejects.toBeInstanceOf(NoWatcherError);
    }
    await c.checkWatches('/p', 'any');
    await expect(
      c.removeWatches('/p', 'persistent' as unknown as WatcherType),
    ).rejects.toMatchObject({ field: 'type', path: '/p' });
    await writer.setData('/p', 'x');
    await vi.waitFor(() => expect(types(p.events)).toEqual(['dataChanged /p']), {
      timeout: 10_000,
    });
  });

  test('the addWatch unsubscribe removes the watch on the server too (3.8 knows no types 4/5)', async ({
    connectString,
    zkStandalone,
    namespace,
  }) => {
    const writer = await connect(connectString);
    const c = await connect(connectString);
    await writer.create('/u');
    await writer.create('/v');
    const stopU = await c.addWatch('/u', 'persistent', () => undefined);
    const stopV = await c.addWatch('/v', 'persistentRecursive', () => undefined);
    expect(await serverWatches(zkStandalone, c.sessionId)).toEqual(
      expect.arrayContaining([`${namespace}/u`, `${namespace}/v`]),
    );
    stopU();
    stopV();
    expect(c.watchCount).toBe(0);
    await vi.waitFor(
      async () => expect(await serverWatches(zkStandalone, c.sessionId)).toEqual([]),
      { timeout: 10_000, interval: 50 },
    );
  });

  test('unsubscribing a persistent watch keeps the one-shot watches of the path', async ({
    connectString,
  }) => {
    const writer = await connect(connectString);
    const c = await connect(connectString);
    await writer.create('/k');
    const child = recorder();
    await c.getChildren('/k', { watch: child.listener });
    const p = recorder();
    const stop = await c.addWatch('/k', 'persistent', p.listener);
    stop();
    await c.checkWatches('/k', 'children');
    await writer.create('/k/c');
    await vi.waitFor(() => expect(types(child.events)).toEqual(['childrenChanged /k']), {
      timeout: 10_000,
    });
    expect(p.events).toEqual([]);
    expect(c.watchCount).toBe(0);
  });
});
