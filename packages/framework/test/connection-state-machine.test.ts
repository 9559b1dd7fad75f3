import { describe, expect, it } from 'vitest';

import type { ConnectionState } from '../src/connection/connection-state.js';
import {
  initialConnectionModel,
  leaseDeadline,
  leaseMarginMs,
  reduceConnection,
} from '../src/connection/connection-state-machine.js';
import type {
  ConnectionInput,
  ConnectionModel,
} from '../src/connection/connection-state-machine.js';

const rules = { sessionTimeoutMs: 4000 };
const S1 = 0x100n;
const S2 = 0x200n;

function run(inputs: ConnectionInput[], model: ConnectionModel = initialConnectionModel) {
  const events: unknown[] = [];
  const commands: unknown[] = [];
  for (const input of inputs) {
    const t = reduceConnection(model, input, rules);
    model = t.model;
    events.push(...t.events);
    commands.push(...t.commands);
  }
  return { model, events, commands, states: events.map((e) => (e as { state: string }).state) };
}

const connected = (
  generation: number,
  sessionId: bigint,
  now = 0,
  readOnly = false,
): ConnectionInput => ({
  type: 'connected',
  generation,
  sessionId,
  negotiatedTimeoutMs: 4000,
  readOnly,
  now,
});
const disconnected = (generation: number, lastHeardAt: number, now: number): ConnectionInput => ({
  type: 'disconnected',
  generation,
  lastHeardAt,
  now,
});
const leaseCheck = (generation: number, lastHeardAt: number, now: number): ConnectionInput => ({
  type: 'leaseCheck',
  generation,
  lastHeardAt,
  now,
});

/** A model in each posted state, reached through real transitions. */
function modelIn(state: ConnectionState | undefined): ConnectionModel {
  switch (state) {
    case undefined:
      return initialConnectionModel;
    case 'connected':
      return run([connected(0, S1)]).model;
    case 'suspended':
      return run([connected(0, S1), disconnected(0, 100, 200)]).model;
    case 'reconnected':
      return run([connected(0, S1), disconnected(0, 100, 200), connected(0, S1, 300)]).model;
    case 'lost':
      return run([connected(0, S1), { type: 'expired', generation: 0, now: 5 }]).model;
    case 'readOnly':
      return run([connected(0, S1, 0, true)]).model;
  }
}

describe('connection state reducer: the seeds’ expired-session walk-through', () => {
  it('connected → (partition) suspended → (timeout, nothing heard) lost → (new session) reconnected', () => {
    const r = run([
      connected(0, S1, 0), // 1. 'connected'
      disconnected(0, 1000, 1500), // 3. 'disconnected' (last heard at 1000)
      leaseCheck(0, 1000, 4999), // 4. time passes, not yet a session timeout since last contact
      leaseCheck(0, 1000, 5000), // the server has expired the session by now
      { type: 'expired', generation: 0, now: 9000 }, // 6. the old handle hears 'expired' late: stale, ignored
      connected(1, S2, 9500), // the new client's session
    ]);
    expect(r.states).toEqual(['connected', 'suspended', 'lost', 'reconnected']);
    expect(r.events[1]).toMatchObject({
      state: 'suspended',
      sessionId: S1,
      lastHeardAt: 1000,
      leaseDeadline: 4600,
    });
    expect(r.events[2]).toMatchObject({
      state: 'lost',
      sessionId: S1,
      reason: 'timeout',
      at: 5000,
    });
    expect(r.events[3]).toMatchObject({
      state: 'reconnected',
      sessionId: S2,
      previousSessionId: S1,
      sessionChanged: true,
    });
    expect(r.commands).toContainEqual({ type: 'replaceClient', generation: 1, reason: 'timeout' });
    expect(r.commands).toContainEqual({ type: 'scheduleLeaseCheck', atMs: 5000 });
  });

  it('a real expiry heard on reconnection posts lost (reason expired) and replaces the client', () => {
    const r = run([
      connected(0, S1),
      disconnected(0, 10, 20),
      { type: 'expired', generation: 0, now: 30 },
    ]);
    expect(r.states).toEqual(['connected', 'suspended', 'lost']);
    expect(r.events[2]).toMatchObject({ reason: 'expired', sessionId: S1 });
    expect(r.commands.at(-1)).toEqual({ type: 'replaceClient', generation: 1, reason: 'expired' });
    expect(r.model.generation).toBe(1);
  });

  it('a short disconnect reconnects to the same session (sessionChanged false)', () => {
    const r = run([connected(0, S1), disconnected(0, 10, 20), connected(0, S1, 1000)]);
    expect(r.states).toEqual(['connected', 'suspended', 'reconnected']);
    expect(r.events[2]).toMatchObject({
      sessionChanged: false,
      previousSessionId: S1,
      sessionId: S1,
    });
    expect(r.commands).toContainEqual({ type: 'cancelLeaseCheck' });
  });

  it('counts the timeout from the last message received, not from the disconnect', () => {
    // Disconnect noticed 2.6 s after the last contact (ping timeout): lost only 1.4 s later.
    const r = run([connected(0, S1), disconnected(0, 1000, 3600), leaseCheck(0, 1000, 5000)]);
    expect(r.states).toEqual(['connected', 'suspended', 'lost']);
    expect(r.commands).toContainEqual({ type: 'scheduleLeaseCheck', atMs: 5000 });
  });

  it('an early lease check re-arms the timer at the deadline', () => {
    const r = run([connected(0, S1), disconnected(0, 1000, 1100), leaseCheck(0, 1000, 4000)]);
    expect(r.states).toEqual(['connected', 'suspended']);
    expect(r.commands.at(-1)).toEqual({ type: 'scheduleLeaseCheck', atMs: 5000 });
  });
});

