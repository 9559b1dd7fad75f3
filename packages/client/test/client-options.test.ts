import { createZkClient, type ZkClientOptions } from '@zookit/client';
import { describe, expect, it } from 'vitest';
import { resolveClientOptions } from '../src/client-options.js';
import { fieldOf } from './support/field-of.js';

const bad: [string, Partial<ZkClientOptions>][] = [
  ['connectString', { connectString: '127.0.0.1' }],
  ['sessionTimeoutMs', { sessionTimeoutMs: 0 }],
  ['sessionTimeoutMs', { sessionTimeoutMs: 2 ** 31 }],
  ['connectTimeoutMs', { connectTimeoutMs: 1.5 }],
  ['sessionId', { sessionId: 1n }],
  ['sessionId', { sessionPassword: Buffer.alloc(16) }],
  ['sessionPassword', { sessionId: 1n, sessionPassword: Buffer.alloc(8) }],
];

describe('common client options', () => {
  it('defaults and parses what both transports share', () => {
    expect(resolveClientOptions({ connectString: 'a:1,b:2/app' })).toMatchObject({
      parsed: {
        hosts: [
          { host: 'a', port: 1 },
          { host: 'b', port: 2 },
        ],
        chroot: '/app',
      },
      sessionTimeoutMs: 10_000,
      connectTimeoutMs: 15_000,
      sessionId: undefined,
      deterministicHostOrder: false,
    });
  });

  it.each(['native', 'wire'] as const)(
    'the %s transport rejects exactly the same bad options, naming the field',
    (transport) => {
      for (const [field, options] of bad) {
        const build = () => createZkClient({ connectString: 'h:1', ...options, transport });
        expect(
          fieldOf(build),
          JSON.stringify(options, (_k, v: unknown) => String(v)),
        ).toBe(field);
      }
    },
  );
});
