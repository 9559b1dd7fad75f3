import { createHash } from 'node:crypto';
import { ZkEnsemble } from '@zookit/test-harness';
import { attachServerLogsOnFailure, test } from '@zookit/test-harness/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, vi } from 'vitest';
import {
  BadVersionError,
  InvalidArgumentError,
  NoAuthError,
  ReconfigDisabledError,
  type ReconfigOptions,
  type SessionEvent,
  type WatchEvent,
} from '../../src/index.js';
import { WireZkClient } from '../../src/wire/wire-zk-client.js';

// Dynamic reconfiguration against a real 3-server ensemble of ZooKeeper 3.8.0 with `reconfigEnabled=true`:
// only a super user may reconfigure (the config node's ACL is world:read), so the servers get a digest
// super user.
const SUPER = 'super:reconfig-secret';
const SUPER_DIGEST = `super:${createHash('sha1').update(SUPER).digest('base64')}`;

let ensemble: ZkEnsemble;
beforeAll(async () => {
  ensemble = await ZkEnsemble.start({
    servers: 3,
    backend: 'process',
    extraConfig: ['reconfigEnabled=true'],
    jvmArgs: [`-Dzookeeper.DigestAuthenticationProvider.superDigest=${SUPER_DIGEST}`],
  });
});
afterAll(async () => {
  await ensemble?.close();
});

