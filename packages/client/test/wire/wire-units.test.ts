import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { Chroot } from '../../src/wire/chroot.js';
import { FifoQueue } from '../../src/wire/fifo-queue.js';
import { HostProvider } from '../../src/wire/host-provider.js';
import { JuteReader } from '../../src/wire/jute-reader.js';
import { OpCode } from '../../src/wire/op-codes.js';
import { readMultiHeader } from '../../src/wire/records/multi-records.js';
import { buildSetWatchesBatches } from '../../src/wire/set-watches-batches.js';
import { toTlsConnectionOptions } from '../../src/wire/tls-options.js';
import { WatchManager } from '../../src/wire/watch-manager.js';
import { XidGenerator } from '../../src/wire/xid-generator.js';

describe('XidGenerator', () => {
  it('wraps from 2^31-1 to 1, never producing 0 or a reserved negative xid', () => {
    const xids = new XidGenerator(2 ** 31 - 3);
    const seen = Array.from({ length: 6 }, () => xids.next());
    expect(seen).toEqual([2147483645, 2147483646, 2147483647, 1, 2, 3]);
  });

  it('starts at 1 for an invalid seed', () => {
    expect(new XidGenerator(0).next()).toBe(1);
    expect(new XidGenerator(-8).next()).toBe(1);
    expect(new XidGenerator(2 ** 31).next()).toBe(1);
  });
});

describe('HostProvider', () => {
  const hosts = [1, 2, 3, 4].map((port) => ({ host: 'h', port }));

  it('keeps the listed order when not shuffling and reports a complete cycle', () => {
    const p = new HostProvider(hosts, false);
    expect([p.next(), p.next(), p.next()].map((h) => h.port)).toEqual([1, 2, 3]);
    expect(p.cycleComplete).toBe(false);
    p.next();
    expect(p.cycleComplete).toBe(true);
    p.startCycle();
    expect(p.next().port).toBe(1);
  });

  it('shuffles with the injected random source', () => {
    const p = new HostProvider(hosts, true, () => 0);
    expect(p.order.map((h) => h.port)).toEqual([2, 3, 4, 1]);
  });
});

describe('Chroot', () => {
  it('prefixes and strips, leaving paths outside the chroot alone', () => {
    const c = new Chroot('/zoo');
    expect(c.toServer('/')).toBe('/zoo');
    expect(c.toServer('/a')).toBe('/zoo/a');
    expect(c.toClient('/zoo')).toBe('/');
    expect(c.toClient('/zoo/a')).toBe('/a');
    expect(c.toClient('/zookeeper/config')).toBe('/zookeeper/config');
    expect(new Chroot(undefined).toServer('/a')).toBe('/a');
  });
});

describe('WatchManager', () => {
  it('fans one event out to every listener of the path once, and empties one-shot tables', () => {
    const m = new WatchManager();
    const a = () => undefined;
    const b = () => undefined;
    m.add('data', '/x', a);
    m.add('data', '/x', a);
    m.add('exist', '/x', b);
    m.add('child', '/x', b);
    expect([...m.trigger(3, '/x')]).toEqual([a, b]);
    expect([...m.trigger(3, '/x')]).toEqual([]);
    expect([...m.trigger(4, '/x')]).toEqual([b]);
  });

  it('fires deleted to data, exist and child watches', () => {
    const m = new WatchManager();
    const fns = [() => 1, () => 2, () => 3];
    m.add('data', '/x', fns[0]!);
    m.add('exist', '/x', fns[1]!);
    m.add('child', '/x', fns[2]!);
    expect(m.trigger(2, '/x').size).toBe(3);
    expect(m.size).toBe(0);
  });

  it('keeps persistent watches; recursive ones see descendants but not childrenChanged', () => {
    const m = new WatchManager();
    const p = () => 'p';
    const r = () => 'r';
    m.add('persistent', '/a', p);
    m.add('persistentRecursive', '/', r);
    expect([...m.trigger(4, '/a')]).toEqual([p]);
    expect([...m.trigger(3, '/a')]).toEqual([p, r]);
    expect([...m.trigger(1, '/a/b/c')]).toEqual([r]);
    expect(m.size).toBe(2);
    expect(m.removeListener('persistent', '/a', p)).toBe(true);
    expect([...m.trigger(3, '/a')]).toEqual([r]);
  });

  it('removes by watcher type and reports watch-removed events', () => {
    const m = new WatchManager();
    const d = () => 'd';
    const c = () => 'c';
    m.add('exist', '/x', d);
    m.add('child', '/x', c);
    expect(m.remove('/x', 'data', '/y')).toEqual([
      { listener: d, event: { type: 'dataWatchRemoved', path: '/y' } },
    ]);
    expect(m.has('/x', ['child'])).toBe(true);
    expect(m.remove('/x', 'any', '/y')).toEqual([
      { listener: c, event: { type: 'childWatchRemoved', path: '/y' } },
    ]);
    expect(m.size).toBe(0);
  });
});

