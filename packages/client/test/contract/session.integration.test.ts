import { createServer, type Server } from 'node:net';
import {
  ClientClosedError,
  ConnectTimeoutError,
  CreateMode,
  InvalidArgumentError,
  InvalidStateError,
  SessionExpiredError,
  type ZkError,
} from '@zookit/client';
import { expect, it, vi } from 'vitest';
import {
  describeContract,
  expectGoneAfterClose,
  freshExists,
  recordEvents,
} from './contract-context.js';

/** A loopback TCP port with nothing listening (connections are refused). */
async function deadPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describeContract('contract: session lifecycle', (env) => {
  it('connects once: a connected event with a lossless session id, then closed on close', async () => {
    const { build, connectString, root } = env();
    const client = build({ connectString: connectString + root, sessionTimeoutMs: 4_000 });
    const events = recordEvents(client);
    expect(client.state).toBe('idle');
    expect(client.sessionId).toBeUndefined();
    await client.connect();
    expect(client.state).toBe('connected');
    expect(typeof client.sessionId).toBe('bigint');
    expect(client.sessionPassword?.length).toBe(16);
    expect(client.negotiatedTimeoutMs).toBe(4_000);
    expect(events).toEqual([
      {
        type: 'connected',
        sessionId: client.sessionId,
        negotiatedTimeoutMs: 4_000,
        readOnly: false,
        initial: true,
      },
    ]);
    const id = client.sessionId;
    await client.close();
    await client.close();
    expect(client.state).toBe('closed');
    expect(client.sessionId).toBe(id);
    expect(events.map((e) => e.type)).toEqual(['connected', 'closed']);
  });

  it('refuses calls before connect, a second connect, and calls after close', async () => {
    const { build, connectString, root } = env();
    const client = build({ connectString: connectString + root });
    await expect(client.getData('/')).rejects.toBeInstanceOf(InvalidStateError);
    await client.connect();
    await expect(client.connect()).rejects.toBeInstanceOf(InvalidStateError);
    await client.close();
    await expect(client.getData('/')).rejects.toBeInstanceOf(ClientClosedError);
    await expect(client.create('/x')).rejects.toMatchObject({ code: 'CLIENT_CLOSED', path: '/x' });
    await expect(client.connect()).rejects.toBeInstanceOf(ClientClosedError);
  });

  it('close settles calls in flight: success, or an error flagged outcome-unknown', async () => {
    const { admin, root, open } = env();
    const client = await open();
    await client.create('/marker', null, { mode: CreateMode.Ephemeral });
    const writes = Array.from({ length: 50 }, (_, i) => client.create(`/inflight-${i}`, 'x'));
    await client.close();
    const results = await Promise.allSettled(writes);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as ZkError).outcomeUnknown).toBe(true);
    }
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    // The server handles a session's requests in order: once its close has removed the ephemeral marker,
    // every write sent before the close has been decided. The close queues behind 50 quorum writes, so on
    // a loaded machine its reply can come later than the client waits for it (1.5 s native,
    // `closeTimeoutMs` wire): wait for the marker rather than expect it gone the moment close resolves
    // (the test below checks that with nothing queued).
    await vi.waitFor(async () => expect(await freshExists(admin, `${root}/marker`)).toBeNull(), {
      timeout: 15_000,
    });
    const { children } = await admin.getChildren(root);
    expect(children.filter((c) => c.startsWith('inflight-')).length).toBeGreaterThanOrEqual(ok);
  });

  it('close deletes the session’s ephemerals', async () => {
    const { admin, root, open } = env();
    const client = await open();
    await client.create('/eph', null, { mode: CreateMode.Ephemeral });
    expect(await freshExists(admin, `${root}/eph`)).not.toBeNull();
    await client.close();
    await expectGoneAfterClose(env(), admin, `${root}/eph`);
  });

  it('works inside a chroot: paths in and out are relative to it', async () => {
    const { admin, root, open } = env();
    const client = await open();
    expect(
      await client.create('/in-chroot', 'x', { mode: CreateMode.PersistentSequential }),
    ).toMatch(/^\/in-chroot\d{10}$/);
    await admin.sync(root);
    const { children } = await admin.getChildren(root);
    expect(children.some((c) => c.startsWith('in-chroot'))).toBe(true);
    expect((await client.getChildren('/')).children).toEqual(children);
  });

  it('times out the first connection with ConnectTimeoutError and closes the handle', async () => {
    const { build } = env();
    const client = build({
      connectString: `127.0.0.1:${await deadPort()}`,
      connectTimeoutMs: 1_000,
    });
    const events = recordEvents(client);
    const err = await client.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectTimeoutError);
    expect((err as ConnectTimeoutError).timeoutMs).toBe(1_000);
    expect(client.state).toBe('closed');
    expect(events).toEqual([{ type: 'closed' }]);
    await expect(client.exists('/')).rejects.toBeInstanceOf(ClientClosedError);
  });

  it('aborting connect closes the handle with ClientClosedError', async () => {
    const { build } = env();
    const client = build({
      connectString: `127.0.0.1:${await deadPort()}`,
      connectTimeoutMs: 60_000,
    });
    const controller = new AbortController();
    const pending = client.connect({ signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toBeInstanceOf(ClientClosedError);
    expect(client.state).toBe('closed');
  });

  it('rejects malformed connect strings when built, unusable ones on connect', () => {
    const { build } = env();
    for (const bad of [
      '',
      'garbage',
      '127.0.0.1',
      '127.0.0.1:0',
      '127.0.0.1:70000',
      'h:1/bad/',
      'h:1//x',
    ]) {
      expect(() => build({ connectString: bad }), bad).toThrow(InvalidArgumentError);
      try {
        build({ connectString: bad });
      } catch (err) {
        expect((err as InvalidArgumentError).field).toBe('connectString');
      }
    }
    expect(() => build({ connectString: '127.0.0.1:1', sessionTimeoutMs: -1 })).toThrow(
      /sessionTimeoutMs/,
    );
    expect(() => build({ connectString: '127.0.0.1:1', sessionId: 1n })).toThrow(/sessionPassword/);
  });

  it('an unresolvable host fails connect with a typed error', async () => {
    const { build } = env();
    const client = build({ connectString: 'nohost.invalid:2181' });
    await expect(client.connect()).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'connectString',
    });
    expect(client.state).toBe('closed');
  });

  it('resuming a session that was closed fails connect with SessionExpiredError', async () => {
    const { build, connectString, root, open } = env();
    const first = await open();
    const sessionId = first.sessionId ?? 0n;
    const sessionPassword = first.sessionPassword ?? Buffer.alloc(16);
    await first.close();
    const second = build({ connectString: connectString + root, sessionId, sessionPassword });
    const events = recordEvents(second);
    await expect(second.connect()).rejects.toBeInstanceOf(SessionExpiredError);
    expect(second.state).toBe('expired');
    expect(events).toEqual([{ type: 'expired' }]);
    await expect(second.exists('/')).rejects.toBeInstanceOf(SessionExpiredError);
  });

  it('unsubscribed listeners get nothing; lastHeardAt is a lower bound of the last answer', async () => {
    const { open } = env();
    const client = await open();
    const events = recordEvents(client);
    const other: unknown[] = [];
    const off = client.onSessionEvent((e) => other.push(e));
    off();
    off();
    // Each subscription is its own, even of the same function: both transports deliver twice, and one
    // unsubscribe removes one subscription only.
    const twice: string[] = [];
    const listener = (e: { type: string }) => twice.push(e.type);
    client.onSessionEvent(listener);
    const offSecond = client.onSessionEvent(listener);
    offSecond();
    client.onSessionEvent(listener);
    const before = performance.now();
    await client.exists('/');
    const after = performance.now();
    expect(client.lastHeardAt).toBeGreaterThanOrEqual(before);
    expect(client.lastHeardAt).toBeLessThanOrEqual(after);
    await client.close();
    expect(events).toEqual([{ type: 'closed' }]);
    expect(other).toEqual([]);
    expect(twice).toEqual(['closed', 'closed']);
  });
});