const open: WireZkClient[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

async function connect(connectString: string, superUser = false): Promise<WireZkClient> {
  const client = new WireZkClient({
    connectString,
    sessionTimeoutMs: 10_000,
    deterministicHostOrder: true,
  });
  open.push(client);
  await client.connect();
  if (superUser) await client.addAuth('digest', SUPER);
  return client;
}

/** The `version=` of a config, which is the zxid of the change that made it. */
function versionOf(config: Buffer): bigint {
  const hex = /^version=([0-9a-f]+)$/m.exec(config.toString())?.[1];
  if (hex === undefined) throw new Error(`no version in ${config.toString()}`);
  return BigInt(`0x${hex}`);
}

function memberLine(config: Buffer, id: number): string | undefined {
  return config
    .toString()
    .split('\n')
    .find((l) => l.startsWith(`server.${id}=`));
}

/** A follower to remove, the other follower and the leader. */
async function roles(): Promise<{ victim: number; other: number; leader: number }> {
  const leader = await ensemble.leaderIndex();
  if (leader === undefined) throw new Error('the ensemble has no leader');
  const [victim = -1, other = -1] = [0, 1, 2].filter((i) => i !== leader);
  return { victim, other, leader };
}

describe('WireZkClient.reconfig against a reconfig-enabled ensemble', () => {
  test('removes a follower and adds it back; getConfig and clients follow', async ({
    onTestFailed,
  }) => {
    attachServerLogsOnFailure(ensemble, { onTestFailed });
    const { victim, other, leader } = await roles();
    const id = victim + 1;
    const admin = await connect(ensemble.connectStringFor(other), true);
    // A client whose session lives on the server being removed: it must keep working throughout.
    const bystander = await connect(
      [victim, other, leader].map((i) => ensemble.connectStringFor(i)).join(','),
    );
    const bystanderEvents: SessionEvent[] = [];
    bystander.onSessionEvent((e) => bystanderEvents.push(e));
    const sessionId = bystander.sessionId;

    const configEvents: WatchEvent[] = [];
    const before = await admin.getConfig({ watch: (e) => configEvents.push(e) });
    const v0 = versionOf(before.data);
    const line = memberLine(before.data, id);
    expect(line).toBeDefined();

    const removed = await admin.reconfig({ leavingServers: String(id), fromConfig: v0 });
    const v1 = versionOf(removed.data);
    expect(v1).toBeGreaterThan(v0);
    expect(removed.stat.mzxid).toBe(v1);
    expect(memberLine(removed.data, id)).toBeUndefined();
    expect((await admin.getConfig()).data.toString()).toBe(removed.data.toString());
    await vi.waitFor(
      () => expect(configEvents).toEqual([{ type: 'dataChanged', path: '/zookeeper/config' }]),
      { timeout: 10_000 },
    );

    // The removed server keeps serving as a non-voting learner; its client notices nothing.
    const path = await bystander.create('/after-remove', 'x', { mode: 'ephemeral' });
    expect((await bystander.getData(path)).data.toString()).toBe('x');
    expect(bystander.sessionId).toBe(sessionId);

    // A stale expected version is refused.
    await expect(admin.reconfig({ leavingServers: String(id), fromConfig: v0 })).rejects.toThrow(
      BadVersionError,
    );

    const joining = `${line ?? ''};127.0.0.1:${ensemble.clientPort(victim)}`;
    const added = await admin.reconfig({ joiningServers: joining, fromConfig: v1 });
    const v2 = versionOf(added.data);
    expect(v2).toBeGreaterThan(v1);
    expect(memberLine(added.data, id)).toBe(joining);

    // Every server serves the new config, the re-added one included.
    const direct = await connect(ensemble.connectStringFor(victim));
    await direct.sync('/');
    expect(versionOf((await direct.getConfig()).data)).toBe(v2);
    expect(await direct.exists(path)).not.toBeNull();
    await bystander.setData(path, 'y');
    await admin.sync(path); // the two sessions are on different servers
    expect((await admin.getData(path)).data.toString()).toBe('y');
    expect(bystander.sessionId).toBe(sessionId);
    expect(bystanderEvents.map((e) => e.type)).not.toContain('expired');
    await vi.waitFor(
      async () =>
        expect((await Promise.all([0, 1, 2].map((i) => ensemble.mode(i)))).sort()).toEqual([
          'follower',
          'follower',
          'leader',
        ]),
      { timeout: 30_000 },
    );
  });

  test('a client without super rights gets NoAuthError and nothing changes', async () => {
    const { victim, other } = await roles();
    const plain = await connect(ensemble.connectStringFor(other));
    const v0 = versionOf((await plain.getConfig()).data);
    const error = await plain
      .reconfig({ leavingServers: String(victim + 1) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoAuthError);
    expect(error).toMatchObject({ path: '/zookeeper/config' });
    await plain.sync('/');
    expect(versionOf((await plain.getConfig()).data)).toBe(v0);
  });

  test('bad input is an InvalidArgumentError naming the field, and nothing is sent', async () => {
    const { other } = await roles();
    const admin = await connect(ensemble.connectStringFor(other), true);
    const v0 = versionOf((await admin.getConfig()).data);
    // Never connected: had any of these been sent, the error would be InvalidStateError.
    const idle = new WireZkClient({ connectString: ensemble.connectString });
    const cases: [ReconfigOptions, string][] = [
      [{}, 'change'],
      [{ leaving: '2' } as unknown as ReconfigOptions, 'change'],
      [null as unknown as ReconfigOptions, 'change'],
      // The server would take '' as an empty change and bump the config version.
      [{ leavingServers: '' }, 'leavingServers'],
      // ... and answer a non-numeric id with MarshallingError.
      [{ leavingServers: 'two' }, 'leavingServers'],
      [{ leavingServers: '2,' }, 'leavingServers'],
      [{ joiningServers: 'garbage' }, 'joiningServers'],
      [{ joiningServers: 'server.4=127.0.0.1:2888' }, 'joiningServers'],
      [{ joiningServers: 'server.4=127.0.0.1:2888:3888:voter' }, 'joiningServers'],
      [{ joiningServers: 'server.4=127.0.0.1:70000:3888' }, 'joiningServers'],
      [{ joiningServers: 'server.4=127.0.0.1:2888:3888;127.0.0.1:0' }, 'joiningServers'],
      [
        { joiningServers: 'server.4=127.0.0.1:2888:3888,server.4=127.0.0.1:2889:3889' },
        'joiningServers',
      ],
      [{ joiningServers: 42 as unknown as string }, 'joiningServers'],
      [{ newMembers: 'server.1=127.0.0.1:2888:3888', leavingServers: '2' }, 'newMembers'],
      [{ newMembers: 'weight.1=x' }, 'newMembers'],
      [{ leavingServers: '2', fromConfig: -2n }, 'fromConfig'],
      [{ leavingServers: '2', fromConfig: 2n ** 63n }, 'fromConfig'],
      [{ leavingServers: '2', fromConfig: 5 as unknown as bigint }, 'fromConfig'],
    ];
    for (const [change, field] of cases) {
      for (const client of [admin, idle]) {
        const error = await client.reconfig(change).catch((e: unknown) => e);
        expect(
          error,
          JSON.stringify(change, (_, v: unknown) => String(v)),
        ).toBeInstanceOf(InvalidArgumentError);
        expect(error).toMatchObject({ field });
      }
    }
    await idle.close();
    await admin.sync('/');
    expect(versionOf((await admin.getConfig()).data)).toBe(v0);
  });
});

describe('WireZkClient.reconfig against a server without reconfigEnabled', () => {
  test('the shared standalone server answers ReconfigDisabledError', async ({ zkStandalone }) => {
    const client = await connect(zkStandalone);
    const error = await client.reconfig({ leavingServers: '1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReconfigDisabledError);
    expect(error).toMatchObject({ path: '/zookeeper/config', zkCode: -123 });
    expect(client.state).toBe('connected');
  });
});
