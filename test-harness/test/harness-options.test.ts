import { InvalidArgumentError } from '@zookit/client';
import { describe, expect, it } from 'vitest';
import {
  commonConfigLines,
  resolveEnsembleOptions,
  systemProperties,
} from '../src/ensemble-options.js';
import { expireSession } from '../src/expire-session.js';
import { FaultProxy } from '../src/fault-proxy.js';
import { scaledMs, timeMultiplier, waitFor } from '../src/timing.js';
import { ZkEnsemble } from '../src/zk-ensemble.js';

describe('ensemble options', () => {
  it('defaults to a standalone server with fast ticks, TTL nodes and 1 s container checks', () => {
    const options = resolveEnsembleOptions();
    expect(options).toMatchObject({
      servers: 1,
      observers: 0,
      tickTimeMs: 500,
      extendedTypes: true,
      containerCheckIntervalMs: 1_000,
      jvmHeapMb: 128,
      minSessionTimeoutMs: 1_000,
      maxSessionTimeoutMs: 60_000,
    });
    expect(systemProperties(options)).toEqual(
      expect.arrayContaining([
        '-Dzookeeper.extendedTypesEnabled=true',
        '-Dznode.container.checkIntervalMs=1000',
      ]),
    );
    expect(commonConfigLines(options)).toEqual(
      expect.arrayContaining([
        'tickTime=500',
        '4lw.commands.whitelist=*',
        'maxClientCnxns=0',
        'maxSessionTimeout=60000',
      ]),
    );
  });

  it('switches to Netty and passes the stores when TLS is asked for', () => {
    const props = systemProperties(
      resolveEnsembleOptions({
        tls: {
          keyStorePath: '/k.p12',
          keyStorePassword: 'kp',
          trustStorePath: '/t.p12',
          trustStorePassword: 'tp',
        },
      }),
    );
    expect(props).toEqual(
      expect.arrayContaining([
        '-Dzookeeper.serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory',
        '-Dzookeeper.ssl.keyStore.location=/k.p12',
        '-Dzookeeper.ssl.trustStore.password=tp',
        '-Dzookeeper.ssl.clientAuth=none',
      ]),
    );
  });

  it.each([
    [{ servers: 2 as 1 }, 'servers'],
    [{ tickTimeMs: 0 }, 'tickTimeMs'],
    [{ observers: -1 }, 'observers'],
    [{ servers: 1 as const, observers: 1 }, 'observers'],
    [{ jvmHeapMb: 1.5 }, 'jvmHeapMb'],
    [{ containerCheckIntervalMs: 0 }, 'containerCheckIntervalMs'],
    [{ minSessionTimeoutMs: 5_000, maxSessionTimeoutMs: 4_000 }, 'maxSessionTimeoutMs'],
    [{ jvmArgs: [''] }, 'jvmArgs'],
  ])('rejects %o naming the field', (options, field) => {
    expect(() => resolveEnsembleOptions(options)).toThrow(InvalidArgumentError);
    expect(() => resolveEnsembleOptions(options)).toThrow(expect.objectContaining({ field }));
  });

  it('rejects bad options before starting anything', async () => {
    await expect(ZkEnsemble.start({ servers: 4 as 3 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'servers',
    });
  });
});

describe('fault tools reject bad input', () => {
  it('FaultProxy needs host:port', async () => {
    await expect(FaultProxy.start({ target: '127.0.0.1' })).rejects.toMatchObject({
      field: 'target',
    });
    await expect(FaultProxy.start({ target: 'a:1,b:2' })).rejects.toMatchObject({
      field: 'target',
    });
  });

  it('expireSession needs a session id and a 16-byte password', async () => {
    const good = { connectString: '127.0.0.1:1', sessionId: 1n, sessionPassword: Buffer.alloc(16) };
    await expect(expireSession({ ...good, sessionId: 0n })).rejects.toMatchObject({
      field: 'sessionId',
    });
    await expect(
      expireSession({ ...good, sessionPassword: Buffer.alloc(3) }),
    ).rejects.toMatchObject({
      field: 'sessionPassword',
    });
  });
});

describe('timing', () => {
  it('scales by ZK_TEST_TIME_MULTIPLIER and rejects nonsense', () => {
    expect(timeMultiplier({})).toBe(1);
    expect(timeMultiplier({ ZK_TEST_TIME_MULTIPLIER: '2.5' })).toBe(2.5);
    expect(() => timeMultiplier({ ZK_TEST_TIME_MULTIPLIER: '-1' })).toThrow(/positive/);
    expect(scaledMs(1_000)).toBe(Math.round(1_000 * timeMultiplier()));
  });

  it('waitFor resolves with the first truthy value and treats throws as "not yet"', async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        calls++;
        if (calls === 1) throw new Error('not yet');
        return calls >= 3 ? `done after ${calls}` : undefined;
      },
      { intervalMs: 1 },
    );
    expect(value).toBe('done after 3');
  });

  it('waitFor times out naming the condition, with the last error as cause', async () => {
    const failure = waitFor(
      () => {
        throw new Error('still down');
      },
      { timeoutMs: 30, intervalMs: 5, message: 'the server' },
    );
    await expect(failure).rejects.toThrow('waiting for the server');
    await expect(failure).rejects.toMatchObject({ cause: { message: 'still down' } });
  });
});
