/**
 * Every per-call option of every public ZkFramework operation is checked once per call, before anything is
 * sent: a bad value throws (or rejects with) `InvalidArgumentError` naming the field, and a second client
 * sees the namespace exactly as it was (nothing created, written, deleted, no namespace container made).
 */
import { Acls, CreateMode, InvalidArgumentError } from '@zookit/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { utf8Codec } from '../src/index.js';
import type { ZkFramework } from '../src/index.js';
import { startedFramework, uniqueNamespace } from './helpers.js';

const connectString = inject('zkStandalone');

/** Bypasses the static types: the point is what a JavaScript caller (or a cast) can pass. */
const bad = <T>(value: unknown): T => value as T;

interface Row {
  readonly name: string;
  readonly field: string;
  readonly call: (zk: ZkFramework) => unknown;
}

let fnCalls = 0;
const countingFn = (current: Buffer): Buffer => {
  fnCalls++;
  return current;
};

const rows: Row[] = [
  // create / createWithStat
  {
    name: 'create protected: "yes"',
    field: 'protected',
    call: (zk) => zk.create('/n', 'x', bad({ protected: 'yes' })),
  },
  {
    name: 'create parents: "bogus"',
    field: 'parents',
    call: (zk) => zk.create('/a/b/n', 'x', bad({ parents: 'bogus' })),
  },
  {
    name: 'create mode: "eph"',
    field: 'mode',
    call: (zk) => zk.create('/n', 'x', bad({ mode: 'eph' })),
  },
  {
    name: 'create codec: 5',
    field: 'codec',
    call: (zk) => zk.create('/n', 'x', bad({ codec: 5 })),
  },
  {
    name: 'create signal: {}',
    field: 'signal',
    call: (zk) => zk.create('/n', 'x', bad({ signal: {} })),
  },
  {
    name: 'create acl: "open"',
    field: 'acl',
    call: (zk) => zk.create('/n', 'x', bad({ acl: 'open' })),
  },
  {
    name: 'create acl entry perms 99',
    field: 'acl[0].perms',
    call: (zk) =>
      zk.create('/n', 'x', bad({ acl: [{ perms: 99, id: { scheme: 'world', id: 'anyone' } }] })),
  },
  {
    name: 'create misspelt key "protect"',
    field: 'protect',
    call: (zk) => zk.create('/n', 'x', bad({ protect: true })),
  },
  {
    name: 'create options not an object',
    field: 'options',
    call: (zk) => zk.create('/n', 'x', bad('protected')),
  },
  {
    name: 'create ephemeral protected with parents: 1',
    field: 'parents',
    call: (zk) =>
      zk.create('/a/n', 'x', bad({ mode: CreateMode.Ephemeral, protected: true, parents: 1 })),
  },
  {
    name: 'createWithStat protected: 1',
    field: 'protected',
    call: (zk) => zk.createWithStat('/n', 'x', bad({ protected: 1 })),
  },
  // reads
  {
    name: 'getData watch: "x"',
    field: 'watch',
    call: (zk) => zk.getData('/existing', bad({ watch: 'x' })),
  },
  {
    name: 'getData codec: {}',
    field: 'codec',
    call: (zk) => zk.getData('/existing', bad({ codec: {} })),
  },
  {
    name: 'exists watch: 1',
    field: 'watch',
    call: (zk) => zk.exists('/existing', bad({ watch: 1 })),
  },
  {
    name: 'getChildren codec (not an option)',
    field: 'codec',
    call: (zk) => zk.getChildren('/existing', bad({ codec: utf8Codec })),
  },
  {
    name: 'getChildrenWithStat signal: "s"',
    field: 'signal',
    call: (zk) => zk.getChildrenWithStat('/existing', bad({ signal: 's' })),
  },
  { name: 'getConfig watch: 3', field: 'watch', call: (zk) => zk.getConfig(bad({ watch: 3 })) },
  {
    name: 'getACL signal: 1',
    field: 'signal',
    call: (zk) => zk.getACL('/existing', bad({ signal: 1 })),
  },
  // writes
  {
    name: 'setData version: 1.5',
    field: 'version',
    call: (zk) => zk.setData('/existing', 'w', bad({ version: 1.5 })),
  },
  {
    name: 'setData codec: 5',
    field: 'codec',
    call: (zk) => zk.setData('/existing', 'w', bad({ codec: 5 })),
  },
  { name: 'setACL acl: []', field: 'acl', call: (zk) => zk.setACL('/existing', []) },
  {
    name: 'setACL version: "0"',
    field: 'version',
    call: (zk) => zk.setACL('/existing', Acls.OpenAclUnsafe, bad({ version: '0' })),
  },
  {
    name: 'sync signal: {}',
    field: 'signal',
    call: (zk) => zk.sync('/existing', bad({ signal: {} })),
  },
  // delete
  {
    name: 'delete guaranteed: 1',
    field: 'guaranteed',
    call: (zk) => zk.delete('/existing', bad({ guaranteed: 1 })),
  },
  {
    name: 'delete quietly: "yes"',
    field: 'quietly',
    call: (zk) => zk.delete('/existing', bad({ quietly: 'yes' })),
  },
  {
    name: 'delete recursive: "true"',
    field: 'recursive',
    call: (zk) => zk.delete('/existing', bad({ recursive: 'true' })),
  },
  {
    name: 'delete version: -2',
    field: 'version',
    call: (zk) => zk.delete('/existing', bad({ version: -2 })),
  },
  {
    name: 'delete ownerSessionId: 5 (number)',
    field: 'ownerSessionId',
    call: (zk) => zk.delete('/existing', bad({ ownerSessionId: 5 })),
  },
  // update
  { name: 'update fn: "x"', field: 'fn', call: (zk) => zk.update('/existing', bad('x')) },
  {
    name: 'update codec: 5',
    field: 'codec',
    call: (zk) => zk.update('/existing', countingFn, bad({ codec: 5 })),
  },
  {
    name: 'update signal: "s"',
    field: 'signal',
    call: (zk) => zk.update('/existing', countingFn, bad({ signal: 's' })),
  },
  // multi / transaction
  { name: 'multi ops: "x"', field: 'ops', call: (zk) => zk.multi(bad('x')) },
  {
    name: 'multi op of unknown type',
    field: 'ops[1].type',
    call: (zk) =>
      zk.multi(
        bad([
          { type: 'create', path: '/m' },
          { type: 'remove', path: '/existing' },
        ]),
      ),
  },
  {
    name: 'multi setData with numeric data',
    field: 'ops[1].data',
    call: (zk) =>
      zk.multi(
        bad([
          { type: 'create', path: '/m' },
          { type: 'setData', path: '/existing', data: 5 },
        ]),
      ),
  },
  {
    name: 'multi signal: 1',
    field: 'signal',
    call: (zk) => zk.multi([{ type: 'create', path: '/m' }], bad({ signal: 1 })),
  },
  {
    name: 'transaction create mode: "bad"',
    field: 'ops[1].mode',
    call: (zk) =>
      zk
        .transaction()
        .create('/m')
        .create('/m2', 'x', bad({ mode: 'bad' }))
        .commit(),
  },
  {
    name: 'transaction commit signal: {}',
    field: 'signal',
    call: (zk) =>
      zk
        .transaction()
        .create('/m')
        .commit(bad({ signal: {} })),
  },
  // watches
  {
    name: 'watch mode: "bogus"',
    field: 'mode',
    call: (zk) => zk.watch('/existing', bad({ mode: 'bogus' }), () => undefined),
  },
  {
    name: 'watch listener: "x"',
    field: 'listener',
    call: (zk) => zk.watch('/existing', { mode: 'persistent' }, bad('x')),
  },
  {
    name: 'removeWatches type: "bogus"',
    field: 'type',
    call: (zk) => zk.removeWatches('/existing', bad('bogus')),
  },
  {
    name: 'removeWatches local: "yes"',
    field: 'local',
    call: (zk) => zk.removeWatches('/existing', 'any', bad({ local: 'yes' })),
  },
  // connection
  {
    name: 'waitForConnection timeoutMs: -1',
    field: 'timeoutMs',
    call: (zk) => zk.waitForConnection({ timeoutMs: -1 }),
  },
  {
    name: 'onConnectionStateChange listener: 1',
    field: 'listener',
    call: (zk) => zk.onConnectionStateChange(bad(1)),
  },
  {
    name: 'onConnectionStateChange emitCurrent: "y"',
    field: 'emitCurrent',
    call: (zk) => zk.onConnectionStateChange(() => undefined, bad({ emitCurrent: 'y' })),
  },
];

