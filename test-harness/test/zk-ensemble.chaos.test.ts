import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fourLetterWord } from '../src/four-letter-word.js';
import { MiniZkClient } from '../src/mini-zk-client.js';
import { scaledMs, waitFor } from '../src/timing.js';
import { attachServerLogsOnFailure } from '../src/vitest.js';
import { ZkEnsemble } from '../src/zk-ensemble.js';

async function withClient<T>(
  connectString: string,
  fn: (client: MiniZkClient) => Promise<T>,
): Promise<T> {
  const client = await MiniZkClient.connect({ connectString });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

function startups(log: string): number {
  return log.split('Reading configuration from').length - 1;
}

describe('a 3-server ensemble under faults', () => {
  let zk: ZkEnsemble;
  beforeAll(async () => {
    zk = await ZkEnsemble.start({ servers: 3 });
  });
  afterAll(async () => {
    await zk.close();
  });

  it('kill(i) takes one server down at once; restart(i) brings it back with the data it missed', async (ctx) => {
    attachServerLogsOnFailure(zk, ctx);
    await withClient(zk.connectString, (c) => c.create('/before-kill'));
    await zk.kill(1);
    expect(zk.isRunning(1)).toBe(false);
    await expect(fourLetterWord('127.0.0.1', zk.clientPort(1), 'ruok')).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    // Two of three still form a quorum and take writes.
    await zk.waitServing();
    await withClient(zk.connectStringFor(zk.isRunning(0) ? 0 : 2), (c) => c.create('/while-down'));

    await zk.restart(1);
    expect(zk.isRunning(1)).toBe(true);
    await expect(zk.mode(1)).resolves.toMatch(/^(leader|follower)$/);
    await withClient(zk.connectStringFor(1), async (c) => {
      await expect(c.exists('/before-kill')).resolves.toBe(true);
      await expect.poll(() => c.exists('/while-down')).toBe(true);
    });
  });

  it('stop(i) of the leader lets the other two elect a new one', async (ctx) => {
    attachServerLogsOnFailure(zk, ctx);
    const leader = await zk.leaderIndex();
    expect(leader).toBeDefined();
    await zk.stop(leader ?? 0);
    expect(zk.isRunning(leader ?? 0)).toBe(false);
    const next = await waitFor(() => zk.leaderIndex(), {
      timeoutMs: scaledMs(30_000),
      message: 'a new leader',
    });
    expect(next).not.toBe(leader);
    await zk.restart(leader ?? 0);
    await expect(zk.mode(leader ?? 0)).resolves.toBe('follower');
  });

  it('pause(i) freezes a server with its port open; resume(i) thaws it', async (ctx) => {
    attachServerLogsOnFailure(zk, ctx);
    expect(zk.isRunning(0)).toBe(true);
    await zk.pause(0);
    expect(zk.isPaused(0)).toBe(true);
    expect(zk.isRunning(0)).toBe(true);
    // The kernel still accepts the connection, but the frozen JVM never answers.
    await expect(fourLetterWord('127.0.0.1', zk.clientPort(0), 'srvr', 500)).rejects.toThrow(
      /no answer/,
    );
    await zk.resume(0);
    expect(zk.isPaused(0)).toBe(false);
    await zk.waitServing(0);
    await expect(zk.mode(0)).resolves.toMatch(/^(leader|follower)$/);
  });

  it('a server left without a quorum stops serving until the others return', async (ctx) => {
    attachServerLogsOnFailure(zk, ctx);
    await Promise.all([zk.kill(1), zk.kill(2)]);
    await waitFor(async () => (await zk.mode(0)) === undefined, {
      timeoutMs: scaledMs(30_000),
      message: 'the lone server to stop serving',
    });
    await expect(
      MiniZkClient.connect({ connectString: zk.connectStringFor(0), connectTimeoutMs: 2_000 }),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/^(CONNECTION_LOSS|CONNECT_TIMEOUT)$/) as unknown,
    });
    await Promise.all([zk.restart(1), zk.restart(2)]);
    await zk.waitServing();
    expect(await Promise.all([0, 1, 2].map((i) => zk.mode(i)))).not.toContain(undefined);
  });

  it('rollingRestart() restarts every server once, the leader last, keeping quorum and data', async (ctx) => {
    attachServerLogsOnFailure(zk, ctx);
    await withClient(zk.connectString, (c) => c.create('/before-rolling'));
    const before = [0, 1, 2].map((i) => startups(zk.logs(i)));
    const leader = await zk.leaderIndex();
    await zk.rollingRestart();
    expect([0, 1, 2].map((i) => startups(zk.logs(i)))).toEqual(before.map((n) => n + 1));
    // The old leader went last: its latest start line has the latest timestamp (HH:mm:ss.SSS).
    const lastStart = (i: number): string =>
      [...zk.logs(i).matchAll(/^(\d\d:\d\d:\d\d\.\d{3}) .*Reading configuration from/gm)].at(
        -1,
      )?.[1] ?? '';
    const starts = [0, 1, 2].map(lastStart);
    expect(starts.every((t) => t !== '')).toBe(true);
    expect(lastStart(leader ?? 0)).toBe([...starts].sort().at(-1));
    await zk.waitServing();
    for (const i of [0, 1, 2]) {
      await withClient(zk.connectStringFor(i), async (c) => {
        await expect.poll(() => c.exists('/before-rolling')).toBe(true);
      });
    }
  });
});

describe('a standalone server', () => {
  it('keeps persistent data and live sessions across kill and restart', async (ctx) => {
    await using zk = await ZkEnsemble.start();
    attachServerLogsOnFailure(zk, ctx);
    const owner = await MiniZkClient.connect({
      connectString: zk.connectString,
      sessionTimeoutMs: 10_000,
    });
    await owner.create('/persistent');
    await owner.create('/ephemeral', Buffer.alloc(0), 'ephemeral');
    await zk.kill(0);
    await owner.closed();
    expect(zk.isRunning(0)).toBe(false);
    await zk.restart(0);
    // The server rebuilds sessions from its log, so the same session can be resumed.
    const resumed = await MiniZkClient.connect({
      connectString: zk.connectString,
      sessionId: owner.sessionId,
      sessionPassword: owner.sessionPassword,
    });
    expect(resumed.sessionId).toBe(owner.sessionId);
    await expect(resumed.exists('/persistent')).resolves.toBe(true);
    await expect(resumed.exists('/ephemeral')).resolves.toBe(true);
    await resumed.close();
  });

  it('close() stops every JVM and removes its files', async () => {
    const zk = await ZkEnsemble.start();
    const port = zk.clientPort(0);
    const log = zk.logPath(0) ?? '';
    expect(log).not.toBe('');
    await zk.close();
    await zk.close();
    expect(zk.isRunning(0)).toBe(false);
    await expect(fourLetterWord('127.0.0.1', port, 'ruok')).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    const { existsSync } = await import('node:fs');
    expect(existsSync(log)).toBe(false);
  });
});
