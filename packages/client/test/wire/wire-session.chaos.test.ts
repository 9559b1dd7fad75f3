import { performance } from 'node:perf_hooks';
import { expireSession } from '@zookit/test-harness';
import { test } from '@zookit/test-harness/vitest';
import { describe, expect, vi } from 'vitest';
import {
  Acls,
  NoNodeError,
  SessionExpiredError,
  type SessionEvent,
  type WatchEvent,
} from '../../src/index.js';
import { proxiedWireClients } from './wire-test-support.js';

const { proxied, direct } = proxiedWireClients();

const types = (events: SessionEvent[]) => events.map((e) => e.type);

describe('wire session under faults', () => {
  test('a hung server is noticed by the read timeout, in time to keep the session', async ({
    zkStandalone,
    namespace,
    timing,
  }) => {
    const { proxy, client, events } = await proxied(zkStandalone, namespace, {
      sessionTimeoutMs: timing.ms(3000),
    });
    const id = client.sessionId;
    const negotiatedMs = client.negotiatedTimeoutMs ?? 0;
    expect(negotiatedMs).toBeGreaterThan(0);
    let disconnectedAt: number | undefined;
    client.onSessionEvent((e) => {
      if (e.type === 'disconnected') disconnectedAt ??= performance.now();
    });
    // A reply right before the pause, so the read timeout (counted from the last message heard) starts there.
    await client.exists('/');
    const pausedAt = performance.now();
    proxy.partition();
    // Only the read timeout (2/3 of the session timeout) can notice a black hole: nothing is closed.
    await vi.waitFor(() => expect(types(events)).toContain('disconnected'), {
      timeout: timing.ms(10_000),
      interval: 20,
    });
    const detectedAfterMs = (disconnectedAt ?? Number.NaN) - pausedAt;
    // Not a false alarm: a silent but healthy connection is given well over a ping interval ...
    expect(detectedAfterMs).toBeGreaterThanOrEqual(negotiatedMs / 2);
    // ... yet noticed before the server may expire the session, so another server can still take it.
    expect(detectedAfterMs).toBeLessThan(negotiatedMs);
    proxy.heal();
    await vi.waitFor(() => expect(events).toHaveLength(3), { timeout: timing.ms(10_000) });
    // Had detection taken longer than the session timeout, the client would have declared it expired.
    expect(events[2]).toMatchObject({ type: 'connected', sessionId: id, initial: false });
    expect(await client.exists('/')).not.toBeNull();
  });

  test('a partition longer than the session timeout expires the session on the client side', async ({
    zkStandalone,
    namespace,
  }) => {
    const { proxy, client, events } = await proxied(zkStandalone, namespace);
    proxy.partition();
    const pending = client.getData('/').catch((e: unknown) => e);
    await vi.waitFor(() => expect(client.state).toBe('expired'), { timeout: 20_000, interval: 50 });
    expect(types(events)).toEqual(['connected', 'disconnected', 'expired']);
    expect(await pending).toBeInstanceOf(Error);
    await expect(client.exists('/')).rejects.toBeInstanceOf(SessionExpiredError);
    proxy.heal();
  });

  test('a session expired by the server is reported as expired on the next handshake', async ({
    zkStandalone,
    namespace,
  }) => {
    const { client, events } = await proxied(zkStandalone, namespace, { sessionTimeoutMs: 10_000 });
    await client.create('/mine', null, { mode: 'ephemeral' });
    await client.exists('/mine', { watch: () => undefined });
    const { sessionId, sessionPassword } = client;
    if (sessionId === undefined || sessionPassword === undefined) throw new Error('not connected');
    await expireSession({ connectString: zkStandalone, sessionId, sessionPassword });
    await vi.waitFor(() => expect(client.state).toBe('expired'), { timeout: 20_000, interval: 50 });
    // While the expiry trick's second handle holds the session, the victim may take it back once
    // (disconnected, connected) before the close lands: the two handles race (native-binding reference §3b).
    const seen = types(events);
    expect(seen.at(0)).toBe('connected');
    expect(seen.slice(-2)).toEqual(['disconnected', 'expired']);
    expect(seen.slice(1, -2).join(',')).toMatch(
      /^(disconnected,connected)?(,disconnected,connected)*$/,
    );
    expect(
      events.filter((e) => e.type === 'connected').every((e) => e.sessionId === sessionId),
    ).toBe(true);
    expect(client.watchCount).toBe(0);
    const observer = await direct(zkStandalone + namespace);
    expect(await observer.exists('/mine')).toBeNull();
  });

  test('watches are re-registered after a reconnect and report changes missed while away', async ({
    zkStandalone,
    namespace,
  }) => {
    const { proxy, client, events } = await proxied(zkStandalone, namespace);
    const writer = await direct(zkStandalone + namespace);
    await writer.create('/w', 'a');
    const seen: string[] = [];
    const note = (tag: string) => (e: WatchEvent) => seen.push(`${tag}:${e.type}:${e.path}`);
    await client.getData('/w', { watch: note('data') });
    await client.exists('/later', { watch: note('exists') });
    const stop = await client.addWatch('/w', 'persistent', note('persistent'));
    proxy.partition();
    await writer.setData('/w', 'changed while away');
    proxy.dropConnections();
    proxy.heal();
    await vi.waitFor(
      () => expect(types(events)).toEqual(['connected', 'disconnected', 'connected']),
      {
        timeout: 10_000,
      },
    );
    // The server compares the client's last zxid with the node's and fires the missed change at once.
    await vi.waitFor(() => expect(seen).toContain('data:dataChanged:/w'));
    await writer.create('/later');
    await writer.setData('/w', 'again');
    await vi.waitFor(() => expect(seen).toContain('exists:created:/later'));
    await vi.waitFor(() => expect(seen).toContain('persistent:dataChanged:/w'));
    stop();
  });

  test('credentials are replayed on every new connection', async ({ zkStandalone, namespace }) => {
    const { proxy, client, events } = await proxied(zkStandalone, namespace);
    await client.addAuth('digest', 'alice:secret');
    await client.create('/secret', 's', { acl: Acls.CreatorAllAcl });
    const stranger = await direct(zkStandalone + namespace);
    await expect(stranger.getData('/secret')).rejects.toMatchObject({ code: 'NO_AUTH' });
    proxy.dropConnections();
    await vi.waitFor(
      () => expect(types(events)).toEqual(['connected', 'disconnected', 'connected']),
      {
        timeout: 10_000,
      },
    );
    expect((await client.getData('/secret')).data.toString()).toBe('s');
    await client.setACL('/secret', Acls.OpenAclUnsafe);
  });

  test('more than 1 MiB of watched paths is re-registered in batches without a reconnect loop', async ({
    zkStandalone,
    namespace,
  }) => {
    const { proxy, client, events } = await proxied(zkStandalone, namespace, {
      sessionTimeoutMs: 10_000,
    });
    const writer = await direct(zkStandalone + namespace);
    const paths = Array.from({ length: 11_000 }, (_, i) => `/${'w'.repeat(90)}-${i}`);
    const fired = new Set<string>();
    const onEvent = (e: WatchEvent) => fired.add(e.path);
    const bytes = paths.reduce((n, p) => n + p.length + namespace.length, 0);
    expect(bytes).toBeGreaterThan(1024 * 1024);
    for (let i = 0; i < paths.length; i += 2000) {
      await Promise.all(paths.slice(i, i + 2000).map((p) => client.exists(p, { watch: onEvent })));
    }
    expect(client.watchCount).toBe(paths.length);
    proxy.dropConnections();
    await vi.waitFor(
      () => expect(types(events)).toEqual(['connected', 'disconnected', 'connected']),
      {
        timeout: 20_000,
      },
    );
    const last = paths.at(-1) ?? '';
    await writer.create(last);
    await writer.create(paths[0] ?? '');
    await vi.waitFor(() => expect([...fired].sort()).toEqual([paths[0], last].sort()), {
      timeout: 10_000,
    });
    expect(client.state).toBe('connected');
    expect(proxy.acceptedCount).toBe(2);
    await Promise.all([last, paths[0] ?? ''].map((p) => writer.delete(p)));
  });

  test('a request whose reply is lost fails as outcome-unknown, and the write did happen', async ({
    zkStandalone,
    namespace,
  }) => {
    const { proxy, client } = await proxied(zkStandalone, namespace);
    const dropped = proxy.dropNextReply();
    const failure = await client.create('/maybe').catch((e: unknown) => e);
    expect(failure).toMatchObject({
      code: 'CONNECTION_LOSS',
      outcomeUnknown: true,
      path: '/maybe',
    });
    expect((await dropped).err).toBe(0);
    await vi.waitFor(() => expect(client.state).toBe('connected'), { timeout: 10_000 });
    expect(await client.exists('/maybe')).not.toBeNull();
    await expect(client.getData('/never')).rejects.toBeInstanceOf(NoNodeError);
  });
});
