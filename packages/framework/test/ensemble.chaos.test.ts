import { CreateMode } from '@zookit/client';
import { ZkEnsemble } from '@zookit/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ZkFramework } from '../src/index.js';
import { nextState, recordStates, startedFramework, uniqueNamespace } from './helpers.js';

// Long enough for three JVMs to stop and start again on a busy machine; the server clamps to 20 ticks.
const SESSION_TIMEOUT_MS = 20_000;

let ensemble: ZkEnsemble;
let zk: ZkFramework | undefined;

beforeAll(async () => {
  ensemble = await ZkEnsemble.start({ servers: 3, tickTimeMs: 1000 });
});

afterAll(async () => {
  await zk?.close();
  await ensemble.close();
});

describe('3-server ensemble', () => {
  it('a full restart of every server within the session timeout keeps the session and its ephemerals', async () => {
    zk = await startedFramework({
      connectString: ensemble.connectString,
      namespace: uniqueNamespace(),
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
    });
    const eph = await zk.create('/eph', 'kept', { mode: CreateMode.Ephemeral });
    const session = zk.sessionId;
    const rec = recordStates(zk);
    const suspended = nextState(zk, 'suspended');
    const reconnected = nextState(zk, 'reconnected', () => true, 60_000);
    await Promise.all([0, 1, 2].map((i) => ensemble.stop(i)));
    await suspended;
    await Promise.all([0, 1, 2].map((i) => ensemble.restart(i)));
    const event = await reconnected;
    expect(rec.states()).toEqual(['suspended', 'reconnected']);
    expect(event).toMatchObject({ sessionId: session, sessionChanged: false });
    const { data, stat } = await zk.getData(eph);
    expect(data.toString()).toBe('kept');
    expect(stat.ephemeralOwner).toBe(session);
    rec.stop();
  });
});
