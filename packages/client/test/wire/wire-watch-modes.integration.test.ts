import { test } from '@zookit/test-harness/vitest';
import { describe, expect, vi } from 'vitest';
import { InvalidArgumentError } from '../../src/index.js';
import { eventRecorder, serverWatches, wireClients } from './wire-test-support.js';

const connect = wireClients();

// ZooKeeper 3.6–3.8 keep one registration per session, path and table with one mode (ZOOKEEPER-4466): a
// one-shot read watch set on a path that holds a persistent watch of the same session overwrites the mode,
// and the persistent watch silently ends with the one-shot's first event. The wire client sets no server
// watch for such reads and fires the one-shot from the persistent watch's notifications.

const WAIT = { timeout: 10_000 } as const;

describe('one-shot and persistent watches of one session on one path (ZOOKEEPER-4466)', () => {
  test('getData after a persistent watch: the persistent watch sees every change', async ({
    connectString,
  }) => {
    const writer = await connect(connectString);
    const c = await connect(connectString);
    await writer.create('/p');
    const p = eventRecorder();
    await c.addWatch('/p', 'persistent', p.listener);
    const once = eventRecorder();
    await c.getData('/p', { watch: once.listener });
    await writer.setData('/p', '1');
    await writer.setData('/p', '2');
    await writer.create('/p/c');
    await vi.waitFor(
      () => expect(p.events).toEqual(['dataChanged /p', 'dataChanged /p', 'childrenChanged /p']),
      WAIT,
    );
    expect(once.events).toEqual(['dataChanged /p']);
    expect(c.watchCount).toBe(1);
  });

  test('exists and getData after a recursive watch: it still sees the path and its descendants', async ({
    connectString,
  }) => {
    const writer = await connect(connectString);
    const c = await connect(connectString);
    await writer.create('/r');
    const r = eventRecorder();
    await c.addWatch('/r', 'persistentRecursive', r.listener);
    const viaExists = eventRecorder();
    const viaGetData = eventRecorder();
    expect(await c.exists('/r', { watch: viaExists.listener })).not.toBeNull();
    await c.getData('/r', { watch: viaGetData.listener });
    await writer.setData('/r', '1');
    await writer.setData('/r', '2');
    await writer.create('/r/c');
    await vi.waitFor(
      () => expect(r.events).toEqual(['dataChanged /r', 'dataChanged /r', 'created /r/c']),
      WAIT,
    );
    expect(viaExists.events).toEqual(['dataChanged /r']);
    expect(viaGetData.events).toEqual(['dataChanged /r']);
  });

  test('exists on a missing node after a recursive watch fires created once; the watch goes on', async ({
    connectString,
  }) => {
    const writer = await connect(connectString);
    const c = await connect(connectString);
    const r = eventRecorder();
    await c.addWatch('/m', 'persistentRecursive', r.listener);
    const once = eventRecorder();
    expect(await c.exists('/m', { watch: once.listener })).toBeNull();
    await writer.create('/m');
    await writer.setData('/m', '1');
    await writer.delete('/m');
    await vi.waitFor(
      () => expect(r.events).toEqual(['created /m', 'dataChanged /m', 'deleted /m']),
      WAIT,
    );
    expect(once.events).toEqual(['created /m']);
  });

  test('getChildren after a persistent watch: it still sees every child change', async ({
    connectString,
  }) => {
    const writer = await connect(connectString);
    const c = await connect(connectString);
    await writer.create('/k');
    const p = eventRecorder();
    await c.addWatch('/k', 'persistent', p.listener);
    const once = eventRecorder();
    await c.getChildren('/k', { watch: once.listener });
    await writer.create('/k/a');
    await writer.create('/k/b');
    await vi.waitFor(
      () => expect(p.events).toEqual(['childrenChanged /k', 'childrenChanged /k']),
      WAIT,
    );
    expect(once.events).toEqual(['childrenChanged /k']);
  });

  test('deleting the node fires every one-shot once; the persistent watch sees it come back', async ({
    connectString,
  }) => {
    const writer = await connect(connectString);
    const c = await connect(connectString);
    await writer.create('/d');
    const p = eventRecorder();
    await c.addWatch('/d', 'persistent', p.listener);
    const data = eventRecorder();
    const child = eventRecorder();
    await c.getData('/d', { watch: data.listener });
    await c.getChildren('/d', { watch: child.listener });
    await writer.delete('/d');
    await writer.create('/d');
    await writer.create('/d/c');
    await vi.waitFor(
      () => expect(p.events).toEqual(['deleted /d', 'created /d', 'childrenChanged /d']),
      WAIT,
    );
    expect(data.events).toEqual(['deleted /d']);
    expect(child.events).toEqual(['deleted /d']);
  });

  test('a read sent while its addWatch is still in flight does not downgrade it', async ({
    connectString,
  }) => {
    const writer = await connect(connectString);
    const c = await connect(connectString);
    await writer.create('/f');
    const p = eventRecorder();
    const once = eventRecorder();
    const [stop] = await Promise.all([
      c.addWatch('/f', 'persistent', p.listener),
      c.getData('/f', { watch: once.listener }),
    ]);
    await writer.setData('/f', '1');
    await writer.setData('/f', '2');
    await vi.waitFor(() => expect(p.events).toEqual(['dataChanged /f', 'dataChanged /f']), WAIT);
    expect(once.events).toEqual(['dataChanged /f']);
    stop();
  });

  test('one-shot watches set before addWatch: both fire, and the persistent one goes on', async ({
    connectString,
  }) => {
    const writer = await connect(connectString);
    const c = await connect(connectString);
    await writer.create('/o');
    const data = eventRecorder();
    const child = eventRecorder();
    const exist = eventRecorder();
    await c.getData('/o', { watch: data.listener });
    await c.getChildren('/o', { watch: child.listener });
    await c.exists('/o/x', { watch: exist.listener });
    const p = eventRecorder();
    const r = eventRecorder();
    await c.addWatch('/o', 'persistent', p.listener);
    await c.addWatch('/o/x', 'persistentRecursive', r.listener);
    await writer.setData('/o', '1');
    await writer.create('/o/x');
    await writer.setData('/o', '2');
    await writer.setData('/o/x', '1');
    await vi.waitFor(
      () => expect(p.events).toEqual(['dataChanged /o', 'childrenChanged /o', 'dataChanged /o']),
      WAIT,
    );
    await vi.waitFor(() => expect(r.events).toEqual(['created /o/x', 'dataChanged /o/x']), WAIT);
    expect(data.events).toEqual(['dataChanged /o']);
    expect(child.events).toEqual(['childrenChanged /o']);
    expect(exist.events).toEqual(['created /o/x']);
  });

  test('a one-shot child watch set before a recursive watch of the path still fires', async ({
    connectString,
  }) => {
    const writer = await connect(connectString);
    const c = await connect(connectString);
    await writer.create('/g');
    const child = eventRecorder();
    await c.getChildren('/g', { watch: child.listener });
    const r = eventRecorder();
    // ZooKeeper 3.8 enters the recursive watch into its child table too, over the one-shot's registration.
    await c.addWatch('/g', 'persistentRecursive', r.listener);
    await writer.create('/g/a');
    await writer.create('/g/b');
    await vi.waitFor(() => expect(r.events).toEqual(['created /g/a', 'created /g/b']), WAIT);
    await vi.waitFor(() => expect(child.events).toEqual(['childrenChanged /g']), WAIT);
    await c.checkWatches('/g', 'any');
    await expect(c.checkWatches('/g', 'children')).rejects.toMatchObject({ code: 'NO_WATCHER' });
  });
});

