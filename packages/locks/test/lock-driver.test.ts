import { NoNodeError } from '@zookit/client';
import { describe, expect, it } from 'vitest';

import {
  readDriver,
  sortReadWrite,
  standardDriver,
  writeDriver,
} from '../src/internal/lock-driver.js';
import { decodeSharedCount, encodeSharedCount } from '../src/index.js';

const U1 = '_c_11111111-1111-4111-8111-111111111111-';
const U2 = '_c_22222222-2222-4222-8222-222222222222-';
const U3 = '_c_33333333-3333-4333-8333-333333333333-';

describe('standardDriver (Curator StandardLockInternalsDriver)', () => {
  const driver = standardDriver('lock-');

  it('sorts by the sequence after the lock name, whatever the protected prefix', () => {
    const children = [`${U1}lock-0000000003`, `${U2}lock-0000000001`, `${U3}lock-0000000002`];
    expect(driver.sort(children)).toEqual([
      `${U2}lock-0000000001`,
      `${U3}lock-0000000002`,
      `${U1}lock-0000000003`,
    ]);
  });

  it('the first holds; others watch their immediate predecessor', () => {
    const sorted = [`${U2}lock-0000000001`, `${U3}lock-0000000002`, `${U1}lock-0000000003`];
    expect(driver.decide(sorted, `${U2}lock-0000000001`, '/p')).toEqual({ holds: true });
    // Third in line: the predecessor's deletion alone does not prove we hold (the first may still be there).
    expect(driver.decide(sorted, `${U1}lock-0000000003`, '/p')).toEqual({
      holds: false,
      watch: `${U3}lock-0000000002`,
      holdsWhenGone: false,
    });
    // Second in line: once the holder's node is gone, nothing can sort before ours.
    expect(driver.decide(sorted, `${U3}lock-0000000002`, '/p')).toEqual({
      holds: false,
      watch: `${U2}lock-0000000001`,
      holdsWhenGone: true,
    });
  });

  it('maxLeases > 1 watches ourIndex - maxLeases (semaphore v1 rule)', () => {
    const sorted = ['a-lock-1', 'b-lock-2', 'c-lock-3', 'd-lock-4'];
    const driver2 = standardDriver('lock-', 2);
    expect(driver2.decide(sorted, 'b-lock-2', '/p')).toEqual({ holds: true });
    expect(driver2.decide(sorted, 'd-lock-4', '/p')).toEqual({
      holds: false,
      watch: 'b-lock-2',
      holdsWhenGone: false,
    });
    expect(driver2.decide(sorted, 'c-lock-3', '/p')).toEqual({
      holds: false,
      watch: 'a-lock-1',
      holdsWhenGone: true,
    });
  });

  it('our node missing is NoNodeError naming its path', () => {
    expect(() => driver.decide(['x-lock-1'], 'y-lock-2', '/p')).toThrow(NoNodeError);
    expect(() => driver.decide([], 'y-lock-2', '/p')).toThrow(
      expect.objectContaining({ path: '/p/y-lock-2' }),
    );
  });
});

