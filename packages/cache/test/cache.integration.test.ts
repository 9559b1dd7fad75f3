import { CreateMode, NoAuthError, Perms } from '@zookit/client';
import type { ZkFramework } from '@zookit/framework';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { z } from 'zod';

import { jsonCodec, NodeCache, PathChildrenCache, TreeCache, utf8Codec } from '../src/index.js';
import type { CacheEvent, SchemaViolationError } from '../src/index.js';
import {
  cacheTree,
  describeEvent,
  serverTree,
  startedFramework,
  uniqueNamespace,
} from './helpers.js';

const connectString = inject('zkStandalone');
const cleanup: (() => Promise<void>)[] = [];
const POLL = { timeout: 20_000, interval: 25 };

afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** A reader (for the caches) and a writer (another session) on one fresh namespace. */
async function pair(
  transport: 'native' | 'wire',
): Promise<{ reader: ZkFramework; writer: ZkFramework }> {
  const namespace = uniqueNamespace();
  const reader = await startedFramework({ connectString, namespace, transport });
  cleanup.push(() => reader.close());
  const writer = await startedFramework({ connectString, namespace, transport: 'native' });
  cleanup.push(() => writer.close());
  // The namespace node is a container: the server reaps it (within 1 s here) once it has had children and
  // is empty again, and later creates would then fail. A sentinel keeps it.
  await writer.create('/sentinel');
  return { reader, writer };
}

function closing<C extends { close(): Promise<void> }>(cache: C): C {
  cleanup.push(() => cache.close());
  return cache;
}

function record<T>(cache: { onEvent(l: (e: CacheEvent<T>) => void): () => void }): string[] {
  const events: string[] = [];
  cache.onEvent((e) => events.push(describeEvent(e)));
  return events;
}

/** Counts the reads issued through `framework` from now on (the calls a cache makes to follow a node). */
function countReads(framework: ZkFramework): () => Record<string, number> {
  const methods = ['getData', 'getChildrenWithStat', 'getChildren', 'exists'] as const;
  const spies = methods.map((m) => vi.spyOn(framework, m));
  cleanup.push(() => Promise.resolve(spies.forEach((spy) => spy.mockRestore())));
  return () => Object.fromEntries(methods.map((m, i) => [m, spies[i]?.mock.calls.length ?? -1]));
}

