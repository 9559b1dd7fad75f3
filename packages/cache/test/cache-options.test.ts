import { InvalidArgumentError, InvalidPathError } from '@zookit/client';
import { createFramework } from '@zookit/framework';
import { allocatePorts } from '@zookit/test-harness';
import { afterEach, describe, expect, it } from 'vitest';

import {
  CacheTimeoutError,
  jsonCodec,
  NodeCache,
  PathChildrenCache,
  RecipeStateError,
  TreeCache,
} from '../src/index.js';

const frameworks: ReturnType<typeof createFramework>[] = [];

function zk(connectString = '127.0.0.1:1'): ReturnType<typeof createFramework> {
  const framework = createFramework({
    connectString,
    sessionTimeoutMs: 10_000,
    connectionTimeoutMs: 1_000,
  });
  frameworks.push(framework);
  return framework;
}

afterEach(async () => {
  await Promise.all(frameworks.splice(0).map((f) => f.close()));
});

describe('cache options and lifecycle (no server)', () => {
  it('rejects a bad path with InvalidPathError, and bad or unknown option fields with InvalidArgumentError naming them', () => {
    expect(() => new NodeCache(zk(), 'no-slash')).toThrow(InvalidPathError);
    expect(() => new TreeCache(zk(), '/a//b')).toThrow(InvalidPathError);
    const field = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (error) {
        if (error instanceof InvalidArgumentError) return error.field;
        throw error;
      }
      return undefined;
    };
    expect(field(() => new NodeCache(zk(), '/a', { codec: 'json' as never }))).toBe('codec');
    expect(field(() => new TreeCache(zk(), '/a', { maxDepth: -1 }))).toBe('maxDepth');
    expect(field(() => new TreeCache(zk(), '/a', { maxDepth: 1.5 }))).toBe('maxDepth');
    expect(field(() => new NodeCache(zk(), '/a', { maxDepth: 1 } as never))).toBe('maxDepth');
    expect(field(() => new PathChildrenCache(zk(), '/a', { codecs: jsonCodec() } as never))).toBe(
      'codecs',
    );
    expect(
      field(() => new TreeCache(zk(), '/a', { maxDepth: 2, codec: jsonCodec() })),
    ).toBeUndefined();
  });

  it('does no I/O in the constructor; start twice throws RecipeStateError; a start that cannot load times out', async () => {
    const [port] = await allocatePorts(1);
    const framework = zk(`127.0.0.1:${port}`); // nothing listens there
    await framework.start();
    const cache = new NodeCache(framework, '/cfg');
    expect(cache.state).toBe('latent');
    const started = cache.start({ timeoutMs: 200 });
    await expect(started).rejects.toBeInstanceOf(CacheTimeoutError);
    await expect(started).rejects.toMatchObject({ path: '/cfg', timeoutMs: 200 });
    await expect(cache.start()).rejects.toBeInstanceOf(RecipeStateError);
    const aborted = new AbortController();
    const waiting = cache.whenInitialized({ signal: aborted.signal });
    aborted.abort(new Error('user gave up'));
    await expect(waiting).rejects.toThrow('user gave up');
    // Its rejection handler must be attached before close() rejects it, or the rejection is unhandled
    // for as long as close() takes.
    const pending = expect(cache.whenInitialized()).rejects.toBeInstanceOf(RecipeStateError);
    let completed = false;
    cache.events$.subscribe({ complete: () => (completed = true) });
    await cache[Symbol.asyncDispose]();
    await cache.close();
    expect(cache.state).toBe('closed');
    expect(completed).toBe(true);
    await pending;
    await expect(cache.whenInitialized()).rejects.toBeInstanceOf(RecipeStateError);
  });
});