describe('connection state reducer: Curator rules', () => {
  it('posts CONNECTED only once; every later connection is RECONNECTED', () => {
    const r = run([
      connected(0, S1),
      disconnected(0, 1, 2),
      connected(0, S1, 3),
      disconnected(0, 4, 5),
      connected(0, S1, 6),
    ]);
    expect(r.states).toEqual(['connected', 'suspended', 'reconnected', 'suspended', 'reconnected']);
  });

  it('read-only is negative: it never becomes CONNECTED, and the first read-write connection does', () => {
    const r = run([connected(0, S1, 0, true), disconnected(0, 1, 2), connected(0, S1, 3)]);
    expect(r.states).toEqual(['readOnly', 'suspended', 'connected']);
  });

  it('drops a change to the same state', () => {
    const r = run([connected(0, S1, 0, true), connected(0, S1, 1, true)]);
    expect(r.states).toEqual(['readOnly']);
    const s = run([connected(0, S1), disconnected(0, 1, 2), disconnected(0, 1, 3)]);
    expect(s.states).toEqual(['connected', 'suspended']);
  });

  it('no SUSPENDED after LOST, and nothing before the first connection', () => {
    expect(run([disconnected(0, 0, 1)]).states).toEqual([]);
    const m = modelIn('lost');
    expect(run([disconnected(1, 0, 1)], m).states).toEqual([]);
  });

  it('checkInstanceIndex: a new session without LOST in between posts LOST first', () => {
    const r = run([connected(0, S1), disconnected(0, 1, 2), connected(0, S2, 3)]);
    expect(r.states).toEqual(['connected', 'suspended', 'lost', 'reconnected']);
    expect(r.events[2]).toMatchObject({ state: 'lost', sessionId: S1 });
    expect(r.events[3]).toMatchObject({ sessionChanged: true });
  });

  it('ignores inputs from a replaced client (stale generation)', () => {
    const m = modelIn('lost');
    expect(m.generation).toBe(1);
    for (const input of [
      connected(0, S1, 10),
      disconnected(0, 1, 2),
      leaseCheck(0, 0, 1e9),
      { type: 'expired', generation: 0, now: 1 } as const,
      { type: 'authFailed', generation: 0, now: 1 } as const,
      { type: 'connectFailed', generation: 0, now: 1 } as const,
    ]) {
      const t = reduceConnection(m, input, rules);
      expect(t.events).toEqual([]);
      expect(t.commands).toEqual([]);
      expect(t.model).toBe(m);
    }
  });

  it('auth failure posts LOST (reason authFailed) and replaces the client', () => {
    const r = run([connected(0, S1), { type: 'authFailed', generation: 0, now: 1 }]);
    expect(r.states).toEqual(['connected', 'lost']);
    expect(r.commands.at(-1)).toEqual({
      type: 'replaceClient',
      generation: 1,
      reason: 'authFailed',
    });
  });

  it('a client that never connected is replaced without posting anything', () => {
    const r = run([{ type: 'connectFailed', generation: 0, now: 1 }, connected(1, S1, 2)]);
    expect(r.states).toEqual(['connected']);
    expect(r.commands[0]).toEqual({
      type: 'replaceClient',
      generation: 1,
      reason: 'connectFailed',
    });
  });

  it('close posts no LOST and freezes the machine', () => {
    const m = modelIn('suspended');
    const t = reduceConnection(m, { type: 'close' }, rules);
    expect(t.events).toEqual([]);
    expect(t.commands).toEqual([{ type: 'cancelLeaseCheck' }]);
    expect(
      run([leaseCheck(0, 0, 1e9), { type: 'expired', generation: 0, now: 1 }], t.model).states,
    ).toEqual([]);
  });

  it('uses the configured timeout until one is negotiated', () => {
    expect(leaseMarginMs(4000)).toBe(400);
    expect(leaseMarginMs(60_000)).toBe(1000);
    expect(leaseDeadline(1000, 4000)).toBe(4600);
  });
});