describe.each(['native', 'wire'] as const)('caches on the %s transport', (transport) => {
  it('NodeCache: missing → created → changed → deleted → re-created, with exact events and data$', async () => {
    const { reader, writer } = await pair(transport);
    const cache = closing(new NodeCache(reader, '/cfg', { codec: utf8Codec }));
    const events = record(cache);
    const values: (string | undefined)[] = [];
    cache.data$.subscribe((v) => values.push(v));
    await cache.start({ timeoutMs: 20_000 });
    expect(cache.current()).toBeUndefined();
    expect(cache.initialized).toBe(true);
    await writer.create('/cfg', 'v1');
    await expect.poll(() => cache.current()?.data, POLL).toBe('v1');
    await writer.setData('/cfg', 'v2');
    await expect.poll(() => cache.current()?.data, POLL).toBe('v2');
    await writer.delete('/cfg');
    await expect.poll(() => cache.current(), POLL).toBeUndefined();
    await writer.create('/cfg', 'v3');
    await expect.poll(() => cache.current()?.data, POLL).toBe('v3');
    expect(events).toEqual([
      'initialized',
      'created /cfg=v1',
      'changed /cfg=v1->v2',
      'deleted /cfg=v2',
      'created /cfg=v3',
    ]);
    expect(values).toEqual([undefined, 'v1', 'v2', undefined, 'v3']);
    expect(cache.current()?.stat.version).toBe(0);
    expect(cache.stale).toBe(false);
  });

  it('a writer sets 1,000 values as fast as it can: NodeCache, PathChildrenCache and TreeCache all end on the last', async () => {
    const { reader, writer } = await pair(transport);
    await writer.create('/app/cfg', 'v-init', { parents: true });
    const node = closing(new NodeCache(reader, '/app/cfg', { codec: utf8Codec }));
    const children = closing(new PathChildrenCache(reader, '/app', { codec: utf8Codec }));
    const tree = closing(new TreeCache(reader, '/app', { codec: utf8Codec }));
    await Promise.all([node.start(), children.start(), tree.start()]);
    const changes: string[] = [];
    node.onChange((v) => changes.push(v ?? '∅'));
    // Pipelined: the server applies them in order, much faster than watches can be re-armed.
    await Promise.all(Array.from({ length: 1000 }, (_, i) => writer.setData('/app/cfg', `v${i}`)));
    const final = await writer.getData('/app/cfg');
    expect(final.data.toString()).toBe('v999');
    await expect.poll(() => node.current()?.data, POLL).toBe('v999');
    await expect.poll(() => children.get('/app/cfg')?.data, POLL).toBe('v999');
    await expect.poll(() => tree.get('/app/cfg')?.data, POLL).toBe('v999');
    expect(node.current()?.stat.mzxid).toBe(final.stat.mzxid);
    expect(tree.get('/app/cfg')?.stat.version).toBe(1000);
    // Coalesced (one-shot watches), but every value seen is a real one, in order, ending on the last.
    const seen = changes.map((v) => (v === 'v-init' ? -1 : Number(v.slice(1))));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(changes.at(-1)).toBe('v999');
  });

  it('200 children created and deleted in bursts: PathChildrenCache and TreeCache equal the server node by node', async () => {
    const { reader, writer } = await pair(transport);
    await writer.create('/group', 'root');
    const children = closing(new PathChildrenCache(reader, '/group', { codec: utf8Codec }));
    const tree = closing(new TreeCache(reader, '/group', { codec: utf8Codec }));
    const errors: Error[] = [];
    children.onError((e) => errors.push(e));
    tree.onError((e) => errors.push(e));
    await Promise.all([children.start(), tree.start()]);
    const names = Array.from({ length: 200 }, (_, i) => `c${String(i).padStart(3, '0')}`);
    const converged = async (): Promise<void> => {
      const expectedTree = await serverTree(writer, '/group');
      const expectedChildren = await serverTree(writer, '/group', {
        maxDepth: 1,
        includeRoot: false,
      });
      await expect.poll(() => cacheTree(tree.entries()), POLL).toEqual(expectedTree);
      await expect.poll(() => cacheTree(children.entries()), POLL).toEqual(expectedChildren);
    };
    // Burst 1: 200 creates, some with grandchildren.
    await Promise.all(names.map((n) => writer.create(`/group/${n}`, `d-${n}`)));
    await Promise.all(names.slice(0, 20).map((n) => writer.create(`/group/${n}/g`, `g-${n}`)));
    await converged();
    expect(children.size).toBe(200);
    expect(tree.size).toBe(221);
    // Burst 2: delete every other one (with its grandchild), update the rest.
    await Promise.all(
      names
        .filter((_, i) => i % 2 === 0)
        .map((n) => writer.delete(`/group/${n}`, { recursive: true })),
    );
    await Promise.all(
      names.filter((_, i) => i % 2 === 1).map((n) => writer.setData(`/group/${n}`, `u-${n}`)),
    );
    await converged();
    expect(children.size).toBe(100);
    // Burst 3: delete and re-create the same names in one burst (ends present, new data).
    await Promise.all(
      names.slice(100, 150).map(async (n) => {
        await writer.delete(`/group/${n}`, { recursive: true, quietly: true });
        await writer.create(`/group/${n}`, `r-${n}`);
      }),
    );
    await converged();
    // Burst 4: everything goes.
    await Promise.all(
      names.map((n) => writer.delete(`/group/${n}`, { recursive: true, quietly: true })),
    );
    await converged();
    expect(children.size).toBe(0);
    expect(tree.entries().map((s) => s.path)).toEqual(['/group']);
    expect(errors).toEqual([]);
  });

  it('TreeCache: maxDepth limits the levels; a deleted and re-created root is followed', async () => {
    const { reader, writer } = await pair(transport);
    await writer.create('/t/a/b/c', 'deep', { parents: true });
    await writer.setData('/t/a', 'A');
    const shallow = closing(new TreeCache(reader, '/t', { codec: utf8Codec, maxDepth: 1 }));
    const full = closing(new TreeCache(reader, '/t', { codec: utf8Codec }));
    await Promise.all([shallow.start(), full.start()]);
    expect(shallow.entries().map((s) => s.path)).toEqual(['/t', '/t/a']);
    expect(full.entries().map((s) => s.path)).toEqual(['/t', '/t/a', '/t/a/b', '/t/a/b/c']);
    expect(full.children('/t/a')).toEqual(['b']);
    const events = record(full);
    await writer.delete('/t', { recursive: true });
    await expect.poll(() => full.size, POLL).toBe(0);
    expect(events).toEqual([
      'deleted /t/a/b/c=deep',
      'deleted /t/a/b=',
      'deleted /t/a=A',
      'deleted /t=',
    ]);
    await writer.create('/t/x', 'X', { parents: true });
    await expect
      .poll(() => cacheTree(full.entries()), POLL)
      .toEqual(await serverTree(writer, '/t'));
    await expect.poll(() => shallow.entries().map((s) => s.path), POLL).toEqual(['/t', '/t/x']);
  });

  it('zod codec: invalid data goes to errors$ with path and issues; the last valid value stays, per path', async () => {
    const { reader, writer } = await pair(transport);
    const Config = z.object({ port: z.number().int(), name: z.string() });
    const codec = jsonCodec(Config);
    await writer.create('/svc/a', JSON.stringify({ port: 1, name: 'a' }), { parents: true });
    await writer.create('/svc/bad', 'not json');
    const node = closing(new NodeCache(reader, '/svc/a', { codec }));
    const children = closing(new PathChildrenCache(reader, '/svc', { codec }));
    const errors: SchemaViolationError[] = [];
    for (const c of [node, children]) c.onError((e) => errors.push(e as SchemaViolationError));
    await Promise.all([node.start(), children.start()]);
    expect(children.entries().map((s) => s.path)).toEqual(['/svc/a']); // never-valid data is not served
    expect(errors.map((e) => [e.code, e.path, e.issues[0]?.code])).toEqual([
      ['SCHEMA_VIOLATION', '/svc/bad', 'invalid_json'],
    ]);
    await writer.setData('/svc/a', JSON.stringify({ port: 'eighty', name: 'a' }));
    await expect.poll(() => errors.length, POLL).toBe(3);
    expect(errors.slice(1).map((e) => [e.path, e.issues[0]?.path])).toEqual([
      ['/svc/a', ['port']],
      ['/svc/a', ['port']],
    ]);
    expect(node.current()?.data).toEqual({ port: 1, name: 'a' });
    expect(children.get('/svc/a')?.data).toEqual({ port: 1, name: 'a' });
    await writer.setData('/svc/bad', JSON.stringify({ port: 2, name: 'fixed' }));
    await writer.setData('/svc/a', JSON.stringify({ port: 3, name: 'a' }));
    await expect.poll(() => node.current()?.data, POLL).toEqual({ port: 3, name: 'a' });
    await expect.poll(() => children.entries().map((s) => s.data.port), POLL).toEqual([3, 2]);
  });

  it('a node the cache may not read (NO_AUTH) is reported and skipped; the rest of the tree loads and follows changes', async () => {
    const { reader } = await pair(transport);
    const owner = await startedFramework({
      connectString,
      namespace: reader.namespace ?? '',
      authorization: [{ scheme: 'digest', auth: 'alice:secret' }],
    });
    cleanup.push(() => owner.close());
    await owner.create('/guarded/open', 'o', { parents: true });
    await owner.create('/guarded/secret', 's');
    await owner.setACL('/guarded/secret', [{ perms: Perms.All, id: { scheme: 'auth', id: '' } }]);
    const tree = closing(new TreeCache(reader, '/guarded', { codec: utf8Codec }));
    const errors: Error[] = [];
    tree.onError((e) => errors.push(e));
    await tree.start({ timeoutMs: 20_000 });
    expect(tree.entries().map((s) => s.path)).toEqual(['/guarded', '/guarded/open']);
    // Its data read and its children read, each refused.
    expect(errors).toHaveLength(2);
    for (const error of errors) {
      expect(error).toBeInstanceOf(NoAuthError);
      expect(error).toHaveProperty('path', expect.stringMatching(/\/guarded\/secret$/));
    }
    await owner.create('/guarded/later', 'l');
    await expect.poll(() => tree.get('/guarded/later')?.data, POLL).toBe('l');
  });

  it('listener adapters and observables: signal unsubscribes; close completes data$ and makes watches inert', async () => {
    const { reader, writer } = await pair(transport);
    await writer.create('/n', 'one');
    const cache = new NodeCache(reader, '/n', { codec: utf8Codec });
    const controller = new AbortController();
    const byListener: (string | undefined)[] = [];
    cache.onChange((v) => byListener.push(v), { signal: controller.signal });
    const throwing = cache.onEvent(() => {
      throw new Error('listener bug');
    });
    const errors: string[] = [];
    cache.onError((e) => errors.push(e.message));
    await cache.start();
    expect(byListener).toEqual(['one']);
    expect(errors).toEqual(['listener bug', 'listener bug']); // 'created', then 'initialized'
    throwing();
    controller.abort();
    await writer.setData('/n', 'two');
    await expect.poll(() => cache.current()?.data, POLL).toBe('two');
    expect(byListener).toEqual(['one']);
    let completed = false;
    const after: (string | undefined)[] = [];
    cache.data$.subscribe({ next: (v) => after.push(v), complete: () => (completed = true) });
    expect(after).toEqual(['two']); // replays the latest
    // Subscribed before close: after it, the subjects have completed and would show nothing anyway.
    const events = record(cache);
    const emitted: string[] = [];
    cache.errors$.subscribe((e) => emitted.push(`error ${e.message}`));
    // The cache's data watch on /n is armed (its last read set it). A watch of our own on the same node
    // and session tells us when the server's notification has arrived.
    let notify = (): void => undefined;
    const notified = new Promise<void>((resolve) => (notify = resolve));
    await reader.exists('/n', { watch: () => notify() });
    await cache.close();
    expect(completed).toBe(true);
    const reads = countReads(reader);
    await writer.setData('/n', 'three');
    await notified;
    // The reply to a later request on the same session is delivered after that notification, so by now
    // every watcher it woke has run (and a live cache would have called getData from its watch).
    await reader.sync('/n');
    expect(reads()).toEqual({ getData: 0, getChildrenWithStat: 0, getChildren: 0, exists: 0 });
    expect(events).toEqual([]);
    expect(emitted).toEqual([]);
    expect(after).toEqual(['two']);
    expect(cache.current()?.data).toBe('two');
    expect((await writer.getData('/n')).stat.version).toBe(2);
  });

  it('works under the framework namespace on a chrooted connect string (event paths map back)', async () => {
    const root = uniqueNamespace();
    const setup = await startedFramework({ connectString });
    cleanup.push(() => setup.close());
    await setup.create(`/${root}`, '');
    cleanup.push(() => setup.delete(`/${root}`, { recursive: true, quietly: true }));
    const reader = await startedFramework({
      connectString: `${connectString}/${root}`,
      namespace: 'ns',
      transport,
    });
    cleanup.push(() => reader.close());
    const writer = await startedFramework({
      connectString: `${connectString}/${root}`,
      namespace: 'ns',
    });
    cleanup.push(() => writer.close());
    await writer.create('/x/y', '1', { parents: true });
    const tree = closing(new TreeCache(reader, '/x', { codec: utf8Codec }));
    await tree.start();
    await writer.setData('/x/y', '2');
    await writer.create('/x/z', 'Z', { mode: CreateMode.Ephemeral });
    await expect
      .poll(() => cacheTree(tree.entries()), POLL)
      .toEqual(
        new Map([
          ['/x', ''],
          ['/x/y', '2'],
          ['/x/z', 'Z'],
        ]),
      );
    expect((await setup.getData(`/${root}/ns/x/y`)).data.toString()).toBe('2');
  });
});