interface NodeDump {
  readonly path: string;
  readonly data: string;
  readonly version: number;
  readonly cversion: number;
  readonly aversion: number;
}

/** Every node under `path`, depth-first, with what a write would change. */
async function dump(zk: ZkFramework, path: string): Promise<NodeDump[]> {
  const stat = await zk.exists(path);
  if (stat === null) return [];
  const { data } = await zk.getData(path);
  const out: NodeDump[] = [
    {
      path,
      data: data.toString(),
      version: stat.version,
      cversion: stat.cversion,
      aversion: stat.aversion,
    },
  ];
  for (const child of (await zk.getChildren(path)).sort()) {
    out.push(...(await dump(zk, `${path === '/' ? '' : path}/${child}`)));
  }
  return out;
}

describe.each(['native', 'wire'] as const)('bad per-call options (%s)', (transport) => {
  const namespace = uniqueNamespace();
  let zk: ZkFramework;
  let observer: ZkFramework;
  let before: NodeDump[];

  beforeAll(async () => {
    zk = await startedFramework({ connectString, namespace, transport });
    observer = await startedFramework({ connectString, transport });
    await zk.create('/existing', 'v0');
    before = await dump(observer, `/${namespace}`);
    expect(before.map((n) => n.path)).toEqual([`/${namespace}`, `/${namespace}/existing`]);
  });

  afterAll(async () => {
    await zk?.close();
    await observer?.close();
  });

  it.each(rows)(
    '$name → InvalidArgumentError($field), server unchanged',
    async ({ call, field }) => {
      fnCalls = 0;
      let caught: unknown;
      try {
        await call(zk);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidArgumentError);
      expect((caught as InvalidArgumentError).field).toBe(field);
      expect(fnCalls).toBe(0);
      expect(await dump(observer, `/${namespace}`)).toEqual(before);
      expect(await observer.exists('/a')).toBeNull(); // `parents` never reached the server
    },
  );

  it('a namespace view that never ran an operation is not created by a refused one', async () => {
    const fresh = uniqueNamespace();
    const view = zk.usingNamespace(fresh);
    await expect(view.create('/a/b', 'x', bad({ parents: 'bogus' }))).rejects.toMatchObject({
      field: 'parents',
    });
    await expect(view.delete('/a', bad({ guaranteed: 'always' }))).rejects.toMatchObject({
      field: 'guaranteed',
    });
    expect(await observer.exists(`/${fresh}`)).toBeNull();
  });

  it('valid options still work (the checker refuses nothing legitimate)', async () => {
    const signal = new AbortController().signal;
    const created = await zk.create('/ok/p-', 'x', {
      mode: CreateMode.PersistentSequential,
      parents: 'containers',
      protected: true,
      signal,
    });
    expect(created).toMatch(/^\/ok\/_c_[0-9a-f-]{36}-p-\d{10}$/);
    expect((await zk.getData(created, { codec: utf8Codec, signal })).data).toBe('x');
    await zk.update(created, (s: string) => `${s}y`, { codec: utf8Codec, signal });
    await zk.delete('/ok', {
      recursive: true,
      quietly: true,
      guaranteed: true,
      version: -1,
      signal,
    });
    expect(await observer.exists(`/${namespace}/ok`)).toBeNull();
  });
});
