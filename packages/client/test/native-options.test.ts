import { describe, expect, it } from 'vitest';
import { fieldOf } from './support/field-of.js';
import { resolveNativeOptions } from '../src/native/native-options.js';
import { sessionIdFromHex, sessionIdToHex, toStat } from '../src/native/native-stat.js';

describe('native options', () => {
  it('pins the binding knobs and converts the resumed session', () => {
    const r = resolveNativeOptions({
      connectString: 'h:1',
      sessionId: -2n,
      sessionPassword: Buffer.alloc(16, 0xab),
      deterministicHostOrder: true,
    });
    expect(r.init).toMatchObject({
      connect: 'h:1',
      timeout: 10_000,
      debug_level: 0,
      response_counter_limit: 1_000_000,
      host_order_deterministic: true,
      client_id: 'fffffffffffffffe',
      client_password: 'ab'.repeat(16),
    });
    expect(r.connectTimeoutMs).toBe(15_000);
  });

  it('checks every option', () => {
    expect(fieldOf(() => resolveNativeOptions({ connectString: 'h:1', sessionTimeoutMs: 0 }))).toBe(
      'sessionTimeoutMs',
    );
    expect(
      fieldOf(() => resolveNativeOptions({ connectString: 'h:1', connectTimeoutMs: 1.5 })),
    ).toBe('connectTimeoutMs');
    expect(
      fieldOf(() =>
        resolveNativeOptions({ connectString: 'h:1', sessionPassword: Buffer.alloc(16) }),
      ),
    ).toBe('sessionId');
    expect(
      fieldOf(() =>
        resolveNativeOptions({
          connectString: 'h:1',
          sessionId: 1n,
          sessionPassword: Buffer.alloc(3),
        }),
      ),
    ).toBe('sessionPassword');
  });
});

describe('native conversions', () => {
  it('keeps 64-bit session ids lossless and signed like Java', () => {
    expect(sessionIdFromHex('1000008b5020000')).toBe(0x1000008b5020000n);
    expect(sessionIdFromHex('ffffffffffffffff')).toBe(-1n);
    expect(sessionIdToHex(sessionIdFromHex('8100000000000001'))).toBe('8100000000000001');
  });

  it('converts the binding stat', () => {
    const stat = toStat({
      czxid: 2 ** 40 + 1,
      mzxid: 3,
      pzxid: 4,
      dataLength: 5,
      numChildren: 6,
      version: 7,
      cversion: 8,
      aversion: 9,
      ctime: new Date(1_700_000_000_123),
      mtime: new Date(1_700_000_000_456),
      ephemeralOwner: '1000008b5020000',
      createdInThisSession: false,
    });
    expect(stat).toEqual({
      czxid: 2n ** 40n + 1n,
      mzxid: 3n,
      pzxid: 4n,
      ctime: 1_700_000_000_123,
      mtime: 1_700_000_000_456,
      version: 7,
      cversion: 8,
      aversion: 9,
      ephemeralOwner: 0x1000008b5020000n,
      dataLength: 5,
      numChildren: 6,
    });
  });
});
