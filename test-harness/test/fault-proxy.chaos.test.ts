import { ConnectionLossError, ConnectTimeoutError, createZkClient } from '@zookit/client';
import { describe } from 'vitest';
import { FaultProxy } from '../src/fault-proxy.js';
import { JuteWriter } from '../src/jute-writer.js';
import { MiniZkClient } from '../src/mini-zk-client.js';
import { test } from '../src/vitest.js';

// ZooKeeper's sync op code (OpCode lists only what the harness itself sends).
const SYNC_OP = 9;

// The proxy sits in front of the shared standalone server; each test has its own namespace and proxy.
const it = test.extend<{ proxy: FaultProxy; direct: MiniZkClient }>({
  proxy: async ({ zkStandalone }, use) => {
    const proxy = await FaultProxy.start({ target: zkStandalone });
    await use(proxy);
    await proxy.close();
  },
  direct: async ({ connectString }, use) => {
    const client = await MiniZkClient.connect({ connectString });
    await use(client);
    await client.close();
  },
});

it('forwards traffic transparently when no fault is set', async ({
  proxy,
  namespace,
  direct,
  expect,
}) => {
  const client = await MiniZkClient.connect({
    connectString: `${proxy.connectString}${namespace}`,
  });
  await client.create('/via-proxy', Buffer.from('p'));
  await expect(direct.getData('/via-proxy')).resolves.toEqual(Buffer.from('p'));
  expect(proxy.connectionCount).toBe(1);
  await client.close();
  await expect.poll(() => proxy.connectionCount).toBe(0);
});

it('partition() black-holes a request until heal(), which delivers it and its reply once', async ({
  proxy,
  namespace,
  direct,
  expect,
}) => {
  const client = await MiniZkClient.connect({
    connectString: `${proxy.connectString}${namespace}`,
    sessionTimeoutMs: 30_000,
  });
  proxy.partition();
  const before = proxy.forwardedBytes;
  let settled = false;
  // Sequential, so a request applied twice would leave two nodes instead of failing unnoticed.
  const create = client.create('/during-partition-', Buffer.from('p'), 'persistent_sequential');
  const settle = (): void => {
    settled = true;
  };
  create.then(settle, settle);
  // The request has reached the proxy and is held there...
  await expect.poll(() => proxy.heldBytes.toServer).toBeGreaterThan(0);
  const held = proxy.heldBytes.toServer;
  // ...and the server never got it: a later write over a direct connection, then a sync, and the node
  // is still missing (a standalone server applies requests in arrival order).
  await direct.create('/after-partitioned-request');
  await direct.request(SYNC_OP, new JuteWriter().string('/').bytes());
  await expect(direct.getChildren('/')).resolves.toEqual(['after-partitioned-request']);
  expect(proxy.forwardedBytes).toEqual(before);
  expect(settled).toBe(false);
  expect(client.connected).toBe(true);

  proxy.heal();
  const path = await create;
  expect(path).toMatch(/^\/during-partition-\d{10}$/);
  expect(proxy.forwardedBytes.toServer - before.toServer).toBeGreaterThanOrEqual(held);
  expect(proxy.forwardedBytes.toClient).toBeGreaterThan(before.toClient);
  await expect(direct.getData(path)).resolves.toEqual(Buffer.from('p'));
  // Applied exactly once: one sequential node, and the client still works on the same connection.
  const children = await direct.getChildren('/');
  expect(children.filter((child) => child.startsWith('during-partition-'))).toEqual([
    path.slice(1),
  ]);
  await expect(client.exists(path)).resolves.toBe(true);
  await client.close();
});

it('partition() accepts new connections but answers nothing, not even the handshake', async ({
  proxy,
  zkStandalone,
  expect,
}) => {
  proxy.partition();
  const attempt = MiniZkClient.connect({
    connectString: proxy.connectString,
    connectTimeoutMs: 300,
  });
  await expect(attempt).rejects.toBeInstanceOf(ConnectTimeoutError);
  expect(proxy.acceptedCount).toBe(1);
  proxy.heal();
  const after = await MiniZkClient.connect({ connectString: proxy.connectString });
  expect(after.server).toBe(proxy.connectString);
  expect(zkStandalone).toContain(String(proxy.target.port));
  await after.close();
});

