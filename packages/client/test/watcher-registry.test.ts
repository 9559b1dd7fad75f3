import type { WatchEvent } from '@zookit/client';
import { describe, expect, it } from 'vitest';
import { WatcherRegistry } from '../src/native/watcher-registry.js';

describe('WatcherRegistry (native watch trampolines)', () => {
  it('ignores session pseudo-events, fires once, then forgets the listener', () => {
    const registry = new WatcherRegistry();
    const base = WatcherRegistry.globalSize;
    const events: WatchEvent[] = [];
    const { watcher } = registry.arm((e) => events.push(e));
    expect(WatcherRegistry.globalSize).toBe(base + 1);
    watcher(-1, 1, '');
    watcher(-1, 3, '');
    expect(events).toEqual([]);
    expect(registry.size).toBe(1);
    watcher(3, 3, '/a');
    watcher(2, 3, '/a');
    expect(events).toEqual([{ type: 'dataChanged', path: '/a' }]);
    expect(registry.size).toBe(0);
    expect(WatcherRegistry.globalSize).toBe(base);
  });

  it('disarm and clear release the listeners of one client only', () => {
    const a = new WatcherRegistry();
    const b = new WatcherRegistry();
    const base = WatcherRegistry.globalSize;
    const fired: string[] = [];
    const first = a.arm(() => fired.push('a1'));
    a.arm(() => fired.push('a2'));
    const kept = b.arm(() => fired.push('b'));
    a.disarm(first.id);
    expect(a.size).toBe(1);
    a.clear();
    expect(a.size).toBe(0);
    expect(WatcherRegistry.globalSize).toBe(base + 1);
    first.watcher(1, 3, '/x');
    kept.watcher(1, 3, '/x');
    expect(fired).toEqual(['b']);
  });

  it('maps every node event type', () => {
    const registry = new WatcherRegistry();
    const seen: string[] = [];
    for (const type of [1, 2, 3, 4]) registry.arm((e) => seen.push(e.type)).watcher(type, 3, '/n');
    expect(seen).toEqual(['created', 'deleted', 'dataChanged', 'childrenChanged']);
  });
});
