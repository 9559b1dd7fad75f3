import {
  BadVersionError,
  CreateMode,
  NoChildrenForEphemeralsError,
  NodeExistsError,
  NoNodeError,
  NotEmptyError,
  NoWatcherError,
  ReconfigDisabledError,
  UnsupportedByTransportError,
  type ZkError,
  type Acl,
} from '@zookit/client';
import { expect, it, vi } from 'vitest';
import { describeContract, expectGoneAfterClose, freshExists } from './contract-context.js';
import { diverges } from './transports.js';

describeContract('contract: nodes', (env) => {
  it('creates persistent and ephemeral nodes; the ephemeral is owned by the session and dies with it', async () => {
    const { admin, root, open } = env();
    const client = await open();
    expect(await client.create('/p', 'data')).toBe('/p');
    expect(await client.create('/e', null, { mode: CreateMode.Ephemeral })).toBe('/e');
    const e = await client.exists('/e');
    expect(e?.ephemeralOwner).toBe(client.sessionId);
    expect((await client.exists('/p'))?.ephemeralOwner).toBe(0n);
    await client.close();
    await expectGoneAfterClose(env(), admin, `${root}/e`);
    expect(await freshExists(admin, `${root}/p`)).not.toBeNull();
  });

  it('names sequential nodes with a 10-digit counter, also for a trailing-slash prefix', async () => {
    const client = await env().open();
    await client.create('/q');
    const a = await client.create('/q/job-', 'x', { mode: CreateMode.PersistentSequential });
    const b = await client.create('/q/job-', 'x', { mode: CreateMode.EphemeralSequential });
    expect(a).toMatch(/^\/q\/job-\d{10}$/);
    expect(b).toMatch(/^\/q\/job-\d{10}$/);
    expect(Number(b.slice(-10))).toBe(Number(a.slice(-10)) + 1);
    await client.create('/r');
    expect(await client.create('/r/', null, { mode: CreateMode.PersistentSequential })).toBe(
      '/r/0000000000',
    );
  });

  it('creates a container that the server removes after its last child goes', async () => {
    const client = await env().open();
    expect(await client.create('/c', null, { mode: CreateMode.Container })).toBe('/c');
    await client.create('/c/child');
    expect((await client.exists('/c'))?.ephemeralOwner).toBe(0n);
    await client.delete('/c/child');
    await vi.waitFor(async () => expect(await client.exists('/c')).toBeNull(), {
      timeout: 20_000,
      interval: 200,
    });
  });

  it('creates TTL nodes that the server removes after the TTL', async () => {
    const client = await env().open();
    expect(await client.create('/t', 'x', { mode: CreateMode.PersistentWithTtl, ttlMs: 500 })).toBe(
      '/t',
    );
    const seq = await client.create('/ts-', 'x', {
      mode: CreateMode.PersistentSequentialWithTtl,
      ttlMs: 500,
    });
    expect(seq).toMatch(/^\/ts-\d{10}$/);
    await vi.waitFor(
      async () => {
        expect(await client.exists('/t')).toBeNull();
        expect(await client.exists(seq)).toBeNull();
      },
      { timeout: 20_000, interval: 200 },
    );
  });

  it('round-trips data; null, undefined and empty all mean empty data', async () => {
    const client = await env().open();
    const bytes = new Uint8Array([0, 1, 2, 255]);
    await client.create('/bin', bytes);
    expect([...(await client.getData('/bin')).data]).toEqual([0, 1, 2, 255]);
    await client.create('/txt', 'héllo→✓');
    expect((await client.getData('/txt')).data.toString('utf8')).toBe('héllo→✓');
    for (const [name, value] of [
      ['n', null],
      ['u', undefined],
      ['s', ''],
    ] as const) {
      await client.create(`/${name}`, value);
      const { data, stat } = await client.getData(`/${name}`);
      expect(data.length).toBe(0);
      expect(stat.dataLength).toBe(0);
    }
    const stat = await client.setData('/txt', null);
    expect(stat.dataLength).toBe(0);
    expect((await client.getData('/txt')).data.toString()).toBe('');
  });

  it('versions setData and delete: -1 (default) matches any version, others must match', async () => {
    const client = await env().open();
    await client.create('/v', 'a');
    const s1 = await client.setData('/v', 'b');
    expect(s1.version).toBe(1);
    const s2 = await client.setData('/v', 'c', { version: 1 });
    expect(s2.version).toBe(2);
    expect(s2.mzxid > s1.mzxid).toBe(true);
    await expect(client.setData('/v', 'd', { version: 1 })).rejects.toBeInstanceOf(BadVersionError);
    expect((await client.getData('/v')).data.toString()).toBe('c');
    await expect(client.delete('/v', { version: 0 })).rejects.toBeInstanceOf(BadVersionError);
    await client.delete('/v', { version: 2 });
    expect(await client.exists('/v')).toBeNull();
    await client.create('/w');
    await client.setData('/w', 'x', { version: -1 });
    await client.delete('/w');
    expect(await client.exists('/w')).toBeNull();
  });

  it('reports a full, lossless stat', async () => {
    const { open } = env();
    const client = await open();
    const before = Date.now();
    await client.create('/s', 'abc');
    await client.create('/s/kid');
    const { stat } = await client.getData('/s');
    expect(typeof stat.czxid).toBe('bigint');
    expect(stat.pzxid > stat.czxid).toBe(true);
    expect(stat.mzxid).toBe(stat.czxid);
    expect(stat).toMatchObject({
      version: 0,
      cversion: 1,
      aversion: 0,
      dataLength: 3,
      numChildren: 1,
    });
    expect(stat.ctime).toBeGreaterThanOrEqual(before - 60_000);
    expect(stat.mtime).toBe(stat.ctime);
    expect(typeof client.sessionId).toBe('bigint');
  });

  it('lists children in server order with the parent stat', async () => {
    const client = await env().open();
    await client.create('/list');
    for (const n of ['b', 'a', 'c']) await client.create(`/list/${n}`);
    const { children, stat } = await client.getChildren('/list');
    expect([...children].sort()).toEqual(['a', 'b', 'c']);
    expect(stat.numChildren).toBe(3);
    expect((await client.getChildren('/list/a')).children).toEqual([]);
  });

  it('maps server errors to typed errors naming the path', async () => {
    const client = await env().open();
    await client.create('/x');
    await client.create('/x/y');
    await client.create('/eph', null, { mode: CreateMode.Ephemeral });
    await expect(client.create('/x')).rejects.toMatchObject({ code: 'NODE_EXISTS', path: '/x' });
    await expect(client.create('/x')).rejects.toBeInstanceOf(NodeExistsError);
    await expect(client.getData('/missing')).rejects.toBeInstanceOf(NoNodeError);
    await expect(client.setData('/missing', 'x')).rejects.toMatchObject({
      code: 'NO_NODE',
      path: '/missing',
    });
    await expect(client.delete('/missing')).rejects.toBeInstanceOf(NoNodeError);
    await expect(client.getChildren('/missing')).rejects.toBeInstanceOf(NoNodeError);
    await expect(client.create('/missing/child')).rejects.toBeInstanceOf(NoNodeError);
    await expect(client.delete('/x')).rejects.toBeInstanceOf(NotEmptyError);
    await expect(client.create('/eph/child')).rejects.toBeInstanceOf(NoChildrenForEphemeralsError);
    expect(await client.exists('/missing')).toBeNull();
  });

  it('createWithStat returns the path, and the stat where the transport can', async () => {
    const { transport, open } = env();
    const client = await open();
    const result = await client.createWithStat('/cs', 'abc');
    expect(result.path).toBe('/cs');
    expect(client.capabilities.create2).toBe(!diverges(transport, 'createWithStatWithoutStat'));
    if (diverges(transport, 'createWithStatWithoutStat')) expect(result.stat).toBeUndefined();
    else expect(result.stat).toMatchObject({ version: 0, dataLength: 3 });
  });

  it('create with a non-open ACL is applied, or refused without touching the server', async () => {
    const { transport, admin, root, open } = env();
    const client = await open();
    const acl: Acl[] = [
      { perms: 31, id: { scheme: 'world', id: 'anyone' } },
      { perms: 1, id: { scheme: 'ip', id: '10.0.0.1' } },
    ];
    expect(client.capabilities.aclOnCreate).toBe(!diverges(transport, 'noAclOnCreate'));
    if (diverges(transport, 'noAclOnCreate')) {
      await expect(client.create('/acl', 'x', { acl })).rejects.toBeInstanceOf(
        UnsupportedByTransportError,
      );
      expect(await freshExists(admin, `${root}/acl`)).toBeNull();
      // world:anyone:ALL is what every transport can do.
      await client.create('/open', 'x', {
        acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }],
      });
      expect((await client.getACL('/open')).acl).toEqual([
        { perms: 31, id: { scheme: 'world', id: 'anyone' } },
      ]);
    } else {
      await client.create('/acl', 'x', { acl });
      expect((await client.getACL('/acl')).acl).toHaveLength(2);
    }
  });

  it('multi, addWatch and removeWatches work or refuse as the capabilities say', async () => {
    const { transport, admin, root, open } = env();
    const client = await open();
    expect(client.capabilities.multi).toBe(!diverges(transport, 'noMulti'));
    expect(client.capabilities.persistentWatches).toBe(!diverges(transport, 'noPersistentWatches'));
    expect(client.capabilities.removeWatches).toBe(!diverges(transport, 'noRemoveWatches'));
    if (diverges(transport, 'noMulti')) {
      await expect(client.multi([{ type: 'create', path: '/m' }])).rejects.toBeInstanceOf(
        UnsupportedByTransportError,
      );
      expect(await freshExists(admin, `${root}/m`)).toBeNull();
    } else {
      const results = await client.multi([
        { type: 'create', path: '/m' },
        { type: 'setData', path: '/m', data: 'x' },
      ]);
      expect(results.map((r) => r.type)).toEqual(['create', 'setData']);
    }
    if (diverges(transport, 'noPersistentWatches')) {
      await expect(client.addWatch('/', 'persistent', () => undefined)).rejects.toBeInstanceOf(
        UnsupportedByTransportError,
      );
    }
    if (diverges(transport, 'noRemoveWatches')) {
      await expect(client.removeWatches('/', 'any')).rejects.toBeInstanceOf(
        UnsupportedByTransportError,
      );
    }
  });

  it('multiRead and checkWatches work or refuse as the capabilities say', async () => {
    const { transport, admin, root, open } = env();
    const client = await open();
    await client.create('/r', 'v');
    await client.create('/r/kid');
    const noMulti = diverges(transport, 'noMulti');
    const noRemove = diverges(transport, 'noRemoveWatches');
    expect(client.capabilities.multi).toBe(!noMulti);
    expect(client.capabilities.removeWatches).toBe(!noRemove);
    if (noMulti) {
      await expectRefused(client.multiRead([{ type: 'getData', path: '/r' }]), 'multi');
    } else {
      const reads = await client.multiRead([
        { type: 'getData', path: '/r' },
        { type: 'getChildren', path: '/r' },
        { type: 'getData', path: '/none' },
      ]);
      expect(reads[0]).toMatchObject({ type: 'getData', data: Buffer.from('v') });
      expect(reads[1]).toEqual({ type: 'getChildren', children: ['kid'] });
      expect(reads[2]?.type === 'error' && reads[2].error).toBeInstanceOf(NoNodeError);
    }
    let childWatch: (type: string) => void = () => undefined;
    const fired = new Promise<string>((resolve) => (childWatch = resolve));
    await client.getChildren('/r', { watch: (e) => childWatch(e.type) });
    if (noRemove) {
      await expectRefused(client.checkWatches('/r', 'children'), 'removeWatches', '/r');
    } else {
      await client.checkWatches('/r', 'children');
      await expect(client.checkWatches('/r', 'data')).rejects.toBeInstanceOf(NoWatcherError);
    }
    // Either way the watch is still armed: checking it neither consumed nor removed it.
    await admin.create(`${root}/r/kid2`);
    expect(await fired).toBe('childrenChanged');
  });

  it('getEphemerals, whoAmI and getAllChildrenNumber work or refuse as the capabilities say', async () => {
    const { transport, open } = env();
    const client = await open();
    await client.create('/q');
    await client.create('/q/a');
    await client.create('/q/a/b');
    await client.create('/q/e', null, { mode: CreateMode.Ephemeral });
    const refused = diverges(transport, 'noExtendedQueries');
    expect(client.capabilities.extendedQueries).toBe(!refused);
    if (refused) {
      await expectRefused(client.getEphemerals('/q'), 'extendedQueries', '/q');
      await expectRefused(client.getEphemerals(), 'extendedQueries', '/');
      await expectRefused(client.whoAmI(), 'extendedQueries');
      await expectRefused(client.getAllChildrenNumber('/q'), 'extendedQueries', '/q');
    } else {
      // Paths come back relative to the chroot.
      expect(await client.getEphemerals('/q')).toEqual(['/q/e']);
      expect(await client.getEphemerals()).toEqual(['/q/e']);
      const other = await open();
      expect(await other.getEphemerals()).toEqual([]);
      await client.addAuth('digest', 'carol:pw');
      expect(await client.whoAmI()).toEqual(
        expect.arrayContaining([{ authScheme: 'digest', user: 'carol' }]),
      );
      expect(await client.getAllChildrenNumber('/q')).toBe(3);
      expect(await client.getAllChildrenNumber('/q/a/b')).toBe(0);
    }
    expect(client.state).toBe('connected');
  });

  it('reconfig is refused on the shared servers: by the server, or by a transport without it', async () => {
    const { transport, admin } = env();
    const before = (await admin.getConfig()).data;
    // A stale fromConfig on top, so that even a reconfig-enabled server could not change the ensemble.
    const change = { leavingServers: '3', fromConfig: 1n };
    if (diverges(transport, 'noReconfig')) {
      await expectRefused(admin.reconfig(change), 'reconfig');
    } else {
      const err = await admin.reconfig(change).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReconfigDisabledError);
      expect(err).toMatchObject({ path: '/zookeeper/config' });
    }
    expect((await admin.getConfig()).data.equals(before)).toBe(true);
    expect(admin.state).toBe('connected');
  });
});

/** Asserts the typed refusal of a transport that lacks `capability`. */
async function expectRefused(
  call: Promise<unknown>,
  capability: string,
  path?: string,
): Promise<void> {
  const err = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as ZkError | undefined;
  expect(err).toBeInstanceOf(UnsupportedByTransportError);
  expect(err).toMatchObject({ code: 'UNSUPPORTED_BY_TRANSPORT', capability, path });
}
