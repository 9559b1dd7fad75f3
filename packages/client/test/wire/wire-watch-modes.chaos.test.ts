import { expireSession } from '@zookit/test-harness';
import { test } from '@zookit/test-harness/vitest';
import { describe, expect, vi } from 'vitest';
import type { SessionEvent } from '../../src/index.js';
import { eventRecorder, proxiedWireClients, serverWatches } from './wire-test-support.js';

const { proxied, direct } = proxiedWireClients();

// One-shot watches served by a persistent watch of the same path (ZOOKEEPER-4466, see
// wire-watch-modes.integration.test.ts) across reconnects and session expiry.

const reconnected = (events: SessionEvent[]) =>
  expect(events.map((e) => e.type)).toEqual(['connected', 'disconnected', 'connected']);

const WAIT = { timeout: 10_000 } as const;

describe('emulated one-shot watches across reconnects', () => {
  test('a change missed while away fires the one-shot; the persistent watch goes on after', async ({
    zkStandalone,
    namespace,
  }) => {
    const { proxy, client, events } = await proxied(zkStandalone, namespace);
    const writer = await direct(zkStandalone + namespace);
    await writer.create('/a');
    const p = eventRecorder();
    await client.addWatch('/a', 'persistent', p.listener);
    const data = eventRecorder();
    const child = eventRecorder();
    await client.getData('/a', { watch: data.listener });
    await client.getChildren('/a', { watch: child.listener });
    proxy.partition();
    await writer.setData('/a', 'changed while away');
    proxy.dropConnections();
    proxy.heal();
    await vi.waitFor(() => reconnected(events), WAIT);
    // The server checks the re-sent one-shot against the last zxid (it does not for persistent watches).
    await vi.waitFor(() => expect(data.events).toEqual(['dataChanged /a']), WAIT);
    // The child one-shot missed nothing and still waits, served by the re-registered persistent watch.
    await writer.create('/a/x');
    await vi.waitFor(() => expect(child.events).toEqual(['childrenChanged /a']), WAIT);
    // And reads after the reconnect do not downgrade the persistent watch either.
    const again = eventRecorder();
    await client.getData('/a', { watch: again.listener });
    await writer.setData('/a', '1');
    await writer.setData('/a', '2');
    await vi.waitFor(
      () =>
        expect(p.events).toEqual([
          'dataChanged /a',
          'childrenChanged /a',
          'dataChanged /a',
          'dataChanged /a',
        ]),
      WAIT,
    );
    expect(again.events).toEqual(['dataChanged /a']);
    expect(data.events).toEqual(['dataChanged /a']);
    expect(child.events).toEqual(['childrenChanged /a']);
  });

  test('a one-shot child watch next to a recursive watch of the path survives a reconnect', async ({
    zkStandalone,
    namespace,
  }) => {
    const { proxy, client, events } = await proxied(zkStandalone, namespace);
    const writer = await direct(zkStandalone + namespace);
    await writer.create('/r');
    const child = eventRecorder();
    await client.getChildren('/r', { watch: child.listener });
    const r = eventRecorder();
    await client.addWatch('/r', 'persistentRecursive', r.listener);
    proxy.dropConnections();
    await vi.waitFor(() => reconnected(events), WAIT);
    await writer.create('/r/x');
    await writer.setData('/r/x', '1');
    await vi.waitFor(() => expect(r.events).toEqual(['created /r/x', 'dataChanged /r/x']), WAIT);
    await vi.waitFor(() => expect(child.events).toEqual(['childrenChanged /r']), WAIT);
  });

  test('a one-shot left by an unsubscribed persistent watch is a server watch after a reconnect', async ({
    zkStandalone,
    namespace,
  }) => {
    const { proxy, client, events } = await proxied(zkStandalone, namespace);
    const writer = await direct(zkStandalone + namespace);
    await writer.create('/l');
    const p = eventRecorder();
    const stop = await client.addWatch('/l', 'persistent', p.listener);
    const data = eventRecorder();
    await client.getData('/l', { watch: data.listener });
    stop();
    proxy.dropConnections();
    await vi.waitFor(() => reconnected(events), WAIT);
    await writer.setData('/l', '1');
    await vi.waitFor(() => expect(data.events).toEqual(['dataChanged /l']), WAIT);
    await vi.waitFor(
      async () => expect(await serverWatches(zkStandalone, client.sessionId)).toEqual([]),
      { ...WAIT, interval: 50 },
    );
    expect(p.events).toEqual([]);
    expect(client.watchCount).toBe(0);
  });

  test('a read queued while disconnected keeps a persistent watch unsubscribed meanwhile', async ({
    zkStandalone,
    namespace,
  }) => {
    const { proxy, client, events } = await proxied(zkStandalone, namespace);
    const writer = await direct(zkStandalone + namespace);
    await writer.create('/q');
    const stop = await client.addWatch('/q', 'persistent', () => undefined);
    proxy.partition();
    proxy.dropConnections();
    await vi.waitFor(() => expect(client.state).toBe('disconnected'), WAIT);
    const data = eventRecorder();
    // Decided while the persistent watch is still armed: sent without a watch flag.
    const read = client.getData('/q', { watch: data.listener });
    stop();
    proxy.heal();
    await read;
    await vi.waitFor(() => reconnected(events), WAIT);
    await writer.setData('/q', '1');
    await vi.waitFor(() => expect(data.events).toEqual(['dataChanged /q']), WAIT);
    await vi.waitFor(
      async () => expect(await serverWatches(zkStandalone, client.sessionId)).toEqual([]),
      { ...WAIT, interval: 50 },
    );
    expect(client.watchCount).toBe(0);
  });

  test('session expiry drops emulated one-shots like every other watch', async ({
    zkStandalone,
    namespace,
  }) => {
    const { client } = await proxied(zkStandalone, namespace, { sessionTimeoutMs: 10_000 });
    const writer = await direct(zkStandalone + namespace);
    await writer.create('/e');
    const p = eventRecorder();
    await client.addWatch('/e', 'persistent', p.listener);
    const data = eventRecorder();
    await client.getData('/e', { watch: data.listener });
    const { sessionId, sessionPassword } = client;
    if (sessionId === undefined || sessionPassword === undefined) throw new Error('not connected');
    await expireSession({ connectString: zkStandalone, sessionId, sessionPassword });
    await vi.waitFor(() => expect(client.state).toBe('expired'), { timeout: 20_000, interval: 50 });
    expect(client.watchCount).toBe(0);
    // As for real one-shots, expiry is a session event; watch listeners hear nothing.
    expect(p.events).toEqual([]);
    expect(data.events).toEqual([]);
  });
});
