import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fourLetterWord } from '../src/four-letter-word.js';
import { FrameDecoder } from '../src/frame-decoder.js';
import { JuteWriter } from '../src/jute-writer.js';
import { MiniZkClient } from '../src/mini-zk-client.js';
import { scaledMs } from '../src/timing.js';
import {
  decodeConnectResponse,
  encodeConnectRequest,
  encodeRequest,
  OpCode,
} from '../src/zk-protocol.js';
import { ZkEnsemble } from '../src/zk-ensemble.js';

// ZooKeeper's sync op code (OpCode lists only what the harness itself sends).
const SYNC_OP = 9;

describe('ZkEnsemble.start', () => {
  it('starts a standalone server by default, on 127.0.0.1 with a fixed connect string', async () => {
    await using zk = await ZkEnsemble.start();
    expect(zk.size).toBe(1);
    expect(zk.backend).toBe('process');
    expect(zk.connectString).toBe(`127.0.0.1:${zk.clientPort(0)}`);
    expect(zk.connectStringFor(0)).toBe(zk.connectString);
    expect(zk.secureClientPort(0)).toBeUndefined();
    await expect(zk.mode(0)).resolves.toBe('standalone');
    expect(zk.logs(0)).toContain('Reading configuration from');
    expect(zk.logPath(0)).toMatch(/zookit-zk-\d+-.+server-1.server\.log$/);
    expect(() => zk.clientPort(1)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'server' }),
    );
  });

  it('adds observers after the voters', async () => {
    await using zk = await ZkEnsemble.start({ servers: 3, observers: 1 });
    expect(zk.size).toBe(4);
    expect(zk.connectString.split(',')).toHaveLength(4);
    const modes = await Promise.all([0, 1, 2, 3].map((i) => zk.mode(i)));
    expect(modes.slice(0, 3).sort()).toEqual(['follower', 'follower', 'leader']);
    expect(modes[3]).toBe('observer');
    const client = await MiniZkClient.connect({ connectString: zk.connectStringFor(3) });
    await client.create('/via-observer');
    await client.close();
  });

  it('starts five voters: one leader, four followers, and every member serves writes and reads', async () => {
    const zk = await ZkEnsemble.start({ servers: 5, jvmHeapMb: 64 });
    const pids: (number | undefined)[] = [];
    try {
      expect(zk.size).toBe(5);
      expect(zk.connectString.split(',')).toHaveLength(5);
      const modes = await Promise.all([0, 1, 2, 3, 4].map((i) => zk.mode(i)));
      expect([...modes].sort()).toEqual(['follower', 'follower', 'follower', 'follower', 'leader']);
      const leader = modes.indexOf('leader');
      // The leader's own view: four followers, all in sync, so the quorum is the whole ensemble.
      const mntr = async (): Promise<Record<string, string>> =>
        Object.fromEntries(
          (await fourLetterWord('127.0.0.1', zk.clientPort(leader), 'mntr'))
            .split('\n')
            .map((line) => line.split('\t')),
        ) as Record<string, string>;
      await expect.poll(mntr, { timeout: scaledMs(10_000) }).toMatchObject({
        zk_server_state: 'leader',
        zk_peer_state: 'leading - broadcast',
        zk_quorum_size: '5',
        zk_learners: '4',
        zk_synced_followers: '4',
      });

      const clients = await Promise.all(
        [0, 1, 2, 3, 4].map((i) => MiniZkClient.connect({ connectString: zk.connectStringFor(i) })),
      );
      try {
        const root = `/five-${process.pid}-${Date.now()}`;
        await clients[0]?.create(root);
        for (const [i, client] of clients.entries()) {
          await client.create(`${root}/via-${i}`, Buffer.from(`v${i}`));
        }
        for (const client of clients) {
          // sync first: a follower may not have applied the other members' latest writes yet.
          await client.request(SYNC_OP, new JuteWriter().string(root).bytes());
          expect((await client.getChildren(root)).sort()).toEqual(
            [0, 1, 2, 3, 4].map((i) => `via-${i}`),
          );
          await expect(client.getData(`${root}/via-4`)).resolves.toEqual(Buffer.from('v4'));
        }
        await clients[0]?.deleteRecursive(root);
      } finally {
        await Promise.all(clients.map((client) => client.close()));
      }
      pids.push(...[0, 1, 2, 3, 4].map((i) => zk.pid(i)));
      expect(pids.every((pid) => pid !== undefined && pid > 0)).toBe(true);
    } finally {
      await zk.close();
    }
    expect([0, 1, 2, 3, 4].map((i) => zk.isRunning(i))).toEqual(Array(5).fill(false));
    for (const pid of pids) expect(existsSync(`/proc/${String(pid)}`)).toBe(false);
  });

  it('honours maxSessionTimeoutMs and tickTimeMs', async () => {
    await using zk = await ZkEnsemble.start({ tickTimeMs: 200, maxSessionTimeoutMs: 3_000 });
    const high = await MiniZkClient.connect({
      connectString: zk.connectString,
      sessionTimeoutMs: 60_000,
    });
    const low = await MiniZkClient.connect({
      connectString: zk.connectString,
      sessionTimeoutMs: 10,
    });
    expect(high.sessionTimeoutMs).toBe(3_000);
    expect(low.sessionTimeoutMs).toBe(400);
    await Promise.all([high.close(), low.close()]);
  });
});

