import { CreateMode } from '@zookit/client';
import { ZkEnsemble } from '@zookit/test-harness';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { ZkFramework } from '../src/index.js';
import {
  frameworkTransports,
  nextState,
  recordStates,
  startedFramework,
  uniqueNamespace,
} from './helpers.js';

// Long enough for three JVMs to stop and start again on a busy machine; the server clamps to 20 ticks.
const SESSION_TIMEOUT_MS = 20_000;

let ensemble: ZkEnsemble;
let zk: ZkFramework | undefined;

beforeAll(async () => {
  ensemble = await ZkEnsemble.start({ servers: 3, tickTimeMs: 1000 });
});

afterEach(async () => {
  await zk?.close();
  zk = undefined;
});

afterAll(async () => {
  await ensemble.close();
});

describe.each(frameworkTransports)('3-server ensemble, $name transport', (transport) => {
  it('a full restart of every server within the session timeout keeps the session and its ephemerals', async () => {
    zk = await startedFramework({
      connectString: ensemble.connectString,
      namespace: uniqueNamespace(),
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      transport: transport.name,
    });
    expect(zk.client?.transport).toBe(transport.name);
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