it('dropConnections() cuts every connection; the session survives and can be resumed', async ({
  proxy,
  namespace,
  expect,
}) => {
  const connectString = `${proxy.connectString}${namespace}`;
  const a = await MiniZkClient.connect({ connectString });
  const b = await MiniZkClient.connect({ connectString });
  await a.create('/eph', Buffer.alloc(0), 'ephemeral');
  expect(proxy.connectionCount).toBe(2);
  proxy.dropConnections();
  await Promise.all([a.closed(), b.closed()]);
  expect(proxy.connectionCount).toBe(0);
  await expect(a.exists('/eph')).rejects.toBeInstanceOf(ConnectionLossError);
  const resumed = await MiniZkClient.connect({
    connectString,
    sessionId: a.sessionId,
    sessionPassword: a.sessionPassword,
  });
  await expect(resumed.exists('/eph')).resolves.toBe(true);
  await resumed.close();
  await MiniZkClient.connect({
    connectString,
    sessionId: b.sessionId,
    sessionPassword: b.sessionPassword,
  }).then((c) => c.close());
});

it('dropNextReply(): the create is applied but the client sees a connection loss', async ({
  proxy,
  namespace,
  direct,
  expect,
}) => {
  const client = await MiniZkClient.connect({
    connectString: `${proxy.connectString}${namespace}`,
  });
  await client.create('/warm-up');
  const dropped = proxy.dropNextReply();
  await expect(client.create('/applied', Buffer.from('v'))).rejects.toBeInstanceOf(
    ConnectionLossError,
  );
  await expect(dropped).resolves.toMatchObject({ opCode: 1, err: 0 });
  expect((await dropped).zxid).toBeGreaterThan(0n);
  await client.closed();
  expect(client.connected).toBe(false);
  await expect(direct.getData('/applied')).resolves.toEqual(Buffer.from('v'));
  // One-shot: the next request through the proxy is answered normally.
  const again = await MiniZkClient.connect({
    connectString: `${proxy.connectString}${namespace}`,
    sessionId: client.sessionId,
    sessionPassword: client.sessionPassword,
  });
  await expect(again.create('/after')).resolves.toBe('/after');
  await again.close();
});

it('dropNextReply() skips pings and the handshake and targets the next real request', async ({
  proxy,
  namespace,
  expect,
}) => {
  const dropped = proxy.dropNextReply();
  // Armed before the connection exists: the handshake and pings (xid -2) go through untouched.
  const client = await MiniZkClient.connect({
    connectString: `${proxy.connectString}${namespace}`,
    sessionTimeoutMs: 1_000,
  });
  await expect.poll(() => proxy.connectionCount).toBe(1);
  await expect(client.getChildren('/')).rejects.toBeInstanceOf(ConnectionLossError);
  await expect(dropped).resolves.toMatchObject({ opCode: 8, err: 0 });
});

it('close() rejects a pending dropNextReply() and frees the port', async ({
  expect,
  zkStandalone,
}) => {
  const proxy = await FaultProxy.start({ target: zkStandalone });
  const dropped = proxy.dropNextReply();
  await proxy.close();
  await expect(dropped).rejects.toThrow(/closed before a reply was dropped/);
  await expect(
    MiniZkClient.connect({ connectString: proxy.connectString, connectTimeoutMs: 1_000 }),
  ).rejects.toBeInstanceOf(ConnectionLossError);
});

describe.each(['native', 'wire'] as const)('with a @zookit/client %s client', (transport) => {
  it('dropNextReply() turns an applied create into CONNECTION_LOSS, then the client reconnects', async ({
    proxy,
    namespace,
    direct,
    expect,
  }) => {
    const client = createZkClient({
      connectString: `${proxy.connectString}${namespace}`,
      sessionTimeoutMs: 6_000,
      transport,
    });
    await client.connect();
    try {
      const dropped = proxy.dropNextReply();
      const failure = await client.create('/cl', 'v').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ConnectionLossError);
      expect((failure as ConnectionLossError).outcomeUnknown).toBe(true);
      await expect(dropped).resolves.toMatchObject({ err: 0 });
      await expect(direct.exists('/cl')).resolves.toBe(true);
      // Same session, new connection through the proxy.
      await expect.poll(() => client.state).toBe('connected');
      await expect(client.exists('/cl')).resolves.not.toBeNull();
      expect(proxy.acceptedCount).toBe(2);
    } finally {
      await client.close();
    }
  });

  it('partition() makes the client disconnect; heal() lets it reconnect to the same session', async ({
    proxy,
    namespace,
    expect,
    timing,
  }) => {
    const client = createZkClient({
      connectString: `${proxy.connectString}${namespace}`,
      sessionTimeoutMs: 4_000,
      transport,
    });
    const events: string[] = [];
    client.onSessionEvent((event) => events.push(event.type));
    await client.connect();
    try {
      const sessionId = client.sessionId;
      proxy.partition();
      await expect.poll(() => client.state, { timeout: timing.ms(15_000) }).toBe('disconnected');
      proxy.heal();
      await expect.poll(() => client.state, { timeout: timing.ms(15_000) }).toBe('connected');
      expect(client.sessionId).toBe(sessionId);
      expect(events).toEqual(['connected', 'disconnected', 'connected']);
    } finally {
      await client.close();
    }
  });
});