describe('read/write drivers (Curator InterProcessReadWriteLock)', () => {
  const children = [
    `${U3}__READ__0000000004`,
    `${U1}__WRIT__0000000002`,
    `${U2}__READ__0000000001`,
    `${U2}__WRIT__0000000003`,
  ];
  const sorted = sortReadWrite(children);

  it('orders reads and writes by their shared sequence', () => {
    expect(sorted.map((c) => c.slice(-18))).toEqual([
      '__READ__0000000001',
      '__WRIT__0000000002',
      '__WRIT__0000000003',
      '__READ__0000000004',
    ]);
  });

  it('a reader before the first writer holds; later readers watch the FIRST writer', () => {
    const read = readDriver();
    expect(read.decide(sorted, `${U2}__READ__0000000001`, '/rw')).toEqual({ holds: true });
    // Two writers ahead: the first one's deletion is not enough.
    expect(read.decide(sorted, `${U3}__READ__0000000004`, '/rw')).toEqual({
      holds: false,
      watch: `${U1}__WRIT__0000000002`,
      holdsWhenGone: false,
    });
    const oneWriter = sortReadWrite([
      `${U1}__WRIT__0000000002`,
      `${U2}__READ__0000000001`,
      `${U3}__READ__0000000004`,
    ]);
    expect(read.decide(oneWriter, `${U3}__READ__0000000004`, '/rw')).toEqual({
      holds: false,
      watch: `${U1}__WRIT__0000000002`,
      holdsWhenGone: true,
    });
  });

  it('a writer holds only when first; otherwise it watches the node just before it', () => {
    const write = writeDriver();
    // Second in line, yet the predecessor's deletion proves nothing: see the downgrade case below.
    expect(write.decide(sorted, `${U1}__WRIT__0000000002`, '/rw')).toEqual({
      holds: false,
      watch: `${U2}__READ__0000000001`,
      holdsWhenGone: false,
    });
    expect(write.decide(sorted, `${U2}__WRIT__0000000003`, '/rw')).toEqual({
      holds: false,
      watch: `${U1}__WRIT__0000000002`,
      holdsWhenGone: false,
    });
    expect(
      write.decide(sortReadWrite([`${U1}__WRIT__0000000002`]), `${U1}__WRIT__0000000002`, '/rw'),
    ).toEqual({ holds: true });
  });

  it('a queued writer must look again after the holder goes: a downgrade read sorts before it', () => {
    const write = writeDriver();
    const holder = `${U1}__WRIT__0000000005`;
    const queued = `${U2}__WRIT__0000000006`;
    // Queued behind the holder before the downgrade: second in line, watching the holder's node.
    expect(write.decide(sortReadWrite([queued, holder]), queued, '/rw')).toEqual({
      holds: false,
      watch: holder,
      holdsWhenGone: false,
    });
    // The holder downgrades (Curator 5.5+: a plain ephemeral read node with the write node's sequence),
    // then releases the write lock. The writer's watch fires, but the reader still excludes it.
    const downgrade = `${U1}__READ__0000000005`;
    const before = sortReadWrite([queued, downgrade, holder]);
    expect(before.indexOf(queued)).toBe(2); // level with the holder's node, ahead of the queued writer
    expect(write.decide(sortReadWrite([queued, downgrade]), queued, '/rw')).toEqual({
      holds: false,
      watch: downgrade,
      holdsWhenGone: false,
    });
    expect(write.decide(sortReadWrite([queued]), queued, '/rw')).toEqual({ holds: true });
  });

  it('a reader with one writer ahead may take the hand-over shortcut: no writer can sort before it later', () => {
    const read = readDriver();
    const ours = `${U3}__READ__0000000007`;
    const sortedWithDowngrade = sortReadWrite([
      ours,
      `${U1}__READ__0000000005`,
      `${U1}__WRIT__0000000005`,
    ]);
    expect(read.decide(sortedWithDowngrade, ours, '/rw')).toEqual({
      holds: false,
      watch: `${U1}__WRIT__0000000005`,
      holdsWhenGone: true,
    });
    // Once that writer is gone, the downgrade read left in front does not exclude another reader.
    expect(read.decide(sortReadWrite([ours, `${U1}__READ__0000000005`]), ours, '/rw')).toEqual({
      holds: true,
    });
  });
});

describe('SharedCount bytes', () => {
  it("are a 4-byte big-endian two's-complement int (Curator verified values)", () => {
    expect(encodeSharedCount(5)).toEqual(Buffer.from('00000005', 'hex'));
    expect(encodeSharedCount(258)).toEqual(Buffer.from('00000102', 'hex'));
    expect(encodeSharedCount(-1)).toEqual(Buffer.from('ffffffff', 'hex'));
    expect(decodeSharedCount(Buffer.from('00000102ff', 'hex'), '/c')).toBe(258); // extra bytes ignored
    expect(decodeSharedCount(new Uint8Array([0xff, 0xff, 0xff, 0xfe]), '/c')).toBe(-2);
  });

  it('fewer than 4 bytes is a typed error naming the path', () => {
    expect(() => decodeSharedCount(Buffer.from('0001', 'hex'), '/sem/count')).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError', field: 'sharedCountPath' }),
    );
    expect(() => decodeSharedCount(Buffer.from('0001', 'hex'), '/sem/count')).toThrow(
      /\/sem\/count holds 2 bytes/,
    );
  });
});
