import {
  Acls,
  checkAcl,
  checkCreate,
  CreateMode,
  DataTooLargeError,
  isOpenAcl,
  MAX_DATA_BYTES,
  MAX_TTL_MS,
  toData,
  toVersion,
} from '@zookit/client';
import { describe, expect, it } from 'vitest';
import { fieldOf } from './support/field-of.js';

describe('toData', () => {
  it('never turns null or undefined into text', () => {
    expect(toData('/a', null).length).toBe(0);
    expect(toData('/a', undefined).length).toBe(0);
    expect(toData('/a', 'héllo').toString('utf8')).toBe('héllo');
  });

  it('keeps bytes and views without copying the wrong range', () => {
    const backing = new Uint8Array([9, 1, 2, 3, 9]);
    expect([...toData('/a', backing.subarray(1, 4))]).toEqual([1, 2, 3]);
  });

  it('enforces MAX_DATA_BYTES in bytes, not characters', () => {
    expect(toData('/a', Buffer.alloc(MAX_DATA_BYTES)).length).toBe(MAX_DATA_BYTES);
    expect(() => toData('/a', Buffer.alloc(MAX_DATA_BYTES + 1))).toThrow(DataTooLargeError);
    expect(() => toData('/a', 'é'.repeat(MAX_DATA_BYTES / 2 + 1))).toThrow(DataTooLargeError);
    expect(MAX_DATA_BYTES).toBeLessThan(1_048_575);
  });

  it('rejects other types, naming the field', () => {
    expect(fieldOf(() => toData('/a', 42 as unknown as string))).toBe('data');
  });
});

describe('toVersion', () => {
  it('defaults to -1 and accepts -1..2^31-1', () => {
    expect(toVersion('/a', undefined)).toBe(-1);
    expect(toVersion('/a', -1)).toBe(-1);
    expect(toVersion('/a', 0x7fffffff)).toBe(0x7fffffff);
  });
  it('rejects the rest', () => {
    for (const v of [-2, 0.5, Number.NaN, 2 ** 31])
      expect(fieldOf(() => toVersion('/a', v))).toBe('version');
    expect(fieldOf(() => toVersion('/a', -3, 'aclVersion'))).toBe('aclVersion');
  });
});

describe('checkCreate', () => {
  it('validates mode, TTL, path and data together', () => {
    const ok = checkCreate('/jobs/', 'x', {
      mode: CreateMode.PersistentSequentialWithTtl,
      ttlMs: MAX_TTL_MS,
    });
    expect(ok).toMatchObject({
      path: '/jobs/',
      mode: 'persistentSequentialWithTtl',
      ttlMs: MAX_TTL_MS,
    });
    expect(fieldOf(() => checkCreate('/a', 'x', { ttlMs: 5 }))).toBe('ttlMs');
    expect(fieldOf(() => checkCreate('/a', 'x', { mode: CreateMode.PersistentWithTtl }))).toBe(
      'ttlMs',
    );
    expect(
      fieldOf(() =>
        checkCreate('/a', 'x', { mode: CreateMode.PersistentWithTtl, ttlMs: MAX_TTL_MS + 1 }),
      ),
    ).toBe('ttlMs');
    expect(fieldOf(() => checkCreate('/a', 'x', { mode: 'x' as CreateMode }))).toBe('mode');
    expect(fieldOf(() => checkCreate('/a', 'x', { acl: [] }))).toBe('acl');
  });
});

describe('ACL checks', () => {
  it('checks every entry and recognises the open ACL', () => {
    expect(() => checkAcl('/a', Acls.CreatorAllAcl)).not.toThrow();
    expect(
      fieldOf(() => checkAcl('/a', [{ perms: -1, id: { scheme: 'world', id: 'anyone' } }])),
    ).toBe('acl[0].perms');
    expect(isOpenAcl(Acls.OpenAclUnsafe)).toBe(true);
    expect(isOpenAcl(Acls.ReadAclUnsafe)).toBe(false);
    expect(isOpenAcl([...Acls.OpenAclUnsafe, ...Acls.ReadAclUnsafe])).toBe(false);
  });
});
