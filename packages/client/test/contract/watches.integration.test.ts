import { NoNodeError, type WatchEvent } from '@zookit/client';
import { expect, it, vi } from 'vitest';
import { describeContract } from './contract-context.js';

/** A watch listener that records its events. */
function recorder(): { readonly events: WatchEvent[]; readonly listener: (e: WatchEvent) => void } {
  const events: WatchEvent[] = [];
  return { events, listener: (e) => events.push(e) };
}

describeContract('contract: one-shot watches', (env) => {
  it('a data watch fires dataChanged once, then deleted on a re-armed watch', async () => {
    const { admin, root, open } = env();
    const client = await open();
    await client.create('/d', 'a');
    const first = recorder();
    await client.getData('/d', { watch: first.listener });
    await admin.setData(`${root}/d`, 'b');
    await vi.waitFor(() => expect(first.events).toEqual([{ type: 'dataChanged', path: '/d' }]));
    // One-shot: a second change reaches a new watch only.
    const second = recorder();
    await client.getData('/d', { watch: second.listener });
    await admin.setData(`${root}/d`, 'c');
    await admin.delete(`${root}/d`);
    await vi.waitFor(() => expect(second.events).toEqual([{ type: 'dataChanged', path: '/d' }]));
    const third = recorder();
    await client.exists('/d', { watch: third.listener });
    await admin.create(`${root}/d`);
    await admin.delete(`${root}/d`);
    await vi.waitFor(() => expect(third.events).toEqual([{ type: 'created', path: '/d' }]));
    expect(first.events).toHaveLength(1);
  });

  it('exists on a missing node returns null and leaves a watch that fires created', async () => {
    const { admin, root, open } = env();
    const client = await open();
    const w = recorder();
    expect(await client.exists('/later', { watch: w.listener })).toBeNull();
    await admin.create(`${root}/later`, 'x');
    await vi.waitFor(() => expect(w.events).toEqual([{ type: 'created', path: '/later' }]));
  });

  it('exists on an existing node leaves a watch that fires deleted', async () => {
    const { admin, root, open } = env();
    const client = await open();
    await client.create('/gone');
    const w = recorder();
    expect(await client.exists('/gone', { watch: w.listener })).not.toBeNull();
    await admin.delete(`${root}/gone`);
    await vi.waitFor(() => expect(w.events).toEqual([{ type: 'deleted', path: '/gone' }]));
  });

  it('a child watch fires childrenChanged on a child create, not on data changes', async () => {
    const { admin, root, open } = env();
    const client = await open();
    await client.create('/parent', 'x');
    await client.create('/parent/kid', 'x');
    const w = recorder();
    await client.getChildren('/parent', { watch: w.listener });
    // Data changes of the parent or a child do not trigger it; being one-shot, it reports only the create.
    await admin.setData(`${root}/parent/kid`, 'y');
    await admin.setData(`${root}/parent`, 'y');
    await admin.create(`${root}/parent/kid2`);
    await vi.waitFor(() =>
      expect(w.events).toEqual([{ type: 'childrenChanged', path: '/parent' }]),
    );
  });

  it('a child watch fires deleted when the parent itself is deleted', async () => {
    const { admin, root, open } = env();
    const client = await open();
    await client.create('/doomed');
    const w = recorder();
    await client.getChildren('/doomed', { watch: w.listener });
    await admin.delete(`${root}/doomed`);
    await vi.waitFor(() => expect(w.events).toEqual([{ type: 'deleted', path: '/doomed' }]));
  });

  it('getData on a missing node leaves no watch', async () => {
    const { admin, root, open } = env();
    const client = await open();
    const w = recorder();
    await expect(client.getData('/none', { watch: w.listener })).rejects.toBeInstanceOf(
      NoNodeError,
    );
    await admin.create(`${root}/none`);
    // Proof that the create has been seen by the client before asserting the absence of an event.
    const seen = recorder();
    await client.sync('/none');
    expect(await client.exists('/none', { watch: seen.listener })).not.toBeNull();
    await admin.delete(`${root}/none`);
    await vi.waitFor(() => expect(seen.events).toEqual([{ type: 'deleted', path: '/none' }]));
    expect(w.events).toEqual([]);
  });

  it('each registration fires: two watches on one node both get the event', async () => {
    const { admin, root, open } = env();
    const client = await open();
    await client.create('/two', 'a');
    const a = recorder();
    const b = recorder();
    await client.getData('/two', { watch: a.listener });
    await client.exists('/two', { watch: b.listener });
    await admin.setData(`${root}/two`, 'b');
    await vi.waitFor(() => {
      expect(a.events).toEqual([{ type: 'dataChanged', path: '/two' }]);
      expect(b.events).toEqual([{ type: 'dataChanged', path: '/two' }]);
    });
  });

  it('watches armed at close never fire afterwards', async () => {
    const { admin, root, open } = env();
    const client = await open();
    await client.create('/closed-watch');
    const w = recorder();
    await client.getData('/closed-watch', { watch: w.listener });
    await client.close();
    await admin.setData(`${root}/closed-watch`, 'x');
    const control = recorder();
    await admin.getData(`${root}/closed-watch`, { watch: control.listener });
    await admin.setData(`${root}/closed-watch`, 'y');
    await vi.waitFor(() => expect(control.events).toHaveLength(1));
    expect(w.events).toEqual([]);
  });
});
