import { describe, expect, it } from 'vitest';
import { FrameDecoder } from '../src/frame-decoder.js';
import { JuteReader } from '../src/jute-reader.js';
import { JuteWriter } from '../src/jute-writer.js';
import {
  decodeConnectResponse,
  decodeReply,
  encodeConnectRequest,
  encodeRequest,
} from '../src/zk-protocol.js';

describe('jute records', () => {
  it('round-trips ints, longs, bools, buffers and strings', () => {
    const bytes = new JuteWriter()
      .int(-7)
      .long(0x1234_5678_9abc_def0n)
      .long(-1n)
      .bool(true)
      .buffer(Buffer.from([1, 2]))
      .buffer(undefined)
      .string('/é')
      .bytes();
    const reader = new JuteReader(bytes);
    expect(reader.int()).toBe(-7);
    expect(reader.long()).toBe(0x1234_5678_9abc_def0n);
    expect(reader.long()).toBe(-1n);
    expect(reader.bool()).toBe(true);
    expect(reader.buffer()).toEqual(Buffer.from([1, 2]));
    expect(reader.buffer()).toBeUndefined();
    expect(reader.string()).toBe('/é');
    expect(reader.remaining).toBe(0);
  });

  it('writes an unsigned 64-bit session id as the same signed bytes', () => {
    const unsigned = 0xffff_0000_0000_0001n;
    const bytes = new JuteWriter().long(unsigned).bytes();
    expect(bytes.toString('hex')).toBe('ffff000000000001');
  });

  it('lays out the ConnectRequest exactly as ZooKeeper reads it', () => {
    const password = Buffer.alloc(16, 0xab);
    const frame = encodeConnectRequest({ timeoutMs: 30_000, sessionId: 0x100n, password });
    const reader = new JuteReader(frame);
    expect(reader.int()).toBe(frame.length - 4);
    expect(reader.int()).toBe(0); // protocol version
    expect(reader.long()).toBe(0n); // last zxid seen
    expect(reader.int()).toBe(30_000);
    expect(reader.long()).toBe(0x100n);
    expect(reader.buffer()).toEqual(password);
    expect(reader.bool()).toBe(false);
    expect(reader.remaining).toBe(0);
  });

  it('reads ConnectResponse and reply headers', () => {
    const response = new JuteWriter()
      .int(0)
      .int(6_000)
      .long(42n)
      .buffer(Buffer.alloc(16, 1))
      .bool(false)
      .bytes();
    expect(decodeConnectResponse(response)).toEqual({
      protocolVersion: 0,
      timeoutMs: 6_000,
      sessionId: 42n,
      password: Buffer.alloc(16, 1),
    });
    const { header, reader } = decodeReply(
      new JuteWriter().int(5).long(99n).int(-101).string('x').bytes(),
    );
    expect(header).toEqual({ xid: 5, zxid: 99n, err: -101 });
    expect(reader.string()).toBe('x');
  });

  it('frames a request as length, xid, op code, body', () => {
    const frame = encodeRequest(3, -11, Buffer.from([9]));
    expect([...frame]).toEqual([0, 0, 0, 9, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xf5, 9]);
  });
});

describe('FrameDecoder', () => {
  it('reassembles frames split and merged arbitrarily across chunks', () => {
    const frames = [Buffer.from('a'), Buffer.alloc(0), Buffer.from('hello world')];
    const stream = Buffer.concat(frames.map((f) => new JuteWriter().buffer(f).bytes()));
    for (let cut = 0; cut <= stream.length; cut++) {
      const decoder = new FrameDecoder();
      const out = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))];
      expect(out).toEqual(frames);
      expect(decoder.buffered).toBe(0);
    }
  });

  it('returns whole frames with their prefix from pushRaw', () => {
    const frame = new JuteWriter().buffer(Buffer.from('xyz')).bytes();
    const decoder = new FrameDecoder();
    expect(decoder.pushRaw(frame.subarray(0, 5))).toEqual([]);
    expect(decoder.pushRaw(frame.subarray(5))).toEqual([frame]);
  });

  it('rejects a negative length', () => {
    expect(() => new FrameDecoder().push(Buffer.from([0xff, 0xff, 0xff, 0xff]))).toThrow(
      RangeError,
    );
  });
});
