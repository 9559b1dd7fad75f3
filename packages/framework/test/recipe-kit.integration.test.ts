import { CreateMode, nodeName } from '@zookit/client';
import { afterEach, describe, expect, inject, it } from 'vitest';

import { RecipeStateError } from '../src/index.js';
import type { ZkFramework } from '../src/index.js';
import { OwnedNode, SequentialContenders, WatcherScope } from '../src/recipe-kit/index.js';
import { startedFramework, uniqueNamespace } from './helpers.js';

const connectString = inject('zkStandalone');
const open: ZkFramework[] = [];

async function framework(namespace = uniqueNamespace()): Promise<ZkFramework> {
  const zk = await startedFramework({ connectString, namespace });
  open.push(zk);
  return zk;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((zk) => zk.close()));
});

describe('recipe kit on a real server', () => {
  it('SequentialContenders orders protected contenders by sequence and watches the predecessor', async () => {
    const a = await framework();
    const b = await framework(a.namespace);
    const c = await framework(a.namespace);
    const nodes = [];
    for (const zk of [b, a, c]) {
      nodes.push(new OwnedNode(zk, { path: '/lock/lock-', data: 'x' }));
    }
    const [nb, na, nc] = nodes;
    if (nb === undefined || na === undefined || nc === undefined) throw new Error('setup');
    await nb.ensure();
    await na.ensure();
    await nc.ensure();
    await a.create('/lock/foreign'); // not a contender name: sorts by its whole name, after the digits
    const contenders = new SequentialContenders(a, '/lock', 'lock-');
    const sorted = await contenders.getSortedChildren();
    expect(sorted.slice(0, 3)).toEqual([nb.name, na.name, nc.name]);
    expect(sorted[3]).toBe('foreign');
    expect(contenders.position(sorted, na.name ?? '')).toMatchObject({
      ourIndex: 1,
      isHolder: false,
      predecessor: nb.name,
    });
    expect(contenders.position(sorted, nb.name ?? '').isHolder).toBe(true);
    expect(await contenders.getParticipantNodes()).toEqual(sorted.map((s) => `/lock/${s}`));

    const first = nb.name ?? '';
    const scope = new WatcherScope(a);
    let fire!: (event: unknown) => void;
    const fired = new Promise((resolve) => (fire = resolve));
    expect(await contenders.watchPredecessor(first, scope.wrap(fire))).toBe(true);
    await nb.close();
    expect(await fired).toEqual({ type: 'deleted', path: `/lock/${first}` });
    expect(await contenders.watchPredecessor(first, () => undefined)).toBe(false);
    expect(await new SequentialContenders(a, '/nothing-here', 'lock-').getSortedChildren()).toEqual(
      [],
    );
  });

  it('WatcherScope drops a real watch callback that fires after close', async () => {
    const zk = await framework();
    await zk.create('/w', 'x');
    const scope = new WatcherScope(zk);
    const seen: string[] = [];
    let arrived!: () => void;
    const delivered = new Promise<void>((resolve) => (arrived = resolve));
    await zk.getData('/w', { watch: () => arrived() }); // unscoped twin: tells us the event arrived
    await zk.getData('/w', { watch: scope.wrap((e) => seen.push(e.type)) });
    scope.close();
    await zk.setData('/w', 'y');
    await delivered;
    expect(seen).toEqual([]);
  });

  it('OwnedNode: ownership by ephemeralOwner, discard, and a create that races with close is deleted', async () => {
    const zk = await framework();
    const other = await framework(zk.namespace);
    const node = new OwnedNode(zk, { path: '/owned/n-', data: () => 'fresh' });
    const path = await node.ensure();
    expect(nodeName(path)).toMatch(/^_c_[0-9a-f-]{36}-n-\d{10}$/);
    expect(node.ownerSessionId).toBe(zk.sessionId);
    const { stat, data } = await zk.getData(path);
    expect(data.toString()).toBe('fresh');
    expect(node.verifyOwnership(stat)).toBe(true);
    expect(node.verifyOwnership({ ...stat, ephemeralOwner: 1n })).toBe(false);

    // Someone deletes our node: ensure() notices and creates a new one.
    await other.delete(path);
    const again = await node.ensure();
    expect(again).not.toBe(path);
    expect(await other.exists(again)).not.toBeNull();

    // close() while a create is in flight: the created node is removed once it lands.
    const racing = new OwnedNode(zk, { path: '/owned/r-', mode: CreateMode.EphemeralSequential });
    const creating = racing.create().catch((e: unknown) => e);
    await racing.close();
    expect(await creating).toBeInstanceOf(RecipeStateError);
    await expect
      .poll(async () => (await other.getChildren('/owned')).filter((c) => c.includes('-r-')))
      .toEqual([]);
    await expect(racing.ensure()).rejects.toBeInstanceOf(RecipeStateError);
    await node.close();
    // '/owned' is a container parent: once empty the server may reap it, which counts as empty too.
    expect(await other.getChildren('/owned').catch(() => [])).toEqual([]);
  });
});
