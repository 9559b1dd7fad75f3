/**
 * zookit in one run: connection states, a protected create, a live config cache, a leader election that
 * hands over, and a lock whose fencing tokens only go up.
 *
 *   bash scripts/demo.sh [connectString]
 *
 * With no connect string it starts a local ZooKeeper (a real server from Debian's jars) and stops it at
 * the end. Everything it writes lives under a fresh namespace, which it removes before exiting 0.
 */
import { randomUUID } from 'node:crypto';

import { jsonCodec, NodeCache } from '@zookit/cache';
import { CreateMode, createFramework, type ZkFramework } from '@zookit/framework';
import { LeaderLatch } from '@zookit/leader';
import { InterProcessMutex } from '@zookit/locks';
import { ExponentialBackoffRetry } from '@zookit/retry';
import { ZkEnsemble } from '@zookit/test-harness';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { z } from 'zod';

const WAIT_MS = 15_000;
const started = performance.now();

function log(section: string, message: string): void {
  const t = (performance.now() - started).toFixed(0).padStart(6);
  console.log(`${t} ms  [${section}] ${message}`);
}

async function connect(
  connectString: string,
  namespace: string,
  name: string,
): Promise<ZkFramework> {
  const zk = createFramework({
    connectString,
    namespace,
    sessionTimeoutMs: 10_000,
    retryPolicy: new ExponentialBackoffRetry({ baseSleepMs: 100, maxRetries: 3 }),
  });
  zk.connectionState$.subscribe((e) =>
    log(name, `connection ${e.state} (session 0x${e.sessionId?.toString(16)})`),
  );
  await zk.start();
  await zk.waitForConnection({ timeoutMs: WAIT_MS });
  return zk;
}

const ConfigSchema = z.object({
  greeting: z.string().min(1),
  workers: z.number().int().positive(),
});

async function configDemo(admin: ZkFramework, service: ZkFramework): Promise<void> {
  const cache = new NodeCache(service, '/config/app', { codec: jsonCodec(ConfigSchema) });
  const seen: string[] = [];
  cache.data$.subscribe((config) => {
    if (config !== undefined) seen.push(config.greeting);
    log('config', `cache now holds ${JSON.stringify(config)}`);
  });
  cache.errors$.subscribe((e) => log('config', `rejected invalid config: ${e.message}`));
  await cache.start();
  const last = firstValueFrom(
    cache.data$.pipe(
      filter((c) => c?.greeting === 'bonjour'),
      timeout(WAIT_MS),
    ),
  );
  await admin.create('/config/app', JSON.stringify({ greeting: 'hello', workers: 2 }), {
    parents: true,
  });
  // Each write is a compare-and-set on the node's version, so concurrent admins never overwrite blindly.
  const write = async (value: unknown): Promise<void> => {
    await admin.update('/config/app', () => JSON.stringify(value));
  };
  await write({ greeting: '', workers: -1 }); // fails the schema: the cache keeps "hello"
  await write({ greeting: 'bonjour', workers: 3 });
  await last;
  log('config', `the service saw, in order: ${seen.join(' → ')}`);
  await cache.close();
}

async function electionDemo(frameworks: readonly ZkFramework[]): Promise<void> {
  const latches = frameworks.map(
    (zk, i) => new LeaderLatch(zk, '/election', { id: `service-${i + 1}` }),
  );
  latches.forEach((latch, i) =>
    latch.leadership$.subscribe((leading) => log('election', `service-${i + 1} leads: ${leading}`)),
  );
  for (const latch of latches) await latch.start();
  const first = await Promise.any(
    latches.map(async (l) => (await l.awaitLeadership({ timeoutMs: WAIT_MS }), l)),
  );
  log(
    'election',
    `leader is ${(await first.getLeader()).id}, fencing token ${String(first.fencingToken)}`,
  );
  log('election', 'the leader leaves; the next in line (and only it) is woken');
  await first.close();
  const rest = latches.filter((l) => l !== first);
  const second = await Promise.any(
    rest.map(async (l) => (await l.awaitLeadership({ timeoutMs: WAIT_MS }), l)),
  );
  log(
    'election',
    `new leader ${(await second.getLeader()).id}, fencing token ${String(second.fencingToken)}`,
  );
  for (const latch of rest) await latch.close();
}

async function lockDemo(frameworks: readonly ZkFramework[]): Promise<void> {
  const tokens: bigint[] = [];
  await Promise.all(
    frameworks.map(async (zk, i) => {
      const mutex = new InterProcessMutex(zk, '/locks/orders');
      for (let round = 0; round < 2; round++) {
        await using lock = await mutex.acquire({ timeoutMs: WAIT_MS });
        tokens.push(lock.fencingToken);
        log('lock', `worker-${i + 1} holds the lock, fencing token ${String(lock.fencingToken)}`);
      }
    }),
  );
  const increasing = tokens.every((t, i) => i === 0 || t > (tokens[i - 1] ?? 0n));
  log(
    'lock',
    `${tokens.length} critical sections, fencing tokens strictly increasing: ${increasing}`,
  );
  if (!increasing) throw new Error('fencing tokens went backwards');
}

async function main(): Promise<void> {
  const given = process.argv[2];
  const ensemble = given === undefined ? await ZkEnsemble.start({ servers: 1 }) : undefined;
  const connectString = given ?? ensemble?.connectString ?? '';
  log(
    'demo',
    given === undefined
      ? `started a local ZooKeeper at ${connectString}`
      : `using ${connectString}`,
  );
  const namespace = `zookit-demo-${randomUUID().slice(0, 8)}`;
  const frameworks: ZkFramework[] = [];
  try {
    for (let i = 1; i <= 3; i++)
      frameworks.push(await connect(connectString, namespace, `service-${i}`));
    const [admin] = frameworks as [ZkFramework];

    const job = await admin.create('/jobs/job-', 'payload', {
      mode: CreateMode.EphemeralSequential,
      parents: 'containers',
      protected: true,
    });
    log(
      'create',
      `protected ephemeral-sequential node ${job} (never duplicated after a connection loss)`,
    );

    await configDemo(admin, frameworks[1] ?? admin);
    await electionDemo(frameworks);
    await lockDemo(frameworks);
    await admin.delete('/', { recursive: true }).catch(() => undefined);
  } finally {
    for (const zk of frameworks) await zk.close();
    await ensemble?.close();
  }
  log('demo', 'done');
}

await main();
