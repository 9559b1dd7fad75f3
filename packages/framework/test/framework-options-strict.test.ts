import { InvalidArgumentError, UnsupportedByTransportError } from '@zookit/client';
import { describe, expect, it } from 'vitest';

import { createFramework } from '../src/index.js';
import type { FrameworkOptions } from '../src/index.js';
import { parseFrameworkOptions } from '../src/options.js';

const connectString = '127.0.0.1:1';

function refused(options: unknown): unknown {
  try {
    createFramework(options as FrameworkOptions);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('createFramework options are strict', () => {
  it.each([
    ['sesionTimeoutMs', { connectString, sesionTimeoutMs: 5_000 }],
    ['retry', { connectString, retry: {} }],
    ['namepsace', { connectString, namepsace: 'app' }],
    ['canBeReadonly', { connectString, transport: 'wire', canBeReadonly: true }],
  ])('an unknown key (%s) is named in InvalidArgumentError', (field, options) => {
    const error = refused(options);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).field).toBe(field);
    expect((error as Error).message).toContain('createFramework');
  });
});

describe('canBeReadOnly', () => {
  it('is passed to the wire client, and only when asked for', async () => {
    expect(
      parseFrameworkOptions({ connectString, transport: 'wire', canBeReadOnly: true })
        .canBeReadOnly,
    ).toBe(true);
    expect(parseFrameworkOptions({ connectString, transport: 'wire' }).canBeReadOnly).toBe(false);
    const seen: unknown[] = [];
    const zk = createFramework({
      connectString,
      transport: 'wire',
      canBeReadOnly: true,
      clientFactory: (o) => {
        seen.push(o.canBeReadOnly);
        throw new Error('no client in this test');
      },
    });
    await expect(zk.start()).rejects.toThrow('no client in this test');
    expect(seen).toEqual([true]);
    await zk.close();
  });

  it('with the native transport throws UnsupportedByTransportError at construction', () => {
    const error = refused({ connectString, transport: 'native', canBeReadOnly: true });
    expect(error).toBeInstanceOf(UnsupportedByTransportError);
    expect(error).toMatchObject({ transport: 'native', capability: 'readOnly' });
    // false is no request at all, so it is accepted on native.
    expect(refused({ connectString, transport: 'native', canBeReadOnly: false })).toBeUndefined();
  });

  it('must be a boolean', () => {
    const error = refused({ connectString, transport: 'wire', canBeReadOnly: 'yes' });
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).field).toBe('canBeReadOnly');
  });
});