describe('memory of a closed cache', () => {
  it('a closed cache is collectable although its server-side watches are still armed (only a trampoline stays)', async () => {
    const { reader, writer } = await pair('native');
    await writer.create('/big', Buffer.alloc(512 * 1024, 0x61));
    const { setFlagsFromString } = await import('node:v8');
    const { runInNewContext } = await import('node:vm');
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // A FinalizationRegistry, not WeakRef.deref(): deref keeps its target alive until the job ends.
    const collected = new Set<string>();
    const registry = new FinalizationRegistry<string>((what) => collected.add(what));
    await (async (): Promise<void> => {
      const cache = new NodeCache(reader, '/big');
      await cache.start();
      expect(cache.current()?.data.length).toBe(512 * 1024);
      const data = cache.current()?.data;
      await cache.close();
      registry.register(cache, 'cache');
      // The 512 KiB the engine held: retained if a leftover watch still reached the engine.
      if (data !== undefined) registry.register(data.buffer, 'data');
    })();
    await expect
      .poll(
        () => {
          gc();
          return [...collected].sort();
        },
        { timeout: 10_000, interval: 50 },
      )
      .toEqual(['cache', 'data']);
    // The leftover watch still fires (into an empty slot) without errors, and reads nothing. Our own watch
    // on the same session shows the notification arrived; the later sync's reply comes after its dispatch.
    let notify = (): void => undefined;
    const notified = new Promise<void>((resolve) => (notify = resolve));
    await reader.exists('/big', { watch: () => notify() });
    const reads = countReads(reader);
    await writer.setData('/big', 'small');
    await notified;
    await reader.sync('/big');
    expect(reads()).toEqual({ getData: 0, getChildrenWithStat: 0, getChildren: 0, exists: 0 });
    expect((await writer.getData('/big')).data.toString()).toBe('small');
  });
});
