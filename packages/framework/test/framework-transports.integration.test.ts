import { createHash } from 'node:crypto';

import {
  Acls,
  createZkClient,
  CreateMode,
  DEFAULT_TRANSPORT,
  InvalidArgumentError,
  NoAuthError,
  Perms,
  TransactionFailedError,
  UnsupportedByTransportError,
} from '@zookit/client';
import type { Acl, WatchEvent } from '@zookit/client';
import { RetryNTimes } from '@zookit/retry';
import { FaultProxy } from '@zookit/test-harness';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';

import { createFramework, TransactionOutcomeUnknownError } from '../src/index.js';
import type {
  AclProvider,
  ClientFactoryOptions,
  FrameworkOptions,
  ZkFramework,
} from '../src/index.js';
import { startedFramework, uniqueNamespace } from './helpers.js';

const connectString = inject('zkStandalone');
const open: (ZkFramework | FaultProxy)[] = [];
const secret = { scheme: 'digest', auth: 'user:pw' } as const;
/** The id ZooKeeper stores for `auth`/CreatorAllAcl when the session authenticated as user:pw. */
const digestId = `user:${createHash('sha1').update('user:pw').digest('base64')}`;
const userAll: Acl[] = [{ perms: Perms.All, id: { scheme: 'digest', id: digestId } }];

