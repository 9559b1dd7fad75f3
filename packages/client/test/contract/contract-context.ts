/**
 * Per-test setup of the contract suite: for each (server target × transport), every test gets a fresh
 * namespace node, clients chrooted into it, and an unchrooted `admin` client of the same transport that
 * observes the server independently. Everything is closed and removed after the test.
 */
import { randomUUID } from 'node:crypto';
import {
  NoAuthError,
  NoNodeError,
  type SessionEvent,
  type TransportCapabilities,
  type ZkClient,
  type ZkClientOptions,
} from '@zookit/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  connectStringOf,
  degradeOnce,
  tlsOptionsOf,
  zkTargets,
  type ZkTarget,
} from '../support/zk-targets.js';
import { diverges, transports, type ContractTransport } from './transports.js';

/** What a contract test works with. */
export interface ContractEnv {
  readonly target: ZkTarget;
  readonly transport: ContractTransport;
  /** The target's connect string, without chroot. */
  readonly connectString: string;
  /** Absolute path of this test's namespace node. */
  readonly root: string;
  /** Unchrooted client of the same transport, connected. */
  readonly admin: ZkClient;
  /** Opens a client chrooted at {@link ContractEnv.root}, connected; closed after the test. */
  readonly open: (options?: Partial<ZkClientOptions>) => Promise<ZkClient>;
  /** Builds a client (not connected) that is closed after the test. */
  readonly build: (options: ZkClientOptions) => ZkClient;
}

/** Records the session events of a client. */
export function recordEvents(client: ZkClient): SessionEvent[] {
  const events: SessionEvent[] = [];
  client.onSessionEvent((e) => events.push(e));
  return events;
}

/** Deletes a subtree, children first. */
export async function deleteTree(client: ZkClient, path: string): Promise<void> {
  let children: string[] = [];
  try {
    ({ children } = await client.getChildren(path));
  } catch (err) {
    // An ephemeral of a just-closed session may vanish between the parent's listing and now.
    if (err instanceof NoNodeError) return;
    // A node whose ACL hides it from us can still be deleted (that needs DELETE on the parent).
    if (!(err instanceof NoAuthError)) throw err;
  }
  for (const child of children) await deleteTree(client, `${path}/${child}`);
  try {
    await client.delete(path);
  } catch (err) {
    // An ephemeral of a just-closed session may vanish between the listing and the delete.
    if (!(err instanceof NoNodeError)) throw err;
  }
}

/**
 * Asserts that `path` is gone for `observer` right after `closed` was closed: at once, or eventually where the
 * transport declares `closeResolvesBeforeServerClose`.
 */
export async function expectGoneAfterClose(
  env: ContractEnv,
  observer: ZkClient,
  path: string,
): Promise<void> {
  if (diverges(env.transport, 'closeResolvesBeforeServerClose')) {
    await vi.waitFor(async () => expect(await freshExists(observer, path)).toBeNull());
  } else {
    expect(await freshExists(observer, path)).toBeNull();
  }
}

/** Reads through `client` after making its server catch up (other clients may use another server). */
export async function freshExists(client: ZkClient, path: string): ReturnType<ZkClient['exists']> {
  await client.sync(path);
  return client.exists(path);
}

/** Tests of the degraded target a test file runs before it kills the victim server. */
const TESTS_BEFORE_KILL = 2;
// Module state, so per test file (vitest isolates modules per file); the kill itself happens once per run.
let degradedTests = 0;
let degradedServing = false;

/**
 * Kills the degraded target's victim between two tests (once this file has run
 * {@link TESTS_BEFORE_KILL} tests there, unless another file already did), then waits until a fresh client
 * of `transport` can write and sync through the 2 survivors, so every later test of the target runs on the
 * degraded ensemble.
 */
async function degradeBetweenTests(target: ZkTarget, transport: ContractTransport): Promise<void> {
  if (++degradedTests <= TESTS_BEFORE_KILL || degradedServing) return;
  await degradeOnce((check) => vi.waitFor(check, { timeout: 10_000, interval: 50 }));
  await vi.waitFor(
    async () => {
      const probe = transport.create({
        connectString: connectStringOf(target),
        connectTimeoutMs: 5_000,
      });
      try {
        await probe.connect();
        const path = await probe.create(`/degraded-probe-${randomUUID()}`, 'x', {
          mode: 'ephemeral',
        });
        await probe.sync(path);
        await probe.delete(path);
      } finally {
        await probe.close();
      }
    },
    { timeout: 30_000, interval: 200 },
  );
  degradedServing = true;
}

/** A transport's capabilities, read from a client that is built (no I/O, nothing to release) and dropped. */
function capabilitiesOf(transport: ContractTransport): TransportCapabilities {
  return transport.create({ connectString: '127.0.0.1:1' }).capabilities;
}

/** One test per transport that cannot take part, asserting the missing capability (never a silent skip). */
function describeExcluded(target: ZkTarget, transport: ContractTransport): void {
  it(`cannot run on the ${target.name} target: capabilities.tls is false`, async () => {
    const client = transport.create({ connectString: connectStringOf(target) });
    try {
      expect(client.capabilities.tls).toBe(false);
    } finally {
      await client.close();
    }
    expect(client.state).toBe('closed');
  });
}

/**
 * Declares `body` once per server target and transport, with a fresh {@link ContractEnv} per test. On the
 * TLS target every client gets the CA and server name; a transport without the `tls` capability gets one
 * test asserting that instead of the body.
 */
export function describeContract(title: string, body: (env: () => ContractEnv) => void): void {
  describe.each(zkTargets)(`${title} [$name]`, (target) => {
    describe.each(transports)('transport $name', (transport) => {
      if (target.tls && !capabilitiesOf(transport).tls) {
        describeExcluded(target, transport);
        return;
      }
      let env: ContractEnv | undefined;
      let owned: ZkClient[] = [];
      beforeEach(async () => {
        if (target.degrades) await degradeBetweenTests(target, transport);
        const connectString = connectStringOf(target);
        const tls = target.tls ? { tls: tlsOptionsOf(target) } : {};
        const build = (options: ZkClientOptions): ZkClient => {
          const client = transport.create({ ...options, ...tls });
          owned.push(client);
          return client;
        };
        const admin = build({ connectString, sessionTimeoutMs: 10_000 });
        await admin.connect();
        const root = `/contract-${randomUUID()}`;
        await admin.create(root);
        env = {
          target,
          transport,
          connectString,
          root,
          admin,
          build,
          open: async (options = {}) => {
            const client = build({
              connectString: connectString + root,
              sessionTimeoutMs: 10_000,
              ...options,
            });
            await client.connect();
            return client;
          },
        };
      });
      afterEach(async () => {
        const current = env;
        const clients = owned;
        env = undefined;
        owned = [];
        for (const c of clients.slice(1)) await c.close();
        if (current !== undefined && current.admin.state === 'connected') {
          await deleteTree(current.admin, current.root);
        }
        await clients[0]?.close();
        for (const c of clients) expect(['closed', 'expired', 'authFailed']).toContain(c.state);
      });
      body(() => {
        if (env === undefined) throw new Error('contract env used outside a test');
        return env;
      });
    });
  });
}
