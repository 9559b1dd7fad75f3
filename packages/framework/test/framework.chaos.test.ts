import { CreateMode, NoAuthError, nodeName, Perms } from '@zookit/client';
import { RetryNTimes } from '@zookit/retry';
import { expireSession, FaultProxy, ZkEnsemble } from '@zookit/test-harness';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { ConnectionStateEvent, FrameworkOptions, ZkFramework } from '../src/index.js';
import { OwnedNode, SessionReconciler } from '../src/recipe-kit/index.js';
import {
  type FrameworkTransport,
  frameworkTransports,
  nextNewSession,
  nextState,
  recordStates,
  startedFramework,
  uniqueNamespace,
} from './helpers.js';

const SESSION_TIMEOUT_MS = 4000;

let ensemble: ZkEnsemble;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ensemble = await ZkEnsemble.start({ servers: 1, tickTimeMs: 500 });
});

afterAll(async () => {
  await ensemble.close();
});

afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** A framework on `transport` that talks to the server through its own fault proxy. */
async function proxied(
  transport: FrameworkTransport,
  overrides: Partial<
    Pick<FrameworkOptions, 'retryPolicy' | 'connectionTimeoutMs' | 'authorization'>
  > = {},
  namespace = uniqueNamespace(),
): Promise<{ zk: ZkFramework; proxy: FaultProxy; direct: ZkFramework }> {
  const proxy = await FaultProxy.start({ target: ensemble.connectStringFor(0) });
  cleanup.push(() => proxy.close());
  const zk = await startedFramework({
    connectString: proxy.connectString,
    namespace,
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
    connectionTimeoutMs: 3000,
    retryPolicy: new RetryNTimes({ maxRetries: 10, sleepMs: 100 }),
    transport: transport.name,
    ...overrides,
  });
  expect(zk.client?.transport).toBe(transport.name);
  cleanup.push(() => zk.close());
  const direct = await startedFramework({
    connectString: ensemble.connectString,
    namespace,
    sessionTimeoutMs: 10_000,
  });
  cleanup.push(() => direct.close());
  // The namespace node is a container (Curator): the server reaps it once it had children and has none
  // left, e.g. when an expired session's ephemerals go. A persistent child keeps it for the test.
  await direct.create('/keep');
  return { zk, proxy, direct };
}