describe('a TLS client port', () => {
  let dir: string;
  let keyStorePath: string;
  let trustStorePath: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zookit-tls-'));
    keyStorePath = join(dir, 'server.p12');
    trustStorePath = join(dir, 'trust.p12');
    const keytool = (...args: string[]): Promise<unknown> => promisify(execFile)('keytool', args);
    await keytool(
      '-genkeypair',
      '-alias',
      'zk',
      '-keyalg',
      'EC',
      '-dname',
      'CN=localhost',
      '-ext',
      'SAN=ip:127.0.0.1',
      '-validity',
      '2',
      '-storetype',
      'PKCS12',
      '-keystore',
      keyStorePath,
      '-storepass',
      'secret1',
      '-keypass',
      'secret1',
    );
    // A trust store needs a trusted certificate entry, not a key entry.
    const cert = join(dir, 'server.crt');
    await keytool(
      '-exportcert',
      '-alias',
      'zk',
      '-keystore',
      keyStorePath,
      '-storepass',
      'secret1',
      '-file',
      cert,
    );
    await keytool(
      '-importcert',
      '-noprompt',
      '-alias',
      'zk',
      '-file',
      cert,
      '-storetype',
      'PKCS12',
      '-keystore',
      trustStorePath,
      '-storepass',
      'secret2',
    );
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the ZooKeeper protocol over TLS next to the plain port', async () => {
    await using zk = await ZkEnsemble.start({
      tls: {
        keyStorePath,
        keyStorePassword: 'secret1',
        trustStorePath,
        trustStorePassword: 'secret2',
      },
    });
    const securePort = zk.secureClientPort(0) ?? 0;
    expect(securePort).toBeGreaterThan(0);
    expect(zk.secureConnectString).toBe(`127.0.0.1:${securePort}`);

    const socket = tlsConnect({ host: '127.0.0.1', port: securePort, rejectUnauthorized: false });
    const decoder = new FrameDecoder();
    const response = await new Promise<Buffer>((resolve, reject) => {
      socket.once('secureConnect', () => socket.write(encodeConnectRequest({ timeoutMs: 5_000 })));
      socket.on('data', (chunk: Buffer) => {
        const [first] = decoder.push(chunk);
        if (first !== undefined) resolve(first);
      });
      socket.once('error', reject);
    });
    expect(socket.getPeerCertificate().subject?.CN).toBe('localhost');
    const session = decodeConnectResponse(response);
    expect(session.timeoutMs).toBe(5_000);
    expect(session.sessionId).not.toBe(0n);
    socket.end(encodeRequest(1, OpCode.closeSession));
    await new Promise((resolve) => socket.once('close', resolve));

    // The plain port still works (Netty serves both).
    const plain = await MiniZkClient.connect({ connectString: zk.connectString });
    await plain.close();
  });
});
