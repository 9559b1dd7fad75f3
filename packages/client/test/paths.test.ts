import { InvalidPathError, joinPath, nodeName, parentPath, validatePath } from '@zookit/client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

function reasonOf(path: unknown, sequential = false): string | undefined {
  try {
    validatePath(path, sequential);
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidPathError);
    return (err as InvalidPathError).reason;
  }
}

describe('validatePath', () => {
  it('accepts valid paths', () => {
    for (const p of ['/', '/a', '/a/b', '/a.b/..c/c..', '/zookeeper/quota', '/é/→', '/a b']) {
      expect(reasonOf(p), p).toBeUndefined();
    }
  });

  it('rejects each broken rule with its own reason', () => {
    expect(reasonOf('')).toMatch(/empty/);
    expect(reasonOf(undefined)).toMatch(/string/);
    expect(reasonOf(42)).toMatch(/string/);
    expect(reasonOf('a')).toMatch(/start with/);
    expect(reasonOf('/a/')).toMatch(/end with/);
    expect(reasonOf('/a//b')).toMatch(/empty segment/);
    expect(reasonOf('/a/.')).toMatch(/relative segment "\."/);
    expect(reasonOf('/../a')).toMatch(/relative segment "\.\."/);
    expect(reasonOf('/a\u0000')).toMatch(/NUL character at index 2/);
    expect(reasonOf('/a\u0009')).toMatch(/U\+0009/);
    expect(reasonOf('/\u0085')).toMatch(/U\+0085/);
    expect(reasonOf('/\ud83d\ude00')).toMatch(/U\+d83d/);
    expect(reasonOf('/\ufff0')).toMatch(/U\+fff0/);
  });

  it('allows a trailing slash only for sequential creates', () => {
    expect(reasonOf('/a/', true)).toBeUndefined();
    expect(reasonOf('/a//', true)).toMatch(/empty segment/);
  });

  it('the error message names the path', () => {
    expect(() => validatePath('/x//y')).toThrow('"/x//y"');
    try {
      validatePath('/x//y');
    } catch (err) {
      expect((err as InvalidPathError).code).toBe('INVALID_PATH');
    }
  });

  it('accepts every path built from valid segments', () => {
    const segment = fc
      .string({ minLength: 1, maxLength: 8, unit: fc.constantFrom(...'abcXYZ019-_.é:'.split('')) })
      .filter((s) => s !== '.' && s !== '..');
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
        expect(reasonOf('/' + segments.join('/'))).toBeUndefined();
      }),
    );
  });
});

describe('path helpers', () => {
  it('join, parent and node name', () => {
    expect(joinPath('/app', 'locks/', '/lock-')).toBe('/app/locks/lock-');
    expect(joinPath()).toBe('/');
    expect(parentPath('/a/b')).toBe('/a');
    expect(parentPath('/a')).toBe('/');
    expect(parentPath('/')).toBeUndefined();
    expect(nodeName('/a/b/lock-0000000001')).toBe('lock-0000000001');
  });
});
