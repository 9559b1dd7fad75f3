import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import { createZkClient, type SessionEvent, type ZkClient } from '@zookit/client';
import { scaledMs, ZkEnsemble } from '@zookit/test-harness';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Regression test for the npm `zookeeper` binding's stale poll handle, fixed by zookit's pnpm patch
// (patches/zookeeper@7.3.0.patch; docs/concepts/transports.md). Unpatched, when the C client closed its
// socket (here: zookeeper_interest timing out on a paused server) the binding kept a libuv poll handle
// bound to that fd NUMBER, and libuv's stop/close of that handle later ran epoll_ctl(EPOLL_CTL_DEL) on the
// number. When a Node socket had taken the number meanwhile, it was silently dropped from the event loop
// and never received data again. Each round makes the number free, lets Node sockets take it, lets the
// native client reconnect elsewhere, then requires every Node socket to still carry data.

const SESSION_TIMEOUT_MS = 3000;
const ROUNDS = 4;
const SOCKETS_PER_ROUND = 40;

interface TcpSocket {
  readonly fd: number;
  readonly localPort: number;
  readonly remotePort: number;
}

/** This process's TCP sockets (Linux /proc), with their fd numbers. */
function tcpSockets(): TcpSocket[] {
  const byInode = new Map<string, { localPort: number; remotePort: number }>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const [, local, remote, , , , , , , inode] = line.trim().split(/\s+/);
      if (local === undefined || remote === undefined || inode === undefined) continue;
      const port = (address: string): number => parseInt(address.split(':')[1] ?? '0', 16);
      byInode.set(inode, { localPort: port(local), remotePort: port(remote) });
    }
  }
  const sockets: TcpSocket[] = [];
  for (const name of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${name}`);
    } catch {
      continue; // closed since the listing (readdirSync's own fd, for one)
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    const ports = inode === undefined ? undefined : byInode.get(inode);
    if (ports !== undefined) sockets.push({ fd: Number(name), ...ports });
  }
  return sockets;
}

/** Echo server on loopback; remembers its accepted sockets so the round can close them. */
async function startEcho(): Promise<{
  server: net.Server;
  accepted: Set<net.Socket>;
  port: number;
}> {
  const accepted = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    accepted.add(socket);
    socket.on('error', () => undefined); // a reset while the round tears down
    socket.on('close', () => accepted.delete(socket));
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, accepted, port: (server.address() as net.AddressInfo).port };
}

describe('native binding: a Node socket that reuses the fd number of the C client’s closed socket', () => {
  let ensemble: ZkEnsemble;
  let target = 0;
  let other = 1;
  beforeAll(async () => {
    ensemble = await ZkEnsemble.start({ servers: 3 });
    // Pause a follower, so the ensemble keeps its leader and the client moves to another server.
    const leader = (await ensemble.leaderIndex()) ?? 0;
    target = [0, 1, 2].find((i) => i !== leader) ?? 0;
    other = leader;
  });
  afterAll(async () => {
    await ensemble.close();
  });

  it('keeps receiving data after the native client times out on a hung server and reconnects', async () => {
    const echo = await startEcho();
    try {
      // Even rounds open the Node sockets from the 'disconnected' listener, which runs inside the C
      // client's zookeeper_interest right after it closed its socket; odd rounds open them in the next
      // check phase (setImmediate), before the binding's timer lets the native client reconnect.
      for (let round = 0; round < ROUNDS; round++) {
        await runRound(round % 2 === 0 ? 'in-listener' : 'next-check-phase', echo.port);
        for (const socket of echo.accepted) socket.destroy();
      }
    } finally {
      for (const socket of echo.accepted) socket.destroy();
      await new Promise<void>((resolve) => echo.server.close(() => resolve()));
    }
  });

  async function runRound(
    when: 'in-listener' | 'next-check-phase',
    echoPort: number,
  ): Promise<void> {
    const targetPort = ensemble.clientPort(target);
    const client: ZkClient = createZkClient({
      transport: 'native',
      connectString: `${ensemble.connectStringFor(target)},${ensemble.connectStringFor(other)}`,
      deterministicHostOrder: true,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      connectTimeoutMs: scaledMs(30_000),
    });
    const sockets: net.Socket[] = [];
    const errors: Error[] = [];
    const openSockets = (): void => {
      for (let i = 0; i < SOCKETS_PER_ROUND; i++) {
        const socket = net.connect(echoPort, '127.0.0.1');
        socket.on('error', (e) => errors.push(e));
        sockets.push(socket);
      }
    };
    const events: SessionEvent['type'][] = [];
    client.onSessionEvent((e) => {
      events.push(e.type);
      if (e.type !== 'disconnected') return;
      if (when === 'in-listener') openSockets();
      else setImmediate(openSockets);
    });
    try {
      await client.connect();
      await client.exists('/');
      // The descriptor number(s) of the native client's connection (the patched binding adds its own dup).
      const nativeFds = tcpSockets()
        .filter((s) => s.remotePort === targetPort)
        .map((s) => s.fd);
      expect(nativeFds.length).toBeGreaterThan(0);

      await ensemble.pause(target);
      try {
        // 2/3 of the session timeout without a reply: zookeeper_interest fails with ZOPERATIONTIMEOUT and
        // closes the socket; the client then reconnects to the other server (or learns its session expired).
        const reconnected = (): boolean =>
          events.includes('disconnected') &&
          events
            .slice(events.indexOf('disconnected') + 1)
            .some((type) => type === 'connected' || type === 'expired');
        await vi.waitFor(() => expect(reconnected()).toBe(true), {
          timeout: scaledMs(30_000),
          interval: 20,
        });
      } finally {
        await ensemble.resume(target);
      }
      expect(sockets).toHaveLength(SOCKETS_PER_ROUND);
      // The round only proves something if a Node socket now holds a number the native client had.
      const nodeFds = tcpSockets()
        .filter((s) => s.remotePort === echoPort || s.localPort === echoPort)
        .map((s) => s.fd);
      expect(nativeFds.filter((fd) => nodeFds.includes(fd))).not.toEqual([]);

      const echoed = new Set<number>();
      sockets.forEach((socket, i) => {
        socket.on('data', () => echoed.add(i));
        socket.write(`ping ${i}\n`);
      });
      await vi.waitFor(() => expect(echoed.size).toBe(SOCKETS_PER_ROUND), {
        timeout: scaledMs(10_000),
        interval: 20,
      });
      expect(errors).toEqual([]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await client.close();
      await ensemble.waitServing(target);
    }
  }
});