describe.each(frameworkTransports)('$name transport', (transport) => {
  describe('connection loss on create (reply dropped after the server applied it)', () => {
    it('a protected ephemeral-sequential create resolves to the one node that exists, never two', async () => {
      const { zk, proxy, direct } = await proxied(transport);
      await zk.create('/jobs');
      const dropped = proxy.dropNextReply();
      const path = await zk.create('/jobs/job-', 'payload', {
        mode: CreateMode.EphemeralSequential,
        protected: true,
      });
      const reply = await dropped;
      expect(reply.err).toBe(0); // the server did apply the first create
      expect([1, 15]).toContain(reply.opCode); // create or create2: applied, but its reply never arrived
      const children = await direct.getChildren('/jobs');
      expect(children).toEqual([nodeName(path)]);
      const { stat, data } = await direct.getData(path);
      expect(stat.ephemeralOwner).toBe(zk.sessionId);
      expect(data.toString()).toBe('payload');
    });

    it('a plain sequential create may leave a duplicate (documented in connection-loss.md)', async () => {
      const { zk, proxy, direct } = await proxied(transport);
      await zk.create('/jobs');
      const dropped = proxy.dropNextReply();
      const path = await zk.create('/jobs/job-', 'payload', {
        mode: CreateMode.EphemeralSequential,
      });
      expect((await dropped).err).toBe(0);
      const children = (await direct.getChildren('/jobs')).sort();
      expect(children).toEqual(['job-0000000000', 'job-0000000001']);
      expect(nodeName(path)).toBe('job-0000000001'); // the caller only knows about the retry's node
    });
  });

  describe('orphans and bounded waits', () => {
    it('a protected create that finally fails with an unknown outcome leaves no orphan', async () => {
      // No retries: the connection loss is final for the caller, but the node was created on the server.
      const { zk, proxy, direct } = await proxied(transport, {
        retryPolicy: new RetryNTimes({ maxRetries: 0, sleepMs: 0 }),
      });
      await zk.create('/jobs');
      const dropped = proxy.dropNextReply();
      const err = await zk
        .create('/jobs/job-', 'x', { mode: CreateMode.PersistentSequential, protected: true })
        .catch((e: unknown) => e);
      expect((await dropped).err).toBe(0);
      expect(err).toMatchObject({ code: 'RETRIES_EXHAUSTED', outcomeUnknown: true });
      // The background cleanup finds the node by its protected prefix and deletes it.
      await expect.poll(() => direct.getChildren('/jobs'), { timeout: 15_000 }).toEqual([]);
    });

    it('an operation during a partition waits for the connection, bounded by connectionTimeoutMs per attempt', async () => {
      const { zk, proxy } = await proxied(transport, {
        retryPolicy: new RetryNTimes({ maxRetries: 1, sleepMs: 0 }),
        connectionTimeoutMs: 500,
      });
      const suspended = nextState(zk, 'suspended');
      proxy.partition();
      proxy.dropConnections();
      await suspended;
      // 2 attempts, each waiting up to 500 ms for a connection that does not come back.
      const err = await zk.getData('/').catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'RETRIES_EXHAUSTED', attempts: 2 });
      expect((err as Error).cause).toMatchObject({ code: 'CONNECTION_LOSS' });
      // After the partition, the same framework serves again.
      const back = nextState(zk, 'reconnected');
      proxy.heal();
      await back;
      expect(await zk.exists('/')).not.toBeNull();
    });
  });

  describe('partitions and session expiry', () => {
    it('a partition longer than the session timeout: suspended → lost → reconnected with a new session', async () => {
      const { zk, proxy, direct } = await proxied(transport);
      const eph = await zk.create('/eph', 'x', { mode: CreateMode.Ephemeral });
      const oldSession = zk.sessionId;
      const rec = recordStates(zk);
      const lost = nextState(zk, 'lost');
      proxy.partition();
      const lostEvent = await lost;
      expect(zk.leaseDeadline).toBeUndefined();
      const reconnected = nextState(zk, 'reconnected');
      proxy.heal();
      const event = (await reconnected) as Extract<ConnectionStateEvent, { state: 'reconnected' }>;
      expect(rec.states()).toEqual(['suspended', 'lost', 'reconnected']);
      expect(lostEvent).toMatchObject({ state: 'lost', sessionId: oldSession });
      expect(transport.lostReasonsAfterPartition).toContain(
        (lostEvent as Extract<ConnectionStateEvent, { state: 'lost' }>).reason,
      );
      // LOST comes one session timeout after the last message heard, not after SUSPENDED.
      const suspended = rec.events[0] as Extract<ConnectionStateEvent, { state: 'suspended' }>;
      expect(lostEvent.at - suspended.lastHeardAt).toBeGreaterThanOrEqual(SESSION_TIMEOUT_MS);
      // Holders were told to give up before that: the lease deadline keeps a margin.
      expect(suspended.leaseDeadline).toBeLessThan(suspended.lastHeardAt + SESSION_TIMEOUT_MS);
      expect(event.sessionChanged).toBe(true);
      expect(event.previousSessionId).toBe(oldSession);
      expect(event.sessionId).not.toBe(oldSession);
      expect(zk.sessionId).toBe(event.sessionId);
      // The framework works on the new session, and the old session's ephemeral is gone.
      await zk.create('/after', 'ok');
      expect((await zk.getData('/after')).data.toString()).toBe('ok');
      await expect.poll(() => direct.exists(eph), { timeout: 15_000 }).toBeNull();
      rec.stop();
    });

    it('a partition shorter than the session timeout: suspended → reconnected, same session, ephemerals kept', async () => {
      const { zk, proxy, direct } = await proxied(transport);
      const eph = await zk.create('/eph', 'x', { mode: CreateMode.Ephemeral });
      const session = zk.sessionId;
      const rec = recordStates(zk);
      const suspended = nextState(zk, 'suspended');
      proxy.partition();
      proxy.dropConnections(); // the client notices at once instead of after its ping timeout
      await suspended;
      expect(zk.isErrorState('suspended')).toBe(true);
      const reconnected = nextState(zk, 'reconnected');
      proxy.heal();
      const event = await reconnected;
      expect(rec.states()).toEqual(['suspended', 'reconnected']);
      expect(event).toMatchObject({ sessionId: session, sessionChanged: false });
      expect((await direct.exists(eph))?.ephemeralOwner).toBe(session);
      rec.stop();
    });

    it('a real expiry: lost (reason expired), then reconnected on a new session; operations wait and succeed', async () => {
      const { zk, direct } = await proxied(transport);
      const eph = await zk.create('/eph', 'x', { mode: CreateMode.Ephemeral });
      const oldSession = zk.sessionId ?? 0n;
      const rec = recordStates(zk);
      const reconnected = nextNewSession(zk);
      await expireSession({
        connectString: ensemble.connectString,
        sessionId: oldSession,
        sessionPassword: passwordOf(zk),
      });
      // Issued while the session is being replaced: it waits for the new session and succeeds.
      const during = zk.getData('/').then(
        (r) => r,
        (e: unknown) => e,
      );
      await reconnected;
      // The seeds' walk-through: connected → disconnected → expired, then (framework) a new session. The
      // expiry trick drops the victim's connection, and the victim may win its session back once or twice
      // (suspended → reconnected, same session) before the close sticks.
      const states = rec.states();
      const lostAt = states.indexOf('lost');
      expect(states[0]).toBe('suspended');
      expect(states.slice(lostAt)).toEqual(['lost', 'reconnected']);
      for (const e of rec.events.slice(0, lostAt)) {
        expect(['suspended', 'reconnected']).toContain(e.state);
        expect(e.sessionId).toBe(oldSession);
      }
      expect(states[lostAt - 1]).toBe('suspended');
      expect(rec.events[lostAt]).toMatchObject({ reason: 'expired', sessionId: oldSession });
      expect(rec.events[lostAt + 1]).toMatchObject({
        sessionChanged: true,
        previousSessionId: oldSession,
      });
      expect(await during).toHaveProperty('stat');
      expect(await direct.exists(eph)).toBeNull();
      rec.stop();
    });
  });

  describe('authorization', () => {
    it('is applied again to the new session after the old one expired', async () => {
      const { zk, direct } = await proxied(transport, {
        authorization: [{ scheme: 'digest', auth: 'bob:pw' }],
      });
      await zk.create('/secret', 's');
      await zk.setACL('/secret', [{ perms: Perms.All, id: { scheme: 'auth', id: '' } }]);
      const newSession = nextNewSession(zk);
      await expireSession({
        connectString: ensemble.connectString,
        sessionId: zk.sessionId ?? 0n,
        sessionPassword: passwordOf(zk),
      });
      await newSession;
      expect((await zk.getData('/secret')).data.toString()).toBe('s');
      await expect(direct.getData('/secret')).rejects.toBeInstanceOf(NoAuthError);
    });
  });

  describe('recipe kit against real sessions', () => {
    it('OwnedNode keeps its node on the same session and replaces it after a new session; close deletes it', async () => {
      const { zk, proxy, direct } = await proxied(transport);
      const node = new OwnedNode(zk, { path: '/latch/latch-', data: 'me' });
      const first = await node.ensure();
      expect(await node.ensure()).toBe(first);
      const lost = nextState(zk, 'lost');
      proxy.partition();
      await lost;
      const reconnected = nextState(zk, 'reconnected');
      proxy.heal();
      await reconnected;
      const second = await node.ensure();
      expect(second).not.toBe(first);
      expect((await direct.getData(second)).stat.ephemeralOwner).toBe(zk.sessionId);
      await node.close();
      expect(await direct.exists(second)).toBeNull();
      // '/latch' is a container: once empty the server may reap it, which counts as empty too.
      await expect
        .poll(() => direct.getChildren('/latch').catch(() => []), { timeout: 15_000 })
        .toEqual([]);
    });

    it('SessionReconciler reconciles on the first connection and again on a new session', async () => {
      const { zk } = await proxied(transport);
      const runs: string[] = [];
      const invalidations: string[] = [];
      const reconciler = new SessionReconciler(zk, {
        invalidate: (reason) => invalidations.push(reason),
        reconcile: async ({ reason, signal }) => {
          await zk.exists('/', { signal });
          runs.push(reason);
        },
        onError: (e) => runs.push(`error:${String(e)}`),
      });
      reconciler.start();
      await expect.poll(() => runs).toEqual(['initial']);
      await expireSession({
        connectString: ensemble.connectString,
        sessionId: zk.sessionId ?? 0n,
        sessionPassword: passwordOf(zk),
      });
      await expect.poll(() => runs, { timeout: 20_000 }).toEqual(['initial', 'sessionReplaced']);
      // Standard policy: suspended is an error state too (the expiry trick may suspend the session more than once).
      expect(invalidations.at(-1)).toBe('lost');
      expect(invalidations.slice(0, -1).length).toBeGreaterThan(0);
      expect(new Set(invalidations.slice(0, -1))).toEqual(new Set(['suspended']));
      await reconciler.close();
    });

    it('under the session policy a holder is invalidated at the lease deadline, before lost', async () => {
      const namespace = uniqueNamespace();
      const proxy = await FaultProxy.start({ target: ensemble.connectStringFor(0) });
      cleanup.push(() => proxy.close());
      const zk = await startedFramework({
        connectString: proxy.connectString,
        namespace,
        sessionTimeoutMs: SESSION_TIMEOUT_MS,
        connectionTimeoutMs: 3000,
        errorPolicy: 'session',
        transport: transport.name,
      });
      cleanup.push(() => zk.close());
      const log: { reason: string }[] = [];
      const reconciler = new SessionReconciler(zk, {
        invalidate: (reason) => log.push({ reason }),
        reconcile: () => Promise.resolve(),
        onError: () => undefined,
      });
      reconciler.start();
      const suspended = nextState(zk, 'suspended');
      const lost = nextState(zk, 'lost');
      proxy.partition();
      proxy.dropConnections();
      const s = (await suspended) as Extract<ConnectionStateEvent, { state: 'suspended' }>;
      const l = await lost;
      // The holder let go at the deadline (last contact + timeout − margin), before the session was lost.
      expect(log.map((e) => e.reason)).toEqual(['leaseExpired', 'lost']);
      expect(s.leaseDeadline).toBeLessThan(l.at);
      const back = nextNewSession(zk);
      proxy.heal();
      await back;
      await reconciler.close();
    });

    it('a guaranteed delete that fails during a partition completes in the background after heal', async () => {
      const { zk, proxy, direct } = await proxied(transport);
      const errors: Error[] = [];
      zk.errors$.subscribe((e) => errors.push(e));
      await zk.create('/doomed', 'x');
      proxy.partition();
      proxy.dropConnections();
      const attempt = zk.delete('/doomed', { guaranteed: true, signal: AbortSignal.timeout(500) });
      await expect(attempt).rejects.toBeDefined();
      expect(await direct.exists('/doomed')).not.toBeNull();
      proxy.heal();
      await expect.poll(() => direct.exists('/doomed'), { timeout: 15_000 }).toBeNull();
    });
  });
});

/** The session password of the framework's current client. */
function passwordOf(zk: ZkFramework): Buffer {
  const password = zk.client?.sessionPassword;
  if (password === undefined) throw new Error('no session password');
  return password;
}
