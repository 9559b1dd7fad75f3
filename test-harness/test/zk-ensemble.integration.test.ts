import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameDecoder } from '../src/frame-decoder.js';
import { MiniZkClient } from '../src/mini-zk-client.js';
import {
  decodeConnectResponse,
  encodeConnectRequest,
  encodeRequest,
  OpCode,
} from '../src/zk-protocol.js';
import { ZkEnsemble } from '../src/zk-ensemble.js';

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