describe('removing and checking watches next to emulated one-shots', () => {
  test('unsubscribing the persistent watch keeps a pending one-shot; the server forgets both after', async ({
    connectString,
    zkStandalone,
    namespace,
  }) => {
    const writer = await connect(connectString);
    const c = await connect(connectString);
    await writer.create('/u');
    const p = eventRecorder();
    const stop = await c.addWatch('/u', 'persistent', p.listener);
    const data = eventRecorder();
    const child = eventRecorder();
    await c.getData('/u', { watch: data.listener });
    await c.getChildren('/u', { watch: child.listener });
    stop();
    await c.checkWatches('/u', 'data');
    await c.checkWatches('/u', 'children');
    expect(await serverWatches(zkStandalone, c.sessionId)).toEqual([`${namespace}/u`]);
    await writer.setData('/u', '1');
    await vi.waitFor(() => expect(data.events).toEqual(['dataChanged /u']), WAIT);
    // The child one-shot still needs the server's registration.
    expect(await serverWatches(zkStandalone, c.sessionId)).toEqual([`${namespace}/u`]);
    await writer.create('/u/c');
    await vi.waitFor(() => expect(child.events).toEqual(['childrenChanged /u']), WAIT);
    await vi.waitFor(
      async () => expect(await serverWatches(zkStandalone, c.sessionId)).toEqual([]),
      { ...WAIT, interval: 50 },
    );
    await writer.setData('/u', '2');
    await writer.create('/u/d');
    // A later one-shot elsewhere proves the notifications so far have all arrived.
    await writer.create('/sentinel');
    const sentinel = eventRecorder();
    await c.getData('/sentinel', { watch: sentinel.listener });
    await writer.setData('/sentinel', 'x');
    await vi.waitFor(() => expect(sentinel.events).toHaveLength(1), WAIT);
    expect(p.events).toEqual([]);
    expect(data.events).toEqual(['dataChanged /u']);
    expect(child.events).toEqual(['childrenChanged /u']);
    expect(c.watchCount).toBe(0);
  });

  test("'data' next to a released persistent watch removes the one-shot only; 'any' clears the path", async ({
    connectString,
    zkStandalone,
    namespace,
  }) => {
    const writer = await connect(connectString);
    const c = await connect(connectString);
    await writer.create('/v');
    const stop = await c.addWatch('/v', 'persistent', () => undefined);
    const data = eventRecorder();
    const child = eventRecorder();
    await c.getData('/v', { watch: data.listener });
    await c.getChildren('/v', { watch: child.listener });
    stop();
    await c.removeWatches('/v', 'data');
    expect(data.events).toEqual(['dataWatchRemoved /v']);
    await c.checkWatches('/v', 'children');
    expect(await serverWatches(zkStandalone, c.sessionId)).toEqual([`${namespace}/v`]);
    await c.removeWatches('/v', 'any');
    expect(child.events).toEqual(['childWatchRemoved /v']);
    expect(await serverWatches(zkStandalone, c.sessionId)).toEqual([]);
    expect(c.watchCount).toBe(0);
  });

  test("'any' removes a persistent watch with its emulated one-shots; 'data' is still refused", async ({
    connectString,
    zkStandalone,
  }) => {
    const writer = await connect(connectString);
    const c = await connect(connectString);
    await writer.create('/w');
    const p = eventRecorder();
    await c.addWatch('/w', 'persistent', p.listener);
    const data = eventRecorder();
    await c.getData('/w', { watch: data.listener });
    await c.checkWatches('/w', 'data');
    await expect(c.removeWatches('/w', 'data')).rejects.toBeInstanceOf(InvalidArgumentError);
    await c.removeWatches('/w', 'any');
    expect(data.events).toEqual(['dataWatchRemoved /w']);
    expect(p.events).toEqual(['persistentWatchRemoved /w']);
    expect(await serverWatches(zkStandalone, c.sessionId)).toEqual([]);
    expect(c.watchCount).toBe(0);
  });
});

describe('a persistent and a recursive watch of one session on one path (ZOOKEEPER-4466)', () => {
  test('the second mode is refused before sending, in either order, and the first keeps working', async ({
    connectString,
  }) => {
    const writer = await connect(connectString);
    const c = await connect(connectString);
    await writer.create('/both');
    await writer.create('/other');
    for (const [first, second] of [
      ['persistent', 'persistentRecursive'],
      ['persistentRecursive', 'persistent'],
    ] as const) {
      const kept = eventRecorder();
      const stop = await c.addWatch('/both', first, kept.listener);
      const refused = c.addWatch('/both', second, () => undefined);
      await expect(refused).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(refused).rejects.toMatchObject({ field: 'mode', path: '/both' });
      // The same mode on another path is fine, and the first watch still sees its path's changes.
      const stopOther = await c.addWatch('/other', second, () => undefined);
      await writer.setData('/both', first);
      await vi.waitFor(() => expect(kept.events).toEqual(['dataChanged /both']), WAIT);
      expect(c.watchCount).toBe(2);
      stopOther();
      stop();
      expect(c.watchCount).toBe(0);
    }
  });
});
