import { inject } from 'vitest';
import { NodeExistsError, NoNodeError, parseConnectString } from '@zookit/client';
import { serverMode } from '../src/four-letter-word.js';
import { MiniZkClient } from '../src/mini-zk-client.js';
import { test } from '../src/vitest.js';

test('the run shares one serving standalone server and one serving 3-server ensemble', async ({
  zkStandalone,
  zkEnsemble3,
  expect,
}) => {
  expect(zkStandalone).toBe(inject('zkStandalone'));
  const [standalone] = parseConnectString(zkStandalone).hosts;
  await expect(serverMode(standalone?.host ?? '', standalone?.port ?? 0)).resolves.toBe(
    'standalone',
  );
  const members = parseConnectString(zkEnsemble3).hosts;
  expect(members).toHaveLength(3);
  const modes = await Promise.all(members.map((m) => serverMode(m.host, m.port)));
  expect(modes.filter((m) => m === 'leader')).toHaveLength(1);
  expect(modes.filter((m) => m === 'follower')).toHaveLength(2);
  expect(inject('zkServerLogFiles')).toHaveLength(4);
});

test('namespace is a fresh node and connectString is chrooted to it', async ({
  zkStandalone,
  namespace,
  connectString,
  expect,
}) => {
  expect(namespace).toMatch(/^\/t-[0-9a-f-]{36}$/);
  expect(connectString).toBe(`${zkStandalone}${namespace}`);
  const chrooted = await MiniZkClient.connect({ connectString });
  const root = await MiniZkClient.connect({ connectString: zkStandalone });
  try {
    await expect(chrooted.getChildren('/')).resolves.toEqual([]);
    await expect(chrooted.create('/a', Buffer.from('x'))).resolves.toBe('/a');
    await expect(root.getData(`${namespace}/a`)).resolves.toEqual(Buffer.from('x'));
  } finally {
    await Promise.all([chrooted.close(), root.close()]);
  }
});

let previousNamespace: string | undefined;
test.sequential('namespaces differ per test (1/2)', ({ namespace }) => {
  previousNamespace = namespace;
});
test.sequential(
  'namespaces differ per test and are removed after (2/2)',
  async ({ namespace, zkStandalone, expect }) => {
    expect(previousNamespace).toBeDefined();
    expect(namespace).not.toBe(previousNamespace);
    const root = await MiniZkClient.connect({ connectString: zkStandalone });
    try {
      await expect(root.exists(previousNamespace ?? '/')).resolves.toBe(false);
      await expect(root.exists(namespace)).resolves.toBe(true);
    } finally {
      await root.close();
    }
  },
);

let namespaceSeenByHook: boolean | undefined;
test.sequential(
  "the namespace outlives the test's own onTestFinished hooks, where recipes are closed (1/2)",
  ({ namespace, zkStandalone, onTestFinished }) => {
    // A hook registered by the test, like `onTestFinished(() => latch.close())`: the namespace must
    // still be there when it runs, or a live recipe re-creates nodes under a half-deleted tree.
    onTestFinished(async () => {
      const root = await MiniZkClient.connect({ connectString: zkStandalone });
      try {
        namespaceSeenByHook = await root.exists(namespace);
        previousNamespace = namespace;
      } finally {
        await root.close();
      }
    });
  },
);
test.sequential(
  "the namespace outlives the test's own onTestFinished hooks, where recipes are closed (2/2)",
  async ({ zkStandalone, expect }) => {
    expect(namespaceSeenByHook).toBe(true);
    const root = await MiniZkClient.connect({ connectString: zkStandalone });
    try {
      await expect(root.exists(previousNamespace ?? '/')).resolves.toBe(false);
    } finally {
      await root.close();
    }
  },
);

test('the ensemble namespace replicates to every member', async ({
  ensembleNamespace,
  ensembleConnectString,
  zkEnsemble3,
  expect,
}) => {
  const writer = await MiniZkClient.connect({ connectString: ensembleConnectString });
  try {
    await writer.create('/replicated', Buffer.from('r'));
  } finally {
    await writer.close();
  }
  for (const { host, port } of parseConnectString(zkEnsemble3).hosts) {
    const reader = await MiniZkClient.connect({
      connectString: `${host}:${port}${ensembleNamespace}`,
    });
    try {
      // `sync` is not needed: the writer's close was acknowledged after the create committed; a
      // follower may still lag, so wait for it rather than assume.
      await expect.poll(() => reader.exists('/replicated')).toBe(true);
    } finally {
      await reader.close();
    }
  }
});

test('servers run with TTL nodes and fast container reaping', async ({
  connectString,
  timing,
  expect,
}) => {
  const client = await MiniZkClient.connect({ connectString });
  try {
    await expect(client.createTtl('/ttl', Buffer.alloc(0), 1)).resolves.toBe('/ttl');
    await client.create('/box', Buffer.alloc(0), 'container');
    await client.create('/box/item');
    await client.delete('/box/item');
    // Both reaped by the container manager, which runs every second here.
    await timing.waitFor(
      async () => !(await client.exists('/ttl')) && !(await client.exists('/box')),
      {
        timeoutMs: timing.ms(15_000),
        message: 'TTL node and empty container to be reaped',
      },
    );
    await expect(client.getData('/box')).rejects.toBeInstanceOf(NoNodeError);
  } finally {
    await client.close();
  }
});

test('MiniZkClient reports server errors as typed ZkErrors with the path', async ({
  connectString,
  expect,
}) => {
  const client = await MiniZkClient.connect({ connectString });
  try {
    await client.create('/dup');
    await expect(client.create('/dup')).rejects.toBeInstanceOf(NodeExistsError);
    await expect(client.getData('/missing')).rejects.toMatchObject({
      code: 'NO_NODE',
      path: '/missing',
    });
    const seq = await client.create('/s-', Buffer.alloc(0), 'persistent_sequential');
    expect(seq).toMatch(/^\/s-\d{10}$/);
  } finally {
    await client.close();
  }
});