describe('WatchManager with one registration per path and table (ZOOKEEPER-4466)', () => {
  const l = () => undefined;

  it('covers data and exist one-shots by either persistent mode, child ones by persistent only', () => {
    const m = new WatchManager();
    m.add('persistentRecursive', '/r', l);
    expect(m.covered('data', '/r')).toBe(true);
    expect(m.covered('exist', '/r')).toBe(true);
    expect(m.covered('child', '/r')).toBe(false);
    expect(m.covered('data', '/r/x')).toBe(false);
    const done = m.beginAdd('persistent', '/p');
    expect(m.covered('child', '/p')).toBe(true);
    expect(m.wanted('child', '/p')).toBe(true);
    done();
    done();
    expect(m.covered('child', '/p')).toBe(false);
  });

  it('keeps a released registration while the path is busy, then reports it idle once', () => {
    const idle: string[] = [];
    const m = new WatchManager((path) => idle.push(path));
    m.add('persistent', '/p', l);
    m.add('data', '/p', l);
    m.add('child', '/p', l);
    expect(m.removeListener('persistent', '/p', l)).toBe(true);
    expect(m.release('persistent', '/p')).toBe(false);
    expect(m.covered('child', '/p')).toBe(true);
    expect(m.wanted('child', '/p')).toBe(false);
    const settled = m.beginRelying('/p');
    m.trigger(3, '/p');
    m.trigger(4, '/p');
    // The read relying on the registration is still in flight.
    expect(idle).toEqual([]);
    settled();
    expect(idle).toEqual(['/p']);
    expect(m.covered('data', '/p')).toBe(false);
    settled();
    expect(idle).toEqual(['/p']);
    m.add('persistent', '/q', l);
    m.removeListener('persistent', '/q', l);
    expect(m.release('persistent', '/q')).toBe(true);
    expect(idle).toEqual(['/p']);
  });

  it("forgets lingering registrations on 'any', on connection loss and on clear", () => {
    const idle: string[] = [];
    const m = new WatchManager((path) => idle.push(path));
    for (const path of ['/a', '/b']) {
      m.add('persistentRecursive', path, l);
      m.add('exist', path, l);
      m.removeListener('persistentRecursive', path, l);
      expect(m.release('persistentRecursive', path)).toBe(false);
    }
    m.remove('/a', 'any', '/a');
    expect(m.covered('data', '/a')).toBe(false);
    m.connectionLost();
    expect(m.covered('data', '/b')).toBe(false);
    m.trigger(1, '/b');
    expect(idle).toEqual([]);
    m.add('persistent', '/c', l);
    m.add('child', '/c', l);
    m.removeListener('persistent', '/c', l);
    m.release('persistent', '/c');
    m.clear();
    expect(m.covered('child', '/c')).toBe(false);
    expect(m.size).toBe(0);
  });

  it('re-registers every one-shot, lingering registrations, and child paths of recursive ones last', () => {
    const m = new WatchManager();
    m.add('data', '/d', l);
    m.add('child', '/c', l);
    m.add('child', '/r', l);
    m.add('persistentRecursive', '/r', l);
    m.add('persistent', '/d', l);
    m.add('child', '/gone', l);
    m.add('persistent', '/gone', l);
    m.removeListener('persistent', '/gone', l);
    m.release('persistent', '/gone');
    expect(m.reRegistration()).toEqual([
      {
        data: ['/d'],
        exist: [],
        child: ['/c', '/gone'],
        persistent: ['/d', '/gone'],
        persistentRecursive: ['/r'],
      },
      { data: [], exist: [], child: ['/r'], persistent: [], persistentRecursive: [] },
    ]);
    expect(m.lists().child).toEqual(['/c', '/gone', '/r']);
  });
});

