/**
 * A service that reloads zod-validated config live through a NodeCache.
 *
 *   node --conditions=source --import tsx main.ts [connectString]
 *
 * Without a connect string it starts its own ZooKeeper. An "admin" session then writes a few config
 * versions, one of them invalid: the service applies each valid one as it arrives, reports the invalid
 * one (path and zod issues) and keeps running on the last valid config. Everything is cleaned up and the
 * program exits 0.
 */
import { randomUUID } from 'node:crypto';

import { jsonCodec, NodeCache, SchemaViolationError } from '@zookit/cache';
import { createFramework, type ZkFramework } from '@zookit/framework';
import { ExponentialBackoffRetry } from '@zookit/retry';
import { ZkEnsemble } from '@zookit/test-harness';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { z } from 'zod';

const ConfigSchema = z.object({
  greeting: z.string().min(1),
  maxConnections: z.number().int().positive(),
  features: z.record(z.string(), z.boolean()).default({}),
});
type Config = z.infer<typeof ConfigSchema>;

const CONFIG_PATH = '/config/app';
const WAIT_MS = 10_000;

async function connect(connectString: string, namespace: string): Promise<ZkFramework> {
  const zk = createFramework({
    connectString,
    namespace,
    sessionTimeoutMs: 10_000,
    retryPolicy: new ExponentialBackoffRetry({ baseSleepMs: 100, maxRetries: 3 }),
  });
  await zk.start();
  await zk.waitForConnection({ timeoutMs: WAIT_MS });
  return zk;
}

/** The "service": applies every valid config it is given. */
class Service {
  config: Config | undefined;
  apply(config: Config | undefined): void {
    this.config = config;
    if (config === undefined) console.log('[service] no config yet: running on defaults');
    else console.log(`[service] applied config: ${JSON.stringify(config)}`);
  }
}

async function main(): Promise<void> {
  const given = process.argv[2];
  const ensemble = given === undefined ? await ZkEnsemble.start({ servers: 1 }) : undefined;
  const connectString = given ?? ensemble?.connectString ?? '';
  console.log(
    given === undefined
      ? `started a local ZooKeeper at ${connectString}`
      : `using ${connectString}`,
  );
  // A fresh namespace, so the demo never touches anything else on a shared server.
  const namespace = `config-cache-example-${randomUUID().slice(0, 8)}`;
  const serviceZk = await connect(connectString, namespace);
  const adminZk = await connect(connectString, namespace);
  const codec = jsonCodec(ConfigSchema);
  const cache = new NodeCache(serviceZk, CONFIG_PATH, { codec });
  try {
    const service = new Service();
    cache.onChange((config) => service.apply(config));
    cache.onError((error) => {
      if (error instanceof SchemaViolationError) {
        const issues = error.issues
          .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; ');
        console.log(
          `[service] rejected config at ${error.path ?? '?'} (${issues}); keeping the last valid one`,
        );
      } else {
        console.log(`[service] cache error: ${error.message}`);
      }
    });
    await cache.start({ timeoutMs: WAIT_MS });

    const arrived = (predicate: (c: Config | undefined) => boolean): Promise<unknown> =>
      firstValueFrom(cache.data$.pipe(filter(predicate), timeout(WAIT_MS)));
    const rejected = (): Promise<unknown> => firstValueFrom(cache.errors$.pipe(timeout(WAIT_MS)));

    console.log('[admin] v1');
    let next = arrived((c) => c?.maxConnections === 10);
    await adminZk.create(
      CONFIG_PATH,
      { greeting: 'hello', maxConnections: 10, features: {} },
      { codec, parents: true },
    );
    await next;

    console.log('[admin] v2');
    next = arrived((c) => c?.maxConnections === 20);
    await adminZk.setData(
      CONFIG_PATH,
      { greeting: 'hello again', maxConnections: 20, features: { beta: true } },
      { codec },
    );
    await next;

    // Written as raw bytes: a typo'd deploy script that the codec would have refused to encode.
    console.log('[admin] v3 (invalid: maxConnections is negative, greeting missing)');
    const error = rejected();
    await adminZk.setData(CONFIG_PATH, JSON.stringify({ maxConnections: -5 }));
    await error;
    console.log(
      `[service] still running on maxConnections=${service.config?.maxConnections ?? '?'}`,
    );
    if (service.config?.maxConnections !== 20 || cache.current()?.data.maxConnections !== 20) {
      throw new Error('the cache served invalid data');
    }

    console.log('[admin] v4');
    next = arrived((c) => c?.maxConnections === 40);
    await adminZk.setData(
      CONFIG_PATH,
      { greeting: 'fixed', maxConnections: 40, features: { beta: false } },
      { codec },
    );
    await next;
    const current = cache.current();
    console.log(
      `[service] final config version ${current?.stat.version ?? '?'}: ${JSON.stringify(current?.data)}`,
    );
  } finally {
    await cache.close();
    await adminZk.delete('/', { recursive: true, quietly: true }).catch(() => undefined);
    await adminZk.close();
    await serviceZk.close();
    await ensemble?.close();
  }
  console.log('done');
}

await main();
