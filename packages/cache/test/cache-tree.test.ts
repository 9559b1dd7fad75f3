import type { Stat } from '@zookit/client';
import { jsonCodec, SchemaViolationError, utf8Codec } from '@zookit/framework';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import type { CacheEvent } from '../src/index.js';
import { CacheTree } from '../src/internal/cache-tree.js';
import type { CacheMode } from '../src/internal/cache-tree.js';
import { describeEvent } from './helpers.js';

function stat(mzxid: number, czxid = 1, pzxid = mzxid): Stat {
  return {
    czxid: BigInt(czxid),
    mzxid: BigInt(mzxid),
    pzxid: BigInt(pzxid),
    ctime: 0,
    mtime: 0,
    version: 0,
    cversion: 0,
    aversion: 0,
    ephemeralOwner: 0n,
    dataLength: 0,
    numChildren: 0,
  };
}

const bytes = (s: string): Buffer => Buffer.from(s);

function tree<T = string>(
  mode: CacheMode,
  options: { maxDepth?: number; codec?: typeof utf8Codec } = {},
) {
  const events: string[] = [];
  const errors: unknown[] = [];
  const t = new CacheTree<T>({
    rootPath: '/r',
    mode,
    maxDepth: options.maxDepth ?? Number.POSITIVE_INFINITY,
    codec: (options.codec ?? utf8Codec) as never,
    emit: (e: CacheEvent<T>) => events.push(describeEvent(e)),
    error: (e) => errors.push(e),
  });
  return { t, events, errors };
}

describe('CacheTree (the engine rules, no server)', () => {
  it('drops data replies that are not newer than the last one applied (late or duplicate reads)', () => {
    const { t, events } = tree('node');
    t.applyData('/r', bytes('a'), stat(5));
    t.applyData('/r', bytes('b'), stat(7));
    t.applyData('/r', bytes('late'), stat(6));
    t.applyData('/r', bytes('dup'), stat(7));
    expect(events).toEqual(['created /r=a', 'changed /r=a->b']);
    expect(t.get('/r')?.data).toBe('b');
  });

  it('keeps the last valid value when the codec rejects data, and reports the path and issues', () => {
    const codec = jsonCodec(z.object({ port: z.number() }));
    const { t, events, errors } = tree<{ port: number }>('node', { codec: codec as never });
    t.applyData('/r', bytes('{"port":1}'), stat(2));
    t.applyData('/r', bytes('{"port":"x"}'), stat(3));
    t.applyData('/r', bytes('not json'), stat(4));
    expect(t.get('/r')?.data).toEqual({ port: 1 });
    expect(t.get('/r')?.stat.mzxid).toBe(2n);
    expect(errors).toHaveLength(2);
    const first = errors[0] as SchemaViolationError;
    expect(first).toBeInstanceOf(SchemaViolationError);
    expect(first.path).toBe('/r');
    expect(first.issues[0]?.path).toEqual(['port']);
    // A later valid value is applied even though invalid ones came in between.
    t.applyData('/r', bytes('{"port":2}'), stat(5));
    expect(events).toEqual([
      'created /r=[object Object]',
      'changed /r=[object Object]->[object Object]',
    ]);
    expect(t.get('/r')?.data).toEqual({ port: 2 });
  });

  it('diffs children: new ones are tracked, missing ones are removed bottom-up with deleted events', () => {
    const { t, events } = tree('tree');
    t.applyData('/r', bytes('root'), stat(1));
    expect(t.applyChildren('/r', ['b', 'a'], stat(1, 1, 3))).toEqual({
      all: ['/r/a', '/r/b'],
      added: ['/r/a', '/r/b'],
    });
    t.applyData('/r/a', bytes('A'), stat(2));
    t.applyChildren('/r/a', ['x'], stat(2, 2, 4));
    t.applyData('/r/a/x', bytes('X'), stat(4));
    t.applyData('/r/b', bytes('B'), stat(3));
    expect(t.applyChildren('/r', ['b', 'c'], stat(1, 1, 6))).toEqual({
      all: ['/r/b', '/r/c'],
      added: ['/r/c'],
    });
    expect(events.slice(-2)).toEqual(['deleted /r/a/x=X', 'deleted /r/a=A']);
    expect(t.node('/r/a/x')).toBeUndefined();
    // A late reply for a removed node does not bring it back.
    t.applyData('/r/a', bytes('late'), stat(9));
    expect(t.get('/r/a')).toBeUndefined();
    // A children reply older than the last applied one is dropped.
    expect(t.applyChildren('/r', ['b'], stat(1, 1, 5))).toBeUndefined();
    expect(t.node('/r/c')).toBeDefined();
  });

  it('a removed root stays tracked but empty, and can be re-created with a fresh zxid floor', () => {
    const { t, events } = tree('tree');
    t.applyData('/r', bytes('one'), stat(10));
    t.applyChildren('/r', ['k'], stat(10, 10, 11));
    t.applyData('/r/k', bytes('K'), stat(11));
    t.remove('/r');
    expect(t.size).toBe(0);
    expect(t.trackedCount).toBe(1);
    t.applyData('/r', bytes('two'), stat(20, 20));
    expect(events).toEqual([
      'created /r=one',
      'created /r/k=K',
      'deleted /r/k=K',
      'deleted /r=one',
      'created /r=two',
    ]);
  });

  it('what each mode reads: node = data only; children = parent list + child data; tree honours maxDepth', () => {
    const node = tree('node').t;
    expect([node.wantsData(node.root), node.wantsChildren(node.root)]).toEqual([true, false]);
    const children = tree('children').t;
    expect([children.wantsData(children.root), children.wantsChildren(children.root)]).toEqual([
      false,
      true,
    ]);
    children.applyChildren('/r', ['a'], stat(1));
    const child = children.node('/r/a');
    expect(child && [children.wantsData(child), children.wantsChildren(child)]).toEqual([
      true,
      false,
    ]);
    const shallow = tree('tree', { maxDepth: 1 }).t;
    shallow.applyChildren('/r', ['a'], stat(1));
    const a = shallow.node('/r/a');
    expect(a && [shallow.wantsData(a), shallow.wantsChildren(a)]).toEqual([true, false]);
    expect(shallow.wantsChildren(shallow.root)).toBe(true);
    const rootOnly = tree('tree', { maxDepth: 0 }).t;
    expect(rootOnly.wantsChildren(rootOnly.root)).toBe(false);
  });

  it('children of the root path "/" get single-slash paths', () => {
    const events: string[] = [];
    const t = new CacheTree<string>({
      rootPath: '/',
      mode: 'children',
      maxDepth: 1,
      codec: utf8Codec,
      emit: (e) => events.push(describeEvent(e)),
      error: () => undefined,
    });
    expect(t.applyChildren('/', ['zookeeper', 'a'], stat(1))?.all).toEqual(['/a', '/zookeeper']);
  });
});
