import {
  availableTransports,
  createZkClient,
  DEFAULT_TRANSPORT,
  InvalidArgumentError,
  NativeZkClient,
  registerTransport,
  transportFactory,
  WireZkClient,
  type ZkClient,
} from '@zookit/client';
import { describe, expect, it } from 'vitest';

describe('createZkClient', () => {
  it('builds a client of the default transport (wire), without I/O', () => {
    const client = createZkClient({ connectString: '127.0.0.1:1' });
    expect(DEFAULT_TRANSPORT).toBe('wire');
    expect(client).toBeInstanceOf(WireZkClient);
    expect(client.transport).toBe('wire');
    expect(client.state).toBe('idle');
    expect(Object.values(client.capabilities).every((v) => v === true)).toBe(true);
  });

  it('builds a native client on request, declaring every optional capability missing', () => {
    const client = createZkClient({ connectString: '127.0.0.1:1', transport: 'native' });
    expect(client).toBeInstanceOf(NativeZkClient);
    expect(client.transport).toBe('native');
    expect(client.state).toBe('idle');
    expect(Object.values(client.capabilities).every((v) => v === false)).toBe(true);
    expect(availableTransports()).toEqual(expect.arrayContaining(['native', 'wire']));
  });

  it('validates options when built', () => {
    expect(() => createZkClient({ connectString: 'nope' })).toThrow(InvalidArgumentError);
  });

  it('uses a registered transport', () => {
    const before = availableTransports().includes('wire') ? transportFactory('wire') : undefined;
    const fake = { transport: 'wire' } as unknown as ZkClient;
    registerTransport('wire', () => fake);
    try {
      expect(createZkClient({ connectString: 'h:1', transport: 'wire' })).toBe(fake);
    } finally {
      if (before !== undefined) registerTransport('wire', before);
    }
  });
});
