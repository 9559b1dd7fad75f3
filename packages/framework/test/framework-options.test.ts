import {
  DEFAULT_TRANSPORT,
  InvalidArgumentError,
  UnsupportedByTransportError,
} from '@zookit/client';
import { describe, expect, it } from 'vitest';

import { FrameworkCore } from '../src/internal/framework-core.js';
import { parseFrameworkOptions } from '../src/options.js';

const connectString = '127.0.0.1:1';

describe('framework options', () => {
  it('defaults the transport to the client DEFAULT_TRANSPORT', () => {
    expect(parseFrameworkOptions({ connectString }).transport).toBe(DEFAULT_TRANSPORT);
    expect(parseFrameworkOptions({ connectString, transport: 'native' }).transport).toBe('native');
  });

  it('accepts tls only with the wire transport, and checks its shape', () => {
    expect(parseFrameworkOptions({ connectString, transport: 'wire', tls: true }).tls).toBe(true);
    expect(() => parseFrameworkOptions({ connectString, transport: 'native', tls: {} })).toThrow(
      UnsupportedByTransportError,
    );
    const bad = { connectString, transport: 'wire', tls: 'yes' } as unknown as Parameters<
      typeof parseFrameworkOptions
    >[0];
    expect(() => parseFrameworkOptions(bad)).toThrow(InvalidArgumentError);
    expect(() => parseFrameworkOptions(bad)).toThrow(/^tls:/);
  });
});

describe('FrameworkCore.signalFor', () => {
  it('combines a caller signal with the close signal once, and reuses it', async () => {
    const core = new FrameworkCore(parseFrameworkOptions({ connectString }));
    const caller = new AbortController();
    const combined = core.signalFor(caller.signal);
    expect(core.signalFor(caller.signal)).toBe(combined);
    expect(core.signalFor(new AbortController().signal)).not.toBe(combined);
    expect(core.signalFor(undefined)).toBe(core.closeSignal);
    caller.abort(new Error('stop'));
    expect(combined.aborted).toBe(true);
    const other = core.signalFor(new AbortController().signal);
    await core.close();
    expect(other.aborted).toBe(true);
  });
});
