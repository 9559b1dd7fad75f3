import { InvalidArgumentError } from '@zookit/client';
import { describe, expect, it } from 'vitest';
import { fieldOf } from './support/field-of.js';
import { parseConnectString } from '../src/connect-string.js';

// One parser serves both transports; the native one validates with it before the C client sees the string.
describe('parseConnectString', () => {
  it('accepts what the C client accepts', () => {
    for (const cs of [
      '127.0.0.1:2181',
      'a:1,b:2,',
      'zk-1.example:2181/app/x',
      '[::1]:2181',
      'h:65535/',
    ]) {
      expect(() => parseConnectString(cs), cs).not.toThrow();
    }
  });

  it('rejects what would give a dead handle, naming connectString', () => {
    for (const cs of [
      '',
      'garbage',
      '127.0.0.1',
      ':2181',
      'h:0',
      'h:65536',
      'h:1,,h:2',
      'h:1/a/',
      'h:1/a//b',
      'h 1:2',
    ]) {
      expect(
        fieldOf(() => parseConnectString(cs)),
        cs,
      ).toBe('connectString');
    }
  });

  it('splits hosts and chroot, even with several hosts', () => {
    expect(parseConnectString('a:1,b:2,[::1]:3/app/x')).toEqual({
      hosts: [
        { host: 'a', port: 1 },
        { host: 'b', port: 2 },
        { host: '::1', port: 3 },
      ],
      chroot: '/app/x',
    });
    expect(parseConnectString('h:2181')).toEqual({
      hosts: [{ host: 'h', port: 2181 }],
      chroot: undefined,
    });
    expect(parseConnectString('h:1/').chroot).toBeUndefined();
  });

  it('names the field on bad input', () => {
    for (const bad of ['', 'h', 'h:', 'h:0', 'h:x', '/app', 'h:1/app/', ',']) {
      expect(() => parseConnectString(bad)).toThrow(InvalidArgumentError);
    }
  });
});