describe('connection state reducer: exhaustive table', () => {
  const states: (ConnectionState | undefined)[] = [
    undefined,
    'connected',
    'suspended',
    'reconnected',
    'lost',
    'readOnly',
  ];
  // Expected posted states for (from, input). The inputs use the model's current generation, except the
  // `stale*` ones, which come from another client object (an older or a newer generation) and must change
  // nothing; `afterClose` is any input once the framework is closing.
  const table: Record<string, Record<string, string[]>> = {
    undefined: {
      connected: ['connected'],
      connectedRo: ['readOnly'],
      newSession: ['connected'],
      disconnected: [],
      expired: [],
      authFailed: [],
      leaseDue: [],
      leaseEarly: [],
      connectFailed: [],
      close: [],
      staleConnected: [],
      staleNewSession: [],
      staleDisconnected: [],
      staleExpired: [],
      staleAuthFailed: [],
      staleConnectFailed: [],
      staleLeaseDue: [],
      afterClose: [],
    },
    connected: {
      connected: ['reconnected'],
      connectedRo: ['readOnly'],
      newSession: ['lost', 'reconnected'],
      disconnected: ['suspended'],
      expired: ['lost'],
      authFailed: ['lost'],
      leaseDue: [],
      leaseEarly: [],
      connectFailed: [],
      close: [],
      staleConnected: [],
      staleNewSession: [],
      staleDisconnected: [],
      staleExpired: [],
      staleAuthFailed: [],
      staleConnectFailed: [],
      staleLeaseDue: [],
      afterClose: [],
    },
    suspended: {
      connected: ['reconnected'],
      connectedRo: ['readOnly'],
      newSession: ['lost', 'reconnected'],
      disconnected: [],
      expired: ['lost'],
      authFailed: ['lost'],
      leaseDue: ['lost'],
      leaseEarly: [],
      connectFailed: [],
      close: [],
      staleConnected: [],
      staleNewSession: [],
      staleDisconnected: [],
      staleExpired: [],
      staleAuthFailed: [],
      staleConnectFailed: [],
      staleLeaseDue: [],
      afterClose: [],
    },
    reconnected: {
      connected: [],
      connectedRo: ['readOnly'],
      newSession: ['lost', 'reconnected'],
      disconnected: ['suspended'],
      expired: ['lost'],
      authFailed: ['lost'],
      leaseDue: [],
      leaseEarly: [],
      connectFailed: [],
      close: [],
      staleConnected: [],
      staleNewSession: [],
      staleDisconnected: [],
      staleExpired: [],
      staleAuthFailed: [],
      staleConnectFailed: [],
      staleLeaseDue: [],
      afterClose: [],
    },
    lost: {
      connected: ['reconnected'],
      connectedRo: ['readOnly'],
      newSession: ['reconnected'],
      disconnected: [],
      expired: [],
      authFailed: [],
      leaseDue: [],
      leaseEarly: [],
      connectFailed: [],
      close: [],
      staleConnected: [],
      staleNewSession: [],
      staleDisconnected: [],
      staleExpired: [],
      staleAuthFailed: [],
      staleConnectFailed: [],
      staleLeaseDue: [],
      afterClose: [],
    },
    readOnly: {
      connected: ['connected'],
      connectedRo: [],
      newSession: ['lost', 'connected'],
      disconnected: ['suspended'],
      expired: ['lost'],
      authFailed: ['lost'],
      leaseDue: [],
      leaseEarly: [],
      connectFailed: [],
      close: [],
      staleConnected: [],
      staleNewSession: [],
      staleDisconnected: [],
      staleExpired: [],
      staleAuthFailed: [],
      staleConnectFailed: [],
      staleLeaseDue: [],
      afterClose: [],
    },
  };
  for (const from of states) {
    for (const [name, expected] of Object.entries(table[String(from)] ?? {})) {
      it(`${String(from)} + ${name} → [${expected.join(', ')}]`, () => {
        const m = modelIn(from);
        const g = m.generation;
        const input: ConnectionInput = {
          connected: connected(g, from === 'lost' ? S2 : S1, 10),
          connectedRo: connected(g, S1, 10, true),
          newSession: connected(g, S2, 10),
          disconnected: disconnected(g, 100, 150),
          expired: { type: 'expired', generation: g, now: 10 } as const,
          authFailed: { type: 'authFailed', generation: g, now: 10 } as const,
          leaseDue: leaseCheck(g, 100, 100 + 4000),
          leaseEarly: leaseCheck(g, 100, 100 + 3999),
          connectFailed: { type: 'connectFailed', generation: g, now: 10 } as const,
          close: { type: 'close' } as const,
          staleConnected: connected(g + 1, S1, 10),
          staleNewSession: connected(g - 1, S2, 10),
          staleDisconnected: disconnected(g - 1, 100, 150),
          staleExpired: { type: 'expired', generation: g - 1, now: 10 } as const,
          staleAuthFailed: { type: 'authFailed', generation: g + 1, now: 10 } as const,
          staleConnectFailed: { type: 'connectFailed', generation: g - 1, now: 10 } as const,
          staleLeaseDue: leaseCheck(g - 1, 100, 100 + 4000),
          afterClose: connected(g, S2, 10),
        }[name] as ConnectionInput;
        const before =
          name === 'afterClose' ? reduceConnection(m, { type: 'close' }, rules).model : m;
        const t = reduceConnection(before, input, rules);
        expect(t.events.map((e) => e.state)).toEqual(expected);
        if (expected.length > 0) expect(t.model.state).toBe(expected.at(-1));
        if (name.startsWith('stale') || name === 'afterClose') {
          expect(t.model).toBe(before); // ignored outright: same model, nothing to do
          expect(t.commands).toEqual([]);
          return;
        }
        if (name === 'close') {
          expect(t.model).toEqual({ ...m, closed: true }); // no lost on close (Curator)
          expect(t.commands).toEqual([{ type: 'cancelLeaseCheck' }]);
          return;
        }
        if (name === 'connectFailed') {
          // Another client, posting nothing: the state stays whatever it was.
          expect(t.model).toEqual({ ...m, generation: g + 1 });
          expect(t.commands).toEqual([
            { type: 'replaceClient', generation: g + 1, reason: 'connectFailed' },
          ]);
          return;
        }
        const replaces = t.commands.some((c) => c.type === 'replaceClient');
        expect(replaces).toBe(
          name === 'expired' ||
            name === 'authFailed' ||
            (name === 'leaseDue' && from === 'suspended'),
        );
      });
    }
  }
});
