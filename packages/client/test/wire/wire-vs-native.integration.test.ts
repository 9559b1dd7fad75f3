import { test } from '@zookit/test-harness/vitest';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { createZkClient, ZkError, type Stat, type ZkClient } from '../../src/index.js';

// Random operation sequences run against the wire and the native transport, each in its own subtree of the
// same server; every result (or error code) must be the same, modulo zxids and times.
const names = ['/a', '/b', '/a/x', '/a/y', '/b/z'];
const arbPath = fc.constantFrom(...names);
const arbData = fc.oneof(fc.constant(''), fc.string({ maxLength: 12 }), fc.constant('é✓'));
const arbVersion = fc.option(fc.integer({ min: -1, max: 2 }), { nil: undefined });

type Step =
  | {
      op: 'create';
      path: string;
      data: string;
      mode: 'persistent' | 'ephemeral' | 'persistentSequential';
    }
  | { op: 'setData'; path: string; data: string; version: number | undefined }
  | { op: 'delete'; path: string; version: number | undefined }
  | { op: 'getData' | 'exists' | 'getChildren'; path: string };

const arbStep: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant('create' as const),
    path: arbPath,
    data: arbData,
    mode: fc.constantFrom(
      'persistent' as const,
      'ephemeral' as const,
      'persistentSequential' as const,
    ),
  }),
  fc.record({
    op: fc.constant('setData' as const),
    path: arbPath,
    data: arbData,
    version: arbVersion,
  }),
  fc.record({ op: fc.constant('delete' as const), path: arbPath, version: arbVersion }),
  fc.record({
    op: fc.constantFrom('getData' as const, 'exists' as const, 'getChildren' as const),
    path: arbPath,
  }),
);

const statShape = (s: Stat) => ({
  version: s.version,
  cversion: s.cversion,
  dataLength: s.dataLength,
  numChildren: s.numChildren,
  ephemeral: s.ephemeralOwner !== 0n,
});

const versionOf = (s: { version: number | undefined }) =>
  s.version === undefined ? {} : { version: s.version };

async function apply(client: ZkClient, step: Step): Promise<unknown> {
  try {
    switch (step.op) {
      case 'create':
        return await client.create(step.path, step.data, { mode: step.mode });
      case 'setData':
        return statShape(await client.setData(step.path, step.data, versionOf(step)));
      case 'delete':
        await client.delete(step.path, versionOf(step));
        return 'deleted';
      case 'getData': {
        const { data, stat } = await client.getData(step.path);
        return { data: data.toString('utf8'), ...statShape(stat) };
      }
      case 'exists': {
        const stat = await client.exists(step.path);
        return stat === null ? null : statShape(stat);
      }
      case 'getChildren':
        return (await client.getChildren(step.path)).children.sort();
    }
  } catch (e) {
    if (e instanceof ZkError) return { error: e.code };
    throw e;
  }
}

describe('wire and native transports agree', () => {
  test('on random operation sequences', async ({ connectString }) => {
    const admin = createZkClient({ connectString, transport: 'wire' });
    await admin.connect();
    let run = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(arbStep, { minLength: 1, maxLength: 25 }), async (steps) => {
          run++;
          const roots = [`/run${run}-wire`, `/run${run}-native`];
          for (const r of roots) await admin.create(r);
          const clients = [
            createZkClient({ connectString: connectString + roots[0], transport: 'wire' }),
            createZkClient({ connectString: connectString + roots[1], transport: 'native' }),
          ];
          try {
            await Promise.all(clients.map((c) => c.connect()));
            for (const step of steps) {
              const [wire, native] = await Promise.all(clients.map((c) => apply(c, step)));
              expect(wire, JSON.stringify(step)).toEqual(native);
            }
          } finally {
            for (const c of clients) await c.close();
          }
        }),
        { numRuns: 25 },
      );
      expect(run).toBe(25);
      expect((await admin.getChildren('/')).children).toHaveLength(50);
    } finally {
      await admin.close();
    }
  });
});
