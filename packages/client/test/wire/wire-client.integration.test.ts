import { test } from '@zookit/test-harness/vitest';
import { describe, expect, vi } from 'vitest';
import {
  Acls,
  BadVersionError,
  ClientClosedError,
  InvalidArgumentError,
  InvalidPathError,
  NoAuthError,
  NodeExistsError,
  NoNodeError,
  NotEmptyError,
  NoWatcherError,
  Perms,
  TransactionFailedError,
  type SessionEvent,
  type WatchEvent,
} from '../../src/index.js';
import { wireClients } from './wire-test-support.js';

const connect = wireClients();

describe('WireZkClient against a real server', () => {
  test('CRUD with create2 stats, chroot stripped from returned paths', async ({
    connectString,
  }) => {
    const c = await connect(connectString);
    const created = await c.createWithStat('/a', 'one');
    expect(created.path).toBe('/a');
    expect(created.stat?.version).toBe(0);
    expect(created.stat?.dataLength).toBe(3);
    const seq = await c.create('/a/s-', null, { mode: 'persistentSequential' });
    expect(seq).toBe('/a/s-0000000000');
    const { data, stat } = await c.getData('/a');
    expect(data.toString()).toBe('one');
    expect(stat.czxid).toBe(created.stat?.czxid);
    const set = await c.setData('/a', Buffer.from('two'), { version: 0 });
    expect(set.version).toBe(1);
    await expect(c.setData('/a', 'x', { version: 0 })).rejects.toBeInstanceOf(BadVersionError);
    await expect(c.create('/a')).rejects.toBeInstanceOf(NodeExistsError);
    await expect(c.delete('/a')).rejects.toBeInstanceOf(NotEmptyError);
    expect((await c.getChildren('/a')).children).toEqual(['s-0000000000']);
    expect(await c.exists('/missing')).toBeNull();
    await expect(c.getData('/missing')).rejects.toMatchObject({
      code: 'NO_NODE',
      path: '/missing',
    });
    await c.delete('/a/s-0000000000');
    await c.delete('/a', { version: 1 });
    expect(await c.exists('/a')).toBeNull();
    await c.sync('/');
    expect(await c.getAllChildrenNumber('/')).toBe(0);
  });

  test('bad input is refused before anything is sent', async ({ connectString }) => {
    const c = await connect(connectString);
    await expect(c.getData('a')).rejects.toBeInstanceOf(InvalidPathError);
    await expect(c.setData('/a', 'x', { version: -2 })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(c.multi([{ type: 'check', path: '/a', version: 1.5 }])).rejects.toThrow(
      /ops\[0\]\.version/,
    );
    await expect(c.addWatch('/a', 'bogus' as 'persistent', () => undefined)).rejects.toMatchObject({
      field: 'mode',
    });
    expect(c.state).toBe('connected');
  });

  test('ACL on create, auth and setACL', async ({ connectString }) => {
    const owner = await connect(connectString);
    await owner.addAuth('digest', 'alice:secret');
    await owner.create('/private', 'p', { acl: Acls.CreatorAllAcl });
    await owner.create('/readonly', 'r', { acl: Acls.ReadAclUnsafe });
    const { acl } = await owner.getACL('/private');
    expect(acl).toHaveLength(1);
    expect(acl[0]?.id.scheme).toBe('digest');
    expect(acl[0]?.id.id.startsWith('alice:')).toBe(true);
    const other = await connect(connectString);
    await expect(other.getData('/private')).rejects.toBeInstanceOf(NoAuthError);
    await expect(other.setData('/readonly', 'x')).rejects.toBeInstanceOf(NoAuthError);
    expect((await other.getData('/readonly')).data.toString()).toBe('r');
    const stat = await owner.setACL('/private', [
      { perms: Perms.Read, id: { scheme: 'world', id: 'anyone' } },
    ]);
    expect(stat.aversion).toBe(1);
    expect((await other.getData('/private')).data.toString()).toBe('p');
    expect(await owner.whoAmI()).toEqual(
      expect.arrayContaining([{ authScheme: 'digest', user: 'alice' }]),
    );
    // The owner gave away ADMIN with that ACL.
    await expect(owner.setACL('/private', Acls.OpenAclUnsafe)).rejects.toBeInstanceOf(NoAuthError);
  });

  test('TTL and container nodes use their own opcodes and are reaped', async ({
    connectString,
  }) => {
    const c = await connect(connectString);
    // Sent as a plain create, either node would stay for ever (node-zookeeper-client's container bug).
    const ttl = await c.createWithStat('/ttl', 'x', { mode: 'persistentWithTtl', ttlMs: 500 });
    expect(ttl.stat?.dataLength).toBe(1);
    await c.create('/box', null, { mode: 'container' });
    await c.create('/box/child');
    await c.delete('/box/child');
    await vi.waitFor(async () => expect(await c.exists('/box')).toBeNull(), {
      timeout: 15_000,
      interval: 200,
    });
    await vi.waitFor(async () => expect(await c.exists('/ttl')).toBeNull(), {
      timeout: 15_000,
      interval: 200,
    });
  });

  test('multi commits atomically, reports the failing op and rolls back; multiRead reads independently', async ({
    connectString,
  }) => {
    const c = await connect(connectString);
    const results = await c.multi([
      { type: 'create', path: '/m' },
      { type: 'create', path: '/m/seq-', mode: 'persistentSequential', data: 'd' },
      { type: 'setData', path: '/m', data: 'v' },
      { type: 'check', path: '/m', version: 1 },
    ]);
    expect(results.map((r) => r.type)).toEqual(['create', 'create', 'setData', 'check']);
    expect(results[1]).toMatchObject({ type: 'create', path: '/m/seq-0000000000' });
    // ZooKeeper 3.8 answers a create2 inside multi with a plain CreateResponse (no stat).
    expect(results[0]).toEqual({ type: 'create', path: '/m', stat: undefined });
    expect(results[2]?.type === 'setData' && results[2].stat.version).toBe(1);
    const failure = await c
      .multi([
        { type: 'delete', path: '/m/seq-0000000000' },
        { type: 'check', path: '/m', version: 7 },
        { type: 'create', path: '/never' },
      ])
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TransactionFailedError);
    const tx = failure as TransactionFailedError;
    expect(tx.failedIndex).toBe(1);
    expect(tx.errors[1]).toBeInstanceOf(BadVersionError);
    expect(tx.errors[1]?.path).toBe('/m');
    expect(tx.errors[0]).toBeUndefined();
    expect(await c.exists('/m/seq-0000000000')).not.toBeNull();
    expect(await c.exists('/never')).toBeNull();
    const reads = await c.multiRead([
      { type: 'getData', path: '/m' },
      { type: 'getChildren', path: '/m' },
      { type: 'getData', path: '/nope' },
    ]);
    expect(reads[0]).toMatchObject({ type: 'getData', data: Buffer.from('v') });
    expect(reads[1]).toEqual({ type: 'getChildren', children: ['seq-0000000000'] });
    expect(reads[2]?.type === 'error' && reads[2].error).toBeInstanceOf(NoNodeError);
  });

  test('one-shot watches: server semantics, fan-out to every local listener, fire once', async ({
    connectString,
  }) => {
    const c = await connect(connectString);
    const writer = await connect(connectString);
    const events: string[] = [];
    const rec = (tag: string) => (e: WatchEvent) => events.push(`${tag}:${e.type}:${e.path}`);
    const onData = rec('data');
    await c.exists('/w', { watch: rec('exists') });
    await writer.create('/w', 'a');
    await vi.waitFor(() => expect(events).toEqual(['exists:created:/w']));
    await c.getData('/w', { watch: onData });
    await c.getData('/w', { watch: onData }); // same listener twice: called once (a Set, like Java)
    await c.exists('/w', { watch: rec('exists2') });
    await c.getChildren('/w', { watch: rec('children') });
    await writer.setData('/w', 'b');
    await vi.waitFor(() => expect(events).toHaveLength(3));
    expect(events.slice(1).sort()).toEqual(['data:dataChanged:/w', 'exists2:dataChanged:/w']);
    await writer.create('/w/c');
    await vi.waitFor(() => expect(events).toHaveLength(4));
    expect(events[3]).toBe('children:childrenChanged:/w');
    await writer.setData('/w', 'c');
    await writer.delete('/w/c');
    await c.sync('/w');
    expect(await c.exists('/w')).not.toBeNull(); // a round trip after both changes: no more events
    expect(events).toHaveLength(4);
    expect(c.watchCount).toBe(0);
    await expect(c.getData('/none', { watch: rec('never') })).rejects.toBeInstanceOf(NoNodeError);
    expect(c.watchCount).toBe(0);
  });

  test('persistent and recursive watches fire repeatedly until unsubscribed', async ({
    connectString,
  }) => {
    // The server keeps one watch mode per session and path, so each mode gets its own session here.
    const c = await connect(connectString);
    const c2 = await connect(connectString);
    const writer = await connect(connectString);
    const persistent: string[] = [];
    const recursive: string[] = [];
    await writer.create('/p');
    const stopP = await c.addWatch('/p', 'persistent', (e) =>
      persistent.push(`${e.type}:${e.path}`),
    );
    const stopR = await c2.addWatch('/p', 'persistentRecursive', (e) =>
      recursive.push(`${e.type}:${e.path}`),
    );
    await writer.setData('/p', '1');
    await writer.setData('/p', '2');
    await writer.create('/p/q');
    await writer.create('/p/q/r');
    await writer.delete('/p/q/r');
    await vi.waitFor(() => expect(recursive).toHaveLength(5));
    expect(recursive).toEqual([
      'dataChanged:/p',
      'dataChanged:/p',
      'created:/p/q',
      'created:/p/q/r',
      'deleted:/p/q/r',
    ]);
    expect(persistent).toEqual(['dataChanged:/p', 'dataChanged:/p', 'childrenChanged:/p']);
    stopP();
    stopR();
    stopR();
    await writer.setData('/p', '3');
    await Promise.all([c, c2].map((x) => x.sync('/p')));
    await Promise.all([c, c2].map((x) => x.exists('/p')));
    expect(persistent).toHaveLength(3);
    expect(recursive).toHaveLength(5);
  });

  test('removeWatches and checkWatches', async ({ connectString }) => {
    const c = await connect(connectString);
    await c.create('/r');
    const got: WatchEvent[] = [];
    await c.getData('/r', { watch: (e) => got.push(e) });
    await c.getChildren('/r', { watch: (e) => got.push(e) });
    await c.checkWatches('/r', 'data');
    await c.removeWatches('/r', 'data');
    expect(got).toEqual([{ type: 'dataWatchRemoved', path: '/r' }]);
    await expect(c.removeWatches('/r', 'data')).rejects.toBeInstanceOf(NoWatcherError);
    await expect(c.checkWatches('/r', 'data')).rejects.toBeInstanceOf(NoWatcherError);
    await c.removeWatches('/r', 'any');
    expect(got).toEqual([
      { type: 'dataWatchRemoved', path: '/r' },
      { type: 'childWatchRemoved', path: '/r' },
    ]);
    await c.setData('/r', 'x');
    await c.sync('/r');
    await c.exists('/r');
    expect(got).toHaveLength(2);
  });

  test('getEphemerals strips the chroot; getConfig is never chrooted', async ({
    connectString,
  }) => {
    const c = await connect(connectString);
    await c.create('/e1', null, { mode: 'ephemeral' });
    await c.create('/e2', null, { mode: 'ephemeral' });
    expect((await c.getEphemerals('/')).sort()).toEqual(['/e1', '/e2']);
    expect(await c.getEphemerals('/e2')).toEqual(['/e2']);
    const config = await c.getConfig();
    expect(config.stat.czxid).toBe(0n);
  });

  test('xids wrap from 2^31-1 to 1 without hitting a reserved value', async ({ connectString }) => {
    const c = await connect(connectString, { xidSeed: 2 ** 31 - 6 });
    for (let i = 0; i < 12; i++) await c.create(`/x${i}`);
    const many = await Promise.all(Array.from({ length: 12 }, (_, i) => c.exists(`/x${i}`)));
    expect(many.every((s) => s !== null)).toBe(true);
    expect(c.state).toBe('connected');
  });

  test('pipelined requests complete in order; close waits for them and ends the session', async ({
    connectString,
  }) => {
    const c = await connect(connectString);
    const events: SessionEvent['type'][] = [];
    c.onSessionEvent((e) => events.push(e.type));
    await c.create('/eph', null, { mode: 'ephemeral' });
    const writes = Array.from({ length: 200 }, (_, i) => c.create(`/n${i}`));
    const closing = c.close();
    expect(await Promise.all(writes)).toHaveLength(200);
    await closing;
    expect(c.state).toBe('closed');
    expect(events).toEqual(['closed']);
    await expect(c.getData('/n1')).rejects.toBeInstanceOf(ClientClosedError);
    const other = await connect(connectString);
    expect(await other.exists('/eph')).toBeNull();
    expect(await other.getAllChildrenNumber('/')).toBe(200);
  });
});