describe('buildSetWatchesBatches', () => {
  function decode(frame: Buffer) {
    const r = new JuteReader(frame, 4);
    r.readInt();
    const op = r.readInt();
    const zxid = r.readLong();
    const lists = [r.readStringVector('d'), r.readStringVector('e'), r.readStringVector('c')];
    if (op === OpCode.setWatches2) lists.push(r.readStringVector('p'), r.readStringVector('r'));
    expect(r.remaining).toBe(0);
    return { op, zxid, lists, length: frame.length };
  }

  it('splits more than 1 MiB of paths into packets well under the server limit, losing none', () => {
    const paths = Array.from({ length: 12_000 }, (_, i) => `/watched/${'x'.repeat(80)}-${i}`);
    const lists = {
      data: paths,
      exist: paths.slice(0, 100),
      child: paths,
      persistent: [],
      persistentRecursive: ['/r'],
    };
    const frames = buildSetWatchesBatches(lists, 42n);
    const decoded = frames.map(decode);
    expect(decoded.length).toBeGreaterThan(8);
    for (const d of decoded) {
      expect(d.length).toBeLessThan(200 * 1024);
      expect(d.zxid).toBe(42n);
    }
    const all = (k: number) => decoded.flatMap((d) => d.lists[k] ?? []);
    expect(all(0)).toEqual(paths);
    expect(all(1)).toEqual(paths.slice(0, 100));
    expect(all(2)).toEqual(paths);
    expect(all(4)).toEqual(['/r']);
    // Only the batch carrying the persistent watch needs SetWatches2.
    expect(decoded.filter((d) => d.op === OpCode.setWatches2)).toHaveLength(1);
  });

  it('sends nothing when no watch is armed', () => {
    expect(
      buildSetWatchesBatches(
        { data: [], exist: [], child: [], persistent: [], persistentRecursive: [] },
        1n,
      ),
    ).toEqual([]);
  });
});

describe('FifoQueue and multi headers', () => {
  it('keeps order across compaction', () => {
    const q = new FifoQueue<number>();
    for (let i = 0; i < 5000; i++) q.push(i);
    for (let i = 0; i < 3000; i++) expect(q.shift()).toBe(i);
    q.push(5000);
    expect(q.length).toBe(2001);
    expect(q.drain()[0]).toBe(3000);
    expect(q.shift()).toBeUndefined();
  });

  it('reads a multi header', () => {
    expect(readMultiHeader(new JuteReader(Buffer.from('ffffffff01ffffff95', 'hex')))).toEqual({
      type: -1,
      done: true,
      err: -107,
    });
  });
});

describe('toTlsConnectionOptions', () => {
  it('verifies by default and needs cert with key', () => {
    expect(toTlsConnectionOptions(undefined)).toBeUndefined();
    expect(toTlsConnectionOptions(true)).toEqual({
      minVersion: 'TLSv1.2',
      rejectUnauthorized: true,
    });
    expect(toTlsConnectionOptions({ ca: 'x', servername: 'zk' })).toEqual({
      minVersion: 'TLSv1.2',
      rejectUnauthorized: true,
      ca: 'x',
      servername: 'zk',
    });
    expect(() => toTlsConnectionOptions({ cert: 'c' })).toThrow(InvalidArgumentError);
  });
});