async function framework(options: Partial<FrameworkOptions> = {}): Promise<ZkFramework> {
  const zk = await startedFramework({ connectString, namespace: uniqueNamespace(), ...options });
  open.push(zk);
  return zk;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

describe('ACLs on create through the framework', () => {
  it('wire: a node with CreatorAllAcl or a digest id is unreadable without the credentials, readable with them', async () => {
    const namespace = uniqueNamespace();
    const owner = await framework({ namespace, transport: 'wire', authorization: [secret] });
    await owner.create('/creator', 'c', { acl: Acls.CreatorAllAcl });
    await owner.create('/digest', 'd', { acl: userAll, parents: true });
    expect((await owner.getACL('/creator')).acl).toEqual(userAll);

    const stranger = await framework({
      namespace,
      transport: 'wire',
      retryPolicy: new RetryNTimes({ maxRetries: 0, sleepMs: 1 }),
    });
    await expect(stranger.getData('/creator')).rejects.toBeInstanceOf(NoAuthError);
    await expect(stranger.getData('/digest')).rejects.toBeInstanceOf(NoAuthError);

    const friend = await framework({ namespace, transport: 'wire', authorization: [secret] });
    expect((await friend.getData('/creator')).data.toString()).toBe('c');
    expect((await friend.getData('/digest')).data.toString()).toBe('d');
  });

  it('native: the same create fails with UnsupportedByTransportError and creates nothing, not even the namespace', async () => {
    const namespace = uniqueNamespace();
    const zk = await framework({ namespace, transport: 'native', authorization: [secret] });
    const error = await zk
      .create('/creator', 'c', { acl: Acls.CreatorAllAcl, parents: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedByTransportError);
    expect(error).toMatchObject({
      capability: 'aclOnCreate',
      transport: 'native',
      path: `/${namespace}/creator`,
    });
    // An ACL provider with a non-open ACL is refused the same way, for plain creates and transactions alike.
    const provided = await framework({
      namespace,
      transport: 'native',
      aclProvider: { getDefaultAcl: () => Acls.CreatorAllAcl },
    });
    await expect(provided.create('/p', 'x')).rejects.toBeInstanceOf(UnsupportedByTransportError);
    const root = (await framework({ transport: 'wire' })).usingNamespace(undefined);
    expect(await root.exists(`/${namespace}`)).toBeNull();
  });

  it('applies the ACL provider to the node, its created parents, the namespace nodes and transaction creates', async () => {
    const namespace = `${uniqueNamespace()}/inner`;
    const provider: AclProvider = {
      getDefaultAcl: () => Acls.CreatorAllAcl,
      getAclForPath: (path) => (path.endsWith('/public') ? Acls.OpenAclUnsafe : undefined),
    };
    const zk = await framework({
      namespace,
      transport: 'wire',
      authorization: [secret],
      aclProvider: provider,
    });
    await zk.create('/a/b/c', 'x', { parents: true });
    await zk.create('/a/public', 'p');
    await zk.create('/a/explicit', 'e', { acl: Acls.ReadAclUnsafe });
    await zk.transaction().create('/a/t', 't').commit();
    for (const path of ['/a', '/a/b', '/a/b/c', '/a/t'])
      expect((await zk.getACL(path)).acl).toEqual(userAll);
    expect((await zk.getACL('/a/public')).acl).toEqual(Acls.OpenAclUnsafe);
    expect((await zk.getACL('/a/explicit')).acl).toEqual(Acls.ReadAclUnsafe);
    const root = zk.usingNamespace(undefined);
    const [top] = namespace.split('/');
    expect((await root.getACL(`/${top}`)).acl).toEqual(userAll);
    expect((await root.getACL(`/${namespace}`)).acl).toEqual(userAll);
  });

  it('rejects a malformed aclProvider at construction, naming the field', () => {
    const bad = { getDefaultAcl: 'no' } as unknown as AclProvider;
    expect(() => createFramework({ connectString, aclProvider: bad })).toThrow(
      InvalidArgumentError,
    );
    expect(() => createFramework({ connectString, aclProvider: bad })).toThrow(/aclProvider/);
  });
});

describe('transport selection and TLS', () => {
  it('tls with the native transport fails at construction with a typed error naming tls', () => {
    const error = (() => {
      try {
        createFramework({ connectString, transport: 'native', tls: true });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UnsupportedByTransportError);
    expect(error).toMatchObject({ capability: 'tls', transport: 'native' });
    expect(() => createFramework({ connectString, transport: 'native', tls: false })).not.toThrow();
  });

  it('follows the client DEFAULT_TRANSPORT and hands tls to every session client of the wire transport', async () => {
    const seen: ClientFactoryOptions[] = [];
    const zk = await framework({
      clientFactory: (o) => {
        seen.push(o);
        return createZkClient(o);
      },
    });
    expect(zk.client?.transport).toBe(DEFAULT_TRANSPORT);
    expect(seen[0]?.transport).toBe(DEFAULT_TRANSPORT);
    expect(seen[0]).not.toHaveProperty('tls');

    const tls = { insecureSkipVerify: true, servername: 'zk.example' };
    const tlsSeen: ClientFactoryOptions[] = [];
    const withTls = createFramework({
      connectString,
      transport: 'wire',
      tls,
      clientFactory: (o) => {
        tlsSeen.push(o);
        return createZkClient(o);
      },
    });
    open.push(withTls);
    await withTls.start();
    expect(tlsSeen[0]).toMatchObject({ transport: 'wire', tls });
  });
});

describe('transactions', () => {
  it('commits in order with namespaced paths mapped back', async () => {
    const zk = await framework({ transport: 'wire' });
    await zk.create('/x', 'v0');
    const results = await zk
      .transaction()
      .create('/seq-', 'a', { mode: CreateMode.PersistentSequential })
      .setData('/x', 'v1', { version: 0 })
      .check('/x', 1)
      .create('/y', 'b')
      .delete('/y', { version: 0 })
      .commit();
    expect(results.map((r) => r.type)).toEqual(['create', 'setData', 'check', 'create', 'delete']);
    const [seq, set] = results;
    expect(seq?.type === 'create' && seq.path).toMatch(/^\/seq-\d{10}$/);
    expect(set?.type === 'setData' && set.stat.version).toBe(1);
    expect(await zk.getChildren('/')).toEqual(
      expect.arrayContaining(['x', expect.stringMatching(/^seq-/)]),
    );
    expect(await zk.exists('/y')).toBeNull();
  });

  it('a failing transaction throws TransactionFailedError with failedIndex and applies nothing', async () => {
    const zk = await framework({ transport: 'wire' });
    await zk.create('/x', 'v0');
    const error = await zk
      .transaction()
      .setData('/x', 'v1')
      .create('/z', 'z')
      .check('/x', 99)
      .commit()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionFailedError);
    expect((error as TransactionFailedError).failedIndex).toBe(2);
    expect(await zk.exists('/z')).toBeNull();
    const { data, stat } = await zk.getData('/x');
    expect([data.toString(), stat.version]).toEqual(['v0', 0]);
  });

  it('does not resend a transaction with writes whose reply was lost; resends a check-only one', async () => {
    const proxy = await FaultProxy.start({ target: connectString });
    open.push(proxy);
    const zk = await framework({ connectString: proxy.connectString, transport: 'wire' });
    await zk.create('/ready', 'r');
    const dropped = proxy.dropNextReply();
    const error = await zk
      .transaction()
      .create('/m', 'x')
      .setData('/ready', 'r2')
      .commit()
      .catch((e: unknown) => e);
    expect((await dropped).opCode).toBe(14);
    expect(error).toBeInstanceOf(TransactionOutcomeUnknownError);
    expect((error as TransactionOutcomeUnknownError).outcomeUnknown).toBe(true);
    // Applied exactly once: not resent (a resend would have failed on NODE_EXISTS, or bumped the version twice).
    expect((await zk.getData('/ready')).stat.version).toBe(1);
    expect(await zk.exists('/m')).not.toBeNull();

    const droppedCheck = proxy.dropNextReply();
    const results = await zk.transaction().check('/ready', 1).commit();
    expect((await droppedCheck).opCode).toBe(14);
    expect(results).toEqual([{ type: 'check' }]);
  });
});

describe('persistent watches through a namespace', () => {
  it('persistent: fires on every change of the node, paths relative to the namespace; the signal removes it', async () => {
    const zk = await framework({ transport: 'wire' });
    await zk.create('/p', 'v0');
    const events: WatchEvent[] = [];
    const controller = new AbortController();
    await zk.watch('/p', { mode: 'persistent', signal: controller.signal }, (e) => events.push(e));
    await zk.setData('/p', 'v1');
    await zk.setData('/p', 'v2');
    await zk.create('/p/child', 'c');
    await vi.waitFor(() =>
      expect(events.map((e) => [e.type, e.path])).toEqual([
        ['dataChanged', '/p'],
        ['dataChanged', '/p'],
        ['childrenChanged', '/p'],
      ]),
    );
    controller.abort();
    await zk.setData('/p', 'v3');
    // Barrier: the server notifies one session in order, so this one-shot watch fires after any event the
    // removed persistent watch could still have caused.
    const barrier = new Promise<void>(
      (resolve) => void zk.exists('/barrier', { watch: () => resolve() }),
    );
    await zk.create('/barrier', 'b');
    await barrier;
    expect(events).toHaveLength(3);
  });

  it('persistentRecursive: fires for the node and every descendant; unsubscribe stops it', async () => {
    const zk = await framework({ transport: 'wire' });
    const events: WatchEvent[] = [];
    const unsubscribe = await zk.watch('/tree', { mode: 'persistentRecursive' }, (e) =>
      events.push(e),
    );
    await zk.create('/tree', 't');
    await zk.create('/tree/a', 'a');
    await zk.create('/tree/a/b', 'b');
    await zk.setData('/tree/a/b', 'b2');
    await zk.delete('/tree/a/b');
    await vi.waitFor(() =>
      expect(events.map((e) => [e.type, e.path])).toEqual([
        ['created', '/tree'],
        ['created', '/tree/a'],
        ['created', '/tree/a/b'],
        ['dataChanged', '/tree/a/b'],
        ['deleted', '/tree/a/b'],
      ]),
    );
    unsubscribe();
    await zk.setData('/tree/a', 'a2');
    const barrier = new Promise<void>(
      (resolve) => void zk.exists('/barrier', { watch: () => resolve() }),
    );
    await zk.create('/barrier', 'b');
    await barrier;
    expect(events).toHaveLength(5);
  });
});

describe('createWithStat', () => {
  it('wire: returns the stat of the created node (create2), also for protected sequential creates', async () => {
    const zk = await framework({ transport: 'wire' });
    const plain = await zk.createWithStat('/plain', 'x');
    expect(plain.path).toBe('/plain');
    expect(plain.stat).toEqual(await zk.exists('/plain'));
    const owned = await zk.createWithStat('/locks/lock-', 'x', {
      mode: CreateMode.EphemeralSequential,
      parents: 'containers',
      protected: true,
    });
    expect(owned.path).toMatch(/^\/locks\/_c_[0-9a-f-]{36}-lock-\d{10}$/);
    expect(owned.stat?.czxid).toBe((await zk.exists(owned.path))?.czxid);
    expect(owned.stat?.ephemeralOwner).toBe(zk.sessionId);
  });

  it('native: same path semantics, stat undefined', async () => {
    const zk = await framework({ transport: 'native' });
    const result = await zk.createWithStat('/n-', 'x', { mode: CreateMode.PersistentSequential });
    expect(result.path).toMatch(/^\/n-\d{10}$/);
    expect(result.stat).toBeUndefined();
  });
});

describe('namespace container reaped by the server', () => {
  it('a create without parents re-creates the namespace once it was reaped', async () => {
    const namespace = uniqueNamespace();
    const zk = await framework({ namespace, transport: 'wire' });
    const root = zk.usingNamespace(undefined);
    await zk.create('/child', 'c');
    await zk.delete('/child');
    // The shared server reaps empty containers every second.
    await expect
      .poll(() => root.exists(`/${namespace}`), { timeout: 20_000, interval: 200 })
      .toBeNull();
    expect(await zk.create('/again', 'a')).toBe('/again');
    expect((await zk.getData('/again')).data.toString()).toBe('a');
    await zk.delete('/again');
    await expect
      .poll(() => root.exists(`/${namespace}`), { timeout: 20_000, interval: 200 })
      .toBeNull();
    const [created] = await zk.transaction().create('/tx', 't').commit();
    expect(created).toMatchObject({ type: 'create', path: '/tx' });
  });
});
