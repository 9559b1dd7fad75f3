import {
  Acls,
  CreateMode,
  type CreateOptions,
  DataTooLargeError,
  InvalidArgumentError,
  InvalidPathError,
  MAX_DATA_BYTES,
  type SessionListener,
  type WatchEvent,
  type WatchListener,
  type VersionOptions,
  type WatchOptions,
  type ZkClient,
  type ZkError,
} from '@zookit/client';
import { expect, it } from 'vitest';
import { describeContract, recordEvents, type ContractEnv } from './contract-context.js';

/** Paths that break ZooKeeper's rules, with the reason the error must give. */
const badPaths: readonly (readonly [string, RegExp])[] = [
  ['', /empty/],
  ['rel/a', /start with \//],
  ['/a/', /end with \//],
  ['/a//b', /empty segment/],
  ['/a/./b', /relative segment/],
  ['/a/../b', /relative segment/],
  ['/.', /relative segment/],
  ['/a\u0000b', /NUL/],
  ['/a\u0001b', /U\+0001/],
  ['/a\u001fb', /U\+001f/],
  ['/a\u007fb', /U\+007f/],
  ['/a\ud800b', /U\+d800/],
];

/** The server-side state the suite checks before and after each bad call. */
async function snapshot(env: ContractEnv): Promise<unknown> {
  const { admin, root } = env;
  await admin.sync(root);
  const { children, stat } = await admin.getChildren(root);
  const a = await admin.getData(`${root}/a`);
  const acl = await admin.getACL(`${root}/a`);
  return {
    children: [...children].sort(),
    cversion: stat.cversion,
    a: a.data.toString(),
    aStat: a.stat,
    acl,
  };
}

/** Opens a client with an existing node `/a` = "orig" (the target a truncated path would hit). */
async function setup(env: ContractEnv): Promise<{ client: ZkClient; before: unknown }> {
  const client = await env.open();
  await client.create('/a', 'orig');
  return { client, before: await snapshot(env) };
}

async function rejection(p: Promise<unknown>): Promise<ZkError> {
  const outcome = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (outcome === undefined) throw new Error('expected a rejection');
  return outcome as ZkError;
}

describeContract('contract: bad input never reaches the server', (env) => {
  it('rejects every invalid path in every path-taking call, naming the path', async () => {
    const { client, before } = await setup(env());
    const events = recordEvents(client);
    for (const [path, reason] of badPaths) {
      const calls: (() => Promise<unknown>)[] = [
        () => client.create(path, 'x'),
        () => client.create(path, 'x', { mode: CreateMode.Ephemeral }),
        () => client.createWithStat(path, 'x'),
        () => client.setData(path, 'changed'),
        () => client.delete(path),
        () => client.getData(path),
        () => client.exists(path),
        () => client.getChildren(path),
        () => client.getACL(path),
        () => client.setACL(path, Acls.ReadAclUnsafe),
        () => client.sync(path),
      ];
      for (const call of calls) {
        const err = await rejection(call());
        expect(err, JSON.stringify(path)).toBeInstanceOf(InvalidPathError);
        expect(err.code).toBe('INVALID_PATH');
        expect(err.message).toContain(JSON.stringify(path));
        expect((err as InvalidPathError).reason).toMatch(reason);
      }
    }
    expect(await snapshot(env())).toEqual(before);
    expect(client.state).toBe('connected');
    expect(events).toEqual([]);
  });

  it('a trailing slash is only allowed for sequential creates', async () => {
    const { client } = await setup(env());
    await expect(client.create('/a/', 'x')).rejects.toBeInstanceOf(InvalidPathError);
    await expect(client.create('/a/', 'x', { mode: CreateMode.EphemeralSequential })).resolves.toBe(
      '/a/0000000000',
    );
  });

  it('rejects data above MAX_DATA_BYTES on create and setData, and accepts exactly the limit', async () => {
    const { client, before } = await setup(env());
    const events = recordEvents(client);
    const tooBig = Buffer.alloc(MAX_DATA_BYTES + 1, 7);
    for (const call of [() => client.create('/big', tooBig), () => client.setData('/a', tooBig)]) {
      const err = await rejection(call());
      expect(err).toBeInstanceOf(DataTooLargeError);
      expect(err).toMatchObject({
        code: 'DATA_TOO_LARGE',
        size: MAX_DATA_BYTES + 1,
        limit: MAX_DATA_BYTES,
      });
      expect(['/big', '/a']).toContain(err.path);
    }
    const bigText = 'é'.repeat(MAX_DATA_BYTES / 2 + 1);
    await expect(client.create('/big', bigText)).rejects.toMatchObject({
      code: 'DATA_TOO_LARGE',
      path: '/big',
    });
    expect(await snapshot(env())).toEqual(before);
    // The limit itself goes through and reads back whole (this needs the raised response_counter_limit).
    const atLimit = Buffer.alloc(MAX_DATA_BYTES, 9);
    await client.create('/limit', atLimit);
    const { data } = await client.getData('/limit');
    expect(data.equals(atLimit)).toBe(true);
    expect(events).toEqual([]);
  });

  it('rejects bad versions (negative other than -1, fractional, too large), naming the field', async () => {
    const { client, before } = await setup(env());
    for (const version of [-2, -100, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31]) {
      for (const call of [
        () => client.setData('/a', 'changed', { version }),
        () => client.delete('/a', { version }),
        () => client.setACL('/a', Acls.ReadAclUnsafe, { version }),
      ]) {
        const err = await rejection(call());
        expect(err, String(version)).toBeInstanceOf(InvalidArgumentError);
        expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'version', path: '/a' });
      }
    }
    expect(await snapshot(env())).toEqual(before);
  });

  it('rejects TTL misuse, unknown modes and non-data values, naming the field', async () => {
    const { client, before } = await setup(env());
    const cases: readonly (readonly [() => Promise<unknown>, string])[] = [
      [() => client.create('/t', 'x', { ttlMs: 1000 }), 'ttlMs'],
      [() => client.create('/t', 'x', { mode: CreateMode.Ephemeral, ttlMs: 1000 }), 'ttlMs'],
      [() => client.create('/t', 'x', { mode: CreateMode.PersistentWithTtl }), 'ttlMs'],
      [() => client.create('/t', 'x', { mode: CreateMode.PersistentWithTtl, ttlMs: 0 }), 'ttlMs'],
      [
        () => client.create('/t', 'x', { mode: CreateMode.PersistentSequentialWithTtl, ttlMs: -5 }),
        'ttlMs',
      ],
      [() => client.create('/t', 'x', { mode: CreateMode.PersistentWithTtl, ttlMs: 1.5 }), 'ttlMs'],
      [
        () => client.create('/t', 'x', { mode: CreateMode.PersistentWithTtl, ttlMs: 2 ** 41 }),
        'ttlMs',
      ],
      [() => client.create('/t', 'x', { mode: 'bogus' as CreateMode }), 'mode'],
      [() => client.create('/t', 42 as unknown as string), 'data'],
      [() => client.create('/t', 'x', null as unknown as CreateOptions), 'options'],
      [() => client.createWithStat('/t', 'x', 5 as unknown as CreateOptions), 'options'],
      [() => client.setData('/a', { x: 1 } as unknown as string), 'data'],
      [() => client.setData('/a', 'x', null as unknown as VersionOptions), 'options'],
      [() => client.delete('/a', 7 as unknown as VersionOptions), 'options'],
      [() => client.getData('/a', null as unknown as WatchOptions), 'options'],
      [() => client.exists('/a', 'w' as unknown as WatchOptions), 'options'],
      [() => client.getChildren('/a', null as unknown as WatchOptions), 'options'],
    ];
    for (const [call, field] of cases) {
      const err = await rejection(call());
      expect(err).toBeInstanceOf(InvalidArgumentError);
      expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', field });
      expect(err.path).toMatch(/^\/(t|a)$/);
    }
    expect(await snapshot(env())).toEqual(before);
  });

  it('rejects empty and malformed ACLs, naming the field', async () => {
    const { client, before } = await setup(env());
    const cases: readonly (readonly [() => Promise<unknown>, string])[] = [
      [() => client.setACL('/a', []), 'acl'],
      [() => client.create('/t', 'x', { acl: [] }), 'acl'],
      [
        () => client.setACL('/a', [{ perms: 32, id: { scheme: 'world', id: 'anyone' } }]),
        'acl[0].perms',
      ],
      [
        () => client.setACL('/a', [{ perms: 1, id: { scheme: '', id: 'anyone' } }]),
        'acl[0].id.scheme',
      ],
      [
        () =>
          client.setACL('/a', [
            { perms: 31, id: { scheme: 'world', id: 'anyone' } },
            { perms: 1, id: { scheme: 'ip', id: 5 as unknown as string } },
          ]),
        'acl[1].id.id',
      ],
    ];
    for (const [call, field] of cases) {
      const err = await rejection(call());
      expect(err).toBeInstanceOf(InvalidArgumentError);
      expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', field });
      expect(err.path).toMatch(/^\/(t|a)$/);
    }
    expect(await snapshot(env())).toEqual(before);
  });

  it('rejects a watch that is not a function in every watching read, naming the field and path', async () => {
    const { admin, root } = env();
    const { client, before } = await setup(env());
    const events = recordEvents(client);
    const configPath = '/zookeeper/config';
    for (const watch of [5, 'x', {}, null, true] as unknown as WatchListener[]) {
      const calls: (readonly [() => Promise<unknown>, string])[] = [
        [() => client.getData('/a', { watch }), '/a'],
        [() => client.exists('/a', { watch }), '/a'],
        [() => client.exists('/later', { watch }), '/later'],
        [() => client.getChildren('/a', { watch }), '/a'],
        [() => client.getConfig({ watch }), configPath],
      ];
      for (const [call, path] of calls) {
        const err = await rejection(call());
        expect(err, `${JSON.stringify(watch)} ${path}`).toBeInstanceOf(InvalidArgumentError);
        expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'watch', path });
        expect(err.message).toContain('watch');
      }
    }
    expect(await snapshot(env())).toEqual(before);
    // Had any of them been armed, it would fire with these changes, next to the real watches below
    // (same paths, same notifications), and throw outside every promise.
    const fired: WatchEvent[] = [];
    const watch: WatchListener = (e) => fired.push(e);
    await client.getData('/a', { watch });
    await client.getChildren('/a', { watch });
    expect(await client.exists('/later', { watch })).toBeNull();
    await admin.setData(`${root}/a`, 'changed');
    await admin.create(`${root}/a/child`);
    await admin.create(`${root}/later`);
    await expect
      .poll(() => fired.map((e) => `${e.type} ${e.path}`).sort(), { timeout: 10_000 })
      .toEqual(['childrenChanged /a', 'created /later', 'dataChanged /a']);
    expect(client.state).toBe('connected');
    expect(events).toEqual([]);
  });

  it('rejects a session listener that is not a function at once, naming the field', async () => {
    const { client } = await setup(env());
    const bad = [5, 'x', {}, null, undefined] as unknown as SessionListener[];
    for (const listener of bad) {
      let thrown: unknown;
      try {
        client.onSessionEvent(listener);
      } catch (e) {
        thrown = e;
      }
      expect(thrown, typeof listener).toBeInstanceOf(InvalidArgumentError);
      expect(thrown).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'listener' });
    }
    // A session event now reaches only real listeners (the close below), without an uncaught TypeError.
    const seen: string[] = [];
    client.onSessionEvent((e) => seen.push(e.type));
    await client.close();
    expect(seen).toEqual(['closed']);
  });

  it('refuses a connect signal that is not an AbortSignal and leaves the handle closed', async () => {
    const { build, connectString } = env();
    const client = build({ connectString });
    const events = recordEvents(client);
    const signal = { aborted: false } as unknown as AbortSignal;
    // No session may be left running behind the rejection.
    const err = await rejection(client.connect({ signal }));
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err).toMatchObject({ field: 'signal' });
    expect(client.state).toBe('closed');
    expect(events.map((e) => e.type)).toEqual(['closed']);
    await expect(client.exists('/')).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
  });
});
