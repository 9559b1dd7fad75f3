// The server side of these tests is a scripted TCP peer, because a real ZooKeeper never sends malformed
// frames; everything it sends except the faults is the genuine encoding (see jute-golden.test.ts).
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionLossError } from '../../src/errors.js';
import { FrameDecoder } from '../../src/wire/frame-decoder.js';
import { JuteDecodeError } from '../../src/wire/jute-decode-error.js';
import { JuteReader } from '../../src/wire/jute-reader.js';
import { JuteWriter } from '../../src/wire/jute-writer.js';
import { WireZkClient } from '../../src/wire/wire-zk-client.js';

type Fault = (request: { xid: number; op: number }, socket: Socket) => void;

function connectResponse(): Buffer {
  const w = new JuteWriter(true);
  w.writeInt(0);
  w.writeInt(6000);
  w.writeLong(0x1234n);
  w.writeBuffer(Buffer.alloc(16, 1));
  w.writeBool(false);
  return w.finishFrame();
}

function noNodeReply(xid: number): Buffer {
  const w = new JuteWriter(true);
  w.writeInt(xid);
  w.writeLong(5n);
  w.writeInt(-101);
  return w.finishFrame();
}

/** A peer that completes the handshake, then answers the first request of connection n with faults[n]. */
async function scriptedServer(
  faults: Fault[],
): Promise<{ server: Server; port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer((socket) => {
    const fault = faults[connections++];
    const frames = new FrameDecoder(1 << 20);
    let handshaken = false;
    let faulted = false;
    socket.on('error', () => undefined);
    socket.on('data', (chunk) =>
      frames.push(chunk, (frame) => {
        if (!handshaken) {
          handshaken = true;
          socket.write(connectResponse());
          return;
        }
        const r = new JuteReader(frame);
        const request = { xid: r.readInt(), op: r.readInt() };
        if (request.xid < 0) return; // pings and auth
        if (fault !== undefined && !faulted) {
          faulted = true;
          fault(request, socket);
        } else socket.write(noNodeReply(request.xid));
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port, connections: () => connections };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const faults: Record<string, Fault> = {
  'a truncated reply header': (_req, s) => s.write(Buffer.from('00000006000000010000', 'hex')),
  'an oversized frame length': (_req, s) => s.write(Buffer.from('7fffffff00', 'hex')),
  'a negative frame length': (_req, s) => s.write(Buffer.from('ffffff00', 'hex')),
  'a reply for another xid': (req, s) => s.write(noNodeReply(req.xid + 7)),
  'a truncated reply body': (req, s) => {
    const w = new JuteWriter(true);
    w.writeInt(req.xid);
    w.writeLong(5n);
    w.writeInt(0);
    w.writeInt(3); // start of a Stat, cut short
    s.write(w.finishFrame());
  },
};

describe('malformed replies become connection losses, never exceptions', () => {
  for (const [name, fault] of Object.entries(faults)) {
    it(`survives ${name}: the request fails with ConnectionLossError and the client reconnects`, async () => {
      const { server, port, connections } = await scriptedServer([fault]);
      const connectionErrors: Error[] = [];
      const events: string[] = [];
      const withErrors = new WireZkClient({
        connectString: `127.0.0.1:${port}`,
        sessionTimeoutMs: 6000,
        maxReplyBytes: 1 << 20,
        onConnectionError: (e) => connectionErrors.push(e),
      });
      cleanups.push(
        () => new Promise((resolve) => server.close(() => resolve())),
        () => withErrors.close(),
      );
      withErrors.onSessionEvent((e) => events.push(e.type));
      await withErrors.connect();
      const failed = await withErrors.exists('/a').catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(ConnectionLossError);
      await vi.waitFor(() => expect(withErrors.state).toBe('connected'));
      expect(await withErrors.exists('/a')).toBeNull();
      expect(events).toEqual(['connected', 'disconnected', 'connected']);
      expect(connections()).toBe(2);
      expect(connectionErrors[0]).toBeInstanceOf(JuteDecodeError);
    });
  }
});
