import {
  BadVersionError,
  ClientClosedError,
  CreateMode,
  createZkClient,
  InvalidArgumentError,
  NoAuthError,
  NodeExistsError,
  NoNodeError,
  Perms,
} from '@zookit/client';
import { RetryNTimes } from '@zookit/retry';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';

import {
  createFramework,
  isProtectedZNode,
  jsonCodec,
  SchemaViolationError,
  utf8Codec,
} from '../src/index.js';
import type { ZkFramework } from '../src/index.js';
import { startedFramework, uniqueNamespace } from './helpers.js';

const connectString = inject('zkStandalone');
const open: ZkFramework[] = [];

async function framework(
  options: Partial<Parameters<typeof createFramework>[0]> = {},
): Promise<ZkFramework> {
  const zk = await startedFramework({ connectString, namespace: uniqueNamespace(), ...options });
  open.push(zk);
  return zk;
}

function deferred(): { promise: Promise<unknown>; resolve: (value: unknown) => void } {
  let resolve!: (value: unknown) => void;
  const promise = new Promise<unknown>((r) => (resolve = r));
  return { promise, resolve };
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((zk) => zk.close()));
});

describe('ZkFramework lifecycle and connection', () => {
  it('does no I/O before start, posts connected with the session id, and closes idempotently', async () => {
    let made = 0;
    const zk = createFramework({
      connectString,
      sessionTimeoutMs: 10_000,
      clientFactory: (o) => {
        made++;
        return createZkClient(o);
      },
    });
    expect(zk.state).toBe('latent');
    expect(made).toBe(0);
    expect(zk.connectionState).toBeUndefined();
    await zk.start();
    await zk.waitForConnection({ timeoutMs: 20_000 });
    expect(made).toBe(1);
    expect(zk.connectionState).toMatchObject({ state: 'connected', sessionId: zk.sessionId });
    expect(typeof zk.sessionId).toBe('bigint');
    expect(zk.isConnected()).toBe(true);
    expect(zk.leaseDeadline).toBeGreaterThan(performance.now());
    const replayed = await new Promise((resolve) =>
      zk.connectionState$.subscribe(resolve).unsubscribe(),
    );
    expect(replayed).toMatchObject({ state: 'connected' });
    let completed = false;
    zk.connectionState$.subscribe({ complete: () => (completed = true) });
    await Promise.all([zk.close(), zk.close()]);
    await zk[Symbol.asyncDispose]();
    expect(completed).toBe(true);
    expect(zk.state).toBe('closed');
    await expect(zk.getData('/')).rejects.toBeInstanceOf(ClientClosedError);
  });

  it('listener adapter: emitCurrent, unsubscribe, abort signal, listener errors to errors$; error policies', async () => {
    const zk = await framework({ errorPolicy: 'session' });
    const errors: Error[] = [];
    zk.errors$.subscribe((e) => errors.push(e));
    const seen: string[] = [];
    const unsubscribe = zk.onConnectionStateChange(
      (e) => {
        seen.push(e.state);
        throw new Error('bad listener');
      },
      { emitCurrent: true },
    );
    expect(seen).toEqual(['connected']);
    expect(errors.map((e) => e.message)).toEqual(['bad listener']);
    unsubscribe();
    unsubscribe();
    const quiet: string[] = [];
    const controller = new AbortController();
    zk.onConnectionStateChange((e) => quiet.push(e.state), { signal: controller.signal });
    controller.abort();
    expect(quiet).toEqual([]); // no replay without emitCurrent
    expect(zk.errorPolicy).toBe('session');
    expect(zk.isErrorState('suspended')).toBe(false);
    expect(zk.isErrorState('lost')).toBe(true);
    const standard = await framework();
    expect(standard.isErrorState('suspended')).toBe(true);
    expect(standard.isErrorState(standard.connectionState ?? 'lost')).toBe(false);
  });

  it('rejects bad options with InvalidArgumentError naming the field', () => {
    expect(() => createFramework({ connectString: '' })).toThrow(InvalidArgumentError);
    try {
      createFramework({ connectString, sessionTimeoutMs: -5 });
    } catch (e) {
      expect((e as InvalidArgumentError).field).toBe('sessionTimeoutMs');
    }
    try {
      createFramework({ connectString, errorPolicy: 'lenient' as never });
    } catch (e) {
      expect((e as InvalidArgumentError).field).toBe('errorPolicy');
    }
    expect(() => createFramework({ connectString, namespace: 'a//b' })).toThrow(/namespace/);
  });

  it('passes the transport to the client factory; a transport the build lacks rejects start()', async () => {
    const seen: string[] = [];
    const zk = createFramework({
      connectString,
      transport: 'wire',
      clientFactory: (o) => {
        seen.push(o.transport);
        return createZkClient({ ...o, transport: 'native' });
      },
    });
    open.push(zk);
    await zk.start();
    expect(seen).toEqual(['wire']);
    const missing = createFramework({
      connectString,
      clientFactory: () => {
        throw new InvalidArgumentError('transport', 'not in this build');
      },
    });
    await expect(missing.start()).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(missing.state).toBe('latent');
    await missing.close();
  });

  it('waitForConnection times out with ConnectTimeoutError and honours abort', async () => {
    const zk = createFramework({ connectString: '127.0.0.1:1', connectionTimeoutMs: 1_000 });
    open.push(zk);
    await zk.start();
    await expect(zk.waitForConnection({ timeoutMs: 50 })).rejects.toMatchObject({
      code: 'CONNECT_TIMEOUT',
    });
    const reason = new Error('stop');
    await expect(zk.waitForConnection({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });
});

describe('ZkFramework operations', () => {
  it('creates, reads, writes, lists and deletes under the namespace', async () => {
    const zk = await framework();
    // The namespace node is a container: a persistent child keeps the server from reaping it mid-test.
    await zk.create('/keep');
    expect(await zk.create('/a', 'one')).toBe('/a');
    const { data, stat } = await zk.getData('/a');
    expect(data.toString()).toBe('one');
    const s2 = await zk.setData('/a', 'two', { version: stat.version });
    expect(s2.version).toBe(stat.version + 1);
    await expect(zk.setData('/a', 'three', { version: stat.version })).rejects.toBeInstanceOf(
      BadVersionError,
    );
    expect((await zk.exists('/a'))?.version).toBe(1);
    expect(await zk.exists('/missing')).toBeNull();
    await zk.create('/a/c1');
    await zk.create('/a/c2');
    expect((await zk.getChildren('/a')).sort()).toEqual(['c1', 'c2']);
    await expect(zk.create('/a')).rejects.toBeInstanceOf(NodeExistsError);
    await expect(zk.delete('/nope')).rejects.toBeInstanceOf(NoNodeError);
    await zk.delete('/nope', { quietly: true });
    await zk.delete('/a', { recursive: true });
    expect(await zk.exists('/a')).toBeNull();

    const root = await framework({ namespace: '' }); // no namespace
    const ns = zk.namespace ?? '';
    expect(await root.exists(`/${ns}`)).not.toBeNull(); // the namespace node itself
    expect(await root.getChildren(`/${ns}`)).toEqual(['keep']);
    const view = root.usingNamespace(ns);
    await view.create('/via-view', 'v');
    expect((await zk.getData('/via-view')).data.toString()).toBe('v');
    await view.close(); // a view's close does nothing
    expect(root.state).toBe('started');
  });

  it('creates parents as persistent nodes or containers', async () => {
    const zk = await framework();
    await expect(zk.create('/p/q/r', 'x')).rejects.toBeInstanceOf(NoNodeError);
    expect(await zk.create('/p/q/r', 'x', { parents: true })).toBe('/p/q/r');
    expect((await zk.getData('/p/q')).data.length).toBe(0);
    expect(
      await zk.create('/c/d/e-', 'x', {
        parents: 'containers',
        mode: CreateMode.PersistentSequential,
      }),
    ).toBe('/c/d/e-0000000000');
  });

  it('protected create uses Curator names: parent/_c_<uuid>-name<seq>', async () => {
    const zk = await framework();
    const path = await zk.create('/locks/lock-', 'me', {
      mode: CreateMode.EphemeralSequential,
      parents: 'containers',
      protected: true,
    });
    expect(path).toMatch(
      /^\/locks\/_c_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-lock-\d{10}$/,
    );
    const name = path.split('/').at(-1) ?? '';
    expect(isProtectedZNode(name)).toBe(true);
    const { stat } = await zk.getData(path);
    expect(stat.ephemeralOwner).toBe(zk.sessionId);
  });

  it('watches deliver namespace-relative paths; listener errors go to errors$', async () => {
    const zk = await framework();
    const errors: Error[] = [];
    zk.errors$.subscribe((e) => errors.push(e));
    await zk.create('/w', 'x');
    const event = deferred();
    await zk.getData('/w', {
      watch: (e) => {
        event.resolve(e);
        throw new Error('listener bug');
      },
    });
    await zk.setData('/w', 'y');
    expect(await event.promise).toEqual({ type: 'dataChanged', path: '/w' });
    await expect.poll(() => errors.map((e) => e.message)).toContain('listener bug');

    const childEvent = deferred();
    await zk.getChildren('/w', { watch: childEvent.resolve });
    await zk.create('/w/kid');
    expect(await childEvent.promise).toEqual({ type: 'childrenChanged', path: '/w' });
    const created = deferred();
    await zk.exists('/later', { watch: created.resolve });
    await zk.create('/later');
    expect(await created.promise).toEqual({ type: 'created', path: '/later' });
  });

  it('codecs decode and validate reads and encode writes', async () => {
    const zk = await framework();
    const Config = z.object({ port: z.number().int() });
    const codec = jsonCodec(Config);
    await zk.create('/cfg', { port: 80 }, { codec });
    const { data } = await zk.getData('/cfg', { codec });
    expect(data.port).toBe(80);
    await zk.setData('/cfg', '{"port":"eighty"}');
    const err = await zk.getData('/cfg', { codec }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaViolationError);
    expect((err as SchemaViolationError).path).toBe('/cfg');
    expect((err as SchemaViolationError).issues[0]?.path).toEqual(['port']);
    await zk.setData('/cfg', 'plain', { codec: utf8Codec });
    expect((await zk.getData('/cfg', { codec: utf8Codec })).data).toBe('plain');
  });

  it('update is a compare-and-set that retries on BAD_VERSION: concurrent increments are never lost', async () => {
    const a = await framework();
    const b = await framework({ namespace: a.namespace ?? '' });
    const counter = jsonCodec(z.number().int());
    await a.create('/count', 0, { codec: counter });
    const inc = (zk: ZkFramework) => zk.update('/count', (n) => n + 1, { codec: counter });
    await Promise.all(Array.from({ length: 15 }, (_, i) => inc(i % 2 === 0 ? a : b)));
    const { data, stat } = await a.getData('/count', { codec: counter });
    expect(data).toBe(15);
    expect(stat.version).toBe(15);
    const raw = await a.update('/count', (cur) => Buffer.concat([cur, Buffer.from('!')]));
    expect(raw.data.toString()).toBe('15!');
  });

  it('applies authorization to every new session', async () => {
    const ns = uniqueNamespace();
    const authed = await framework({
      namespace: ns,
      authorization: [{ scheme: 'digest', auth: 'alice:secret' }],
    });
    await authed.create('/secret', 'hidden');
    await authed.setACL('/secret', [{ perms: Perms.All, id: { scheme: 'auth', id: '' } }]);
    const anonymous = await framework({ namespace: ns });
    await expect(anonymous.getData('/secret')).rejects.toBeInstanceOf(NoAuthError);
    const again = await framework({
      namespace: ns,
      authorization: [{ scheme: 'digest', auth: 'alice:secret' }],
    });
    expect((await again.getData('/secret')).data.toString()).toBe('hidden');
  });

  it('a non-retryable error is thrown at once; a closed framework fails pending waits', async () => {
    const zk = await framework({ retryPolicy: new RetryNTimes({ maxRetries: 5, sleepMs: 10 }) });
    await expect(zk.getData('/absent')).rejects.toBeInstanceOf(NoNodeError);
    await zk.close();
    await expect(zk.waitForConnection()).rejects.toBeInstanceOf(ClientClosedError);
  });
});

describe.each(['native', 'wire'] as const)('on the %s transport', (transport) => {
  it('runs protected create, reads, compare-and-set and recursive delete', async () => {
    const zk = await framework({ transport });
    expect(zk.client?.transport).toBe(transport);
    const p = await zk.create('/t/n-', 'v', {
      mode: CreateMode.EphemeralSequential,
      parents: 'containers',
      protected: true,
    });
    expect(isProtectedZNode(p.split('/').at(-1) ?? '')).toBe(true);
    expect((await zk.getData(p)).stat.ephemeralOwner).toBe(zk.sessionId);
    await zk.create('/c', '1');
    const r = await zk.update('/c', (cur) => String(Number(cur.toString()) + 1));
    expect(r.data.toString()).toBe('2');
    await zk.create('/d/e/f', null, { parents: true });
    await zk.delete('/d', { recursive: true });
    expect(await zk.exists('/d')).toBeNull();
  });
});
