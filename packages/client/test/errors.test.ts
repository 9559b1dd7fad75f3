import {
  ClosingError,
  ConnectionLossError,
  ConnectTimeoutError,
  errorFromCode,
  NoNodeError,
  OperationTimeoutError,
  SessionExpiredError,
  UnsupportedByTransportError,
  ZkError,
  ZkResultCode,
} from '@zookit/client';
import { describe, expect, it } from 'vitest';

describe('errorFromCode', () => {
  it('maps every known result code to its class, keeping the path', () => {
    const err = errorFromCode(-101, { path: '/a' });
    expect(err).toBeInstanceOf(NoNodeError);
    expect(err).toBeInstanceOf(ZkError);
    expect(err).toMatchObject({
      code: 'NO_NODE',
      zkCode: -101,
      path: '/a',
      retryable: false,
      name: 'NoNodeError',
    });
    expect(err.message).toContain('/a');
    // One class per code: none of the protocol's codes falls back to the generic SERVER_ERROR.
    const codes = Object.values(ZkResultCode).filter((c) => c !== ZkResultCode.Ok);
    const classNames = new Set<string>();
    for (const code of codes) {
      const e = errorFromCode(code);
      expect(e.zkCode).toBe(code);
      expect(e.code).not.toBe('SERVER_ERROR');
      classNames.add(e.name);
    }
    expect(classNames.size).toBe(codes.length);
  });

  it('flags connection loss, timeout and closing as outcome unknown (the native -4/-7/-116)', () => {
    expect(errorFromCode(-4)).toBeInstanceOf(ConnectionLossError);
    expect(errorFromCode(-7)).toBeInstanceOf(OperationTimeoutError);
    expect(errorFromCode(-116)).toBeInstanceOf(ClosingError);
    for (const code of [-4, -7, -116]) expect(errorFromCode(code).outcomeUnknown).toBe(true);
    expect(errorFromCode(-4).retryable).toBe(true);
    expect(errorFromCode(-112)).toBeInstanceOf(SessionExpiredError);
    expect(errorFromCode(-112).outcomeUnknown).toBe(false);
    expect(errorFromCode(-101).outcomeUnknown).toBe(false);
  });

  it('keeps unknown codes as a generic ZkError', () => {
    const e = errorFromCode(-999, { path: '/x' });
    expect(e).toMatchObject({ code: 'SERVER_ERROR', zkCode: -999, path: '/x' });
  });
});

describe('client-side errors', () => {
  it('carry their details', () => {
    const u = new UnsupportedByTransportError('native', 'multi');
    expect(u).toMatchObject({
      code: 'UNSUPPORTED_BY_TRANSPORT',
      transport: 'native',
      capability: 'multi',
    });
    const t = new ConnectTimeoutError(1500, '127.0.0.1:1');
    expect(t).toMatchObject({ code: 'CONNECT_TIMEOUT', timeoutMs: 1500, retryable: true });
    expect(t.message).toContain('127.0.0.1:1');
  });
});
