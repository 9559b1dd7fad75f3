import { InvalidArgumentError, InvalidPathError } from '@zookit/client';
import { describe, expect, it } from 'vitest';

import {
  checkNamespace,
  fixForNamespace,
  isProtectedZNode,
  normalizeProtectedName,
  protectedIdOf,
  protectedName,
  unfixForNamespace,
} from '../src/index.js';
import { fixForSorting, sortContenders } from '../src/recipe-kit/index.js';

const U = '8aec7b67-1b2c-4d5e-8f90-123456789abc';

describe('protected names (Curator ProtectedUtils)', () => {
  it('prefixes _c_<uuid>- (40 characters) before the given name', () => {
    const name = protectedName(U, 'lock-');
    expect(name).toBe(`_c_${U}-lock-`);
    expect(name.length).toBe(40 + 'lock-'.length);
  });

  it('recognises protected names exactly as isProtectedZNode does', () => {
    expect(isProtectedZNode(`_c_${U}-lock-0000000001`)).toBe(true);
    expect(isProtectedZNode(`_c_${U}-`)).toBe(false); // not longer than 40
    expect(isProtectedZNode(`_c_${U}xlock-0000000001`)).toBe(false); // char 39 is not '-'
    expect(isProtectedZNode(`_c_zzzzzzzz-1b2c-4d5e-8f90-123456789abc-lock-1`)).toBe(false);
    expect(isProtectedZNode('lock-0000000001')).toBe(false);
  });

  it('normalizes and extracts the id', () => {
    expect(normalizeProtectedName(`_c_${U}-latch-0000000007`)).toBe('latch-0000000007');
    expect(normalizeProtectedName('latch-0000000007')).toBe('latch-0000000007');
    expect(protectedIdOf(`_c_${U}-latch-0000000007`)).toBe(U);
    expect(protectedIdOf('x')).toBeUndefined();
  });
});

describe('namespaces (ZKPaths.fixForNamespace)', () => {
  it('prefixes and strips the namespace', () => {
    expect(fixForNamespace('app', '/a/b')).toBe('/app/a/b');
    expect(fixForNamespace('app', '/')).toBe('/app');
    expect(fixForNamespace(undefined, '/a')).toBe('/a');
    expect(fixForNamespace('app/sub', '/q/', true)).toBe('/app/sub/q/');
    expect(unfixForNamespace('app', '/app/a/b')).toBe('/a/b');
    expect(unfixForNamespace('app', '/app')).toBe('/');
    expect(unfixForNamespace('app', '/application')).toBe('/application');
  });

  it('validates paths and namespaces with typed errors', () => {
    expect(() => fixForNamespace('app', 'a')).toThrow(InvalidPathError);
    expect(() => fixForNamespace('app', '/q/')).toThrow(InvalidPathError);
    expect(checkNamespace('/app/')).toBe('app');
    expect(checkNamespace('')).toBeUndefined();
    expect(() => checkNamespace('a//b')).toThrow(InvalidArgumentError);
  });
});

describe('sequential contenders sorting (StandardLockInternalsDriver.fixForSorting)', () => {
  it('sorts by the text after the last lock name, ignoring the protected prefix', () => {
    const a = `_c_${'f'.repeat(8)}-1b2c-4d5e-8f90-123456789abc-lock-0000000002`;
    const b = `_c_${'0'.repeat(8)}-1b2c-4d5e-8f90-123456789abc-lock-0000000001`;
    const c = 'lock-0000000003';
    expect(fixForSorting(a, 'lock-')).toBe('0000000002');
    expect(sortContenders([c, a, b], 'lock-')).toEqual([b, a, c]);
  });

  it('uses the whole name when the lock name does not occur (foreign nodes)', () => {
    expect(fixForSorting('latch-0000000001', 'lock-')).toBe('latch-0000000001');
    expect(sortContenders(['zzz', 'x-lock-0000000009'], 'lock-')).toEqual(
      ['0000000009', 'zzz'].map((s) => (s === 'zzz' ? 'zzz' : 'x-lock-0000000009')),
    );
  });

  it('uses the last occurrence: a lock name inside the caller part does not confuse it', () => {
    expect(fixForSorting('my-lock-lock-0000000004', 'lock-')).toBe('0000000004');
  });
});
