import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameDecoder } from '../../src/wire/frame-decoder.js';
import { JuteDecodeError } from '../../src/wire/jute-decode-error.js';
import { JuteReader } from '../../src/wire/jute-reader.js';
import { JuteWriter } from '../../src/wire/jute-writer.js';
import { readAclVector, readStat } from '../../src/wire/records/data-records.js';
import { readMultiResponse } from '../../src/wire/records/multi-records.js';
import {
  readGetChildren2Response,
  readGetDataResponse,
} from '../../src/wire/records/response-records.js';
import {
  readConnectResponse,
  readReplyHeader,
  readWatcherEvent,
} from '../../src/wire/records/session-records.js';

const decoders: ((r: JuteReader) => unknown)[] = [
  readStat,
  readAclVector,
  readGetDataResponse,
  readGetChildren2Response,
  readConnectResponse,
  readReplyHeader,
  readWatcherEvent,
  (r) => readMultiResponse(r, (_t, rr) => rr.readStringVector('x')),
];

function frame(payload: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeInt32BE(payload.length);
  return Buffer.concat([len, payload]);
}

describe('decoder robustness', () => {
  it('any byte string either decodes or fails with JuteDecodeError, never another exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(decoders.length - 1), (bytes, i) => {
        const decode = decoders[i];
        if (decode === undefined) throw new Error('no decoder');
        try {
          decode(new JuteReader(Buffer.from(bytes)));
        } catch (e) {
          expect(e).toBeInstanceOf(JuteDecodeError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('every truncation of a valid reply fails with JuteDecodeError', () => {
    const w = new JuteWriter();
    w.writeBuffer(Buffer.from('payload'));
    for (let i = 0; i < 17; i++) w.writeInt(i); // a 68-byte Stat
    const full = w.toBuffer();
    expect(() => readGetDataResponse(new JuteReader(full))).not.toThrow();
    for (let cut = 0; cut < full.length; cut++) {
      expect(() => readGetDataResponse(new JuteReader(full.subarray(0, cut)))).toThrow(
        JuteDecodeError,
      );
    }
  });

  it('rejects a length larger than the frame before allocating', () => {
    const w = new JuteWriter();
    w.writeInt(0x7ffffff0);
    expect(() => new JuteReader(w.toBuffer()).readBuffer()).toThrow(/exceeds/);
    const v = new JuteWriter();
    v.writeInt(0x10000000);
    expect(() => new JuteReader(v.toBuffer()).readStringVector('children')).toThrow(/count/);
  });

  it('reassembles frames split at every byte boundary', () => {
    const frames = [
      Buffer.from('a'),
      Buffer.alloc(0),
      Buffer.from('hello world'),
      Buffer.alloc(3000, 7),
    ];
    const stream = Buffer.concat(frames.map(frame));
    for (let cut = 0; cut <= stream.length; cut += cut < 40 ? 1 : 97) {
      const got: string[] = [];
      const d = new FrameDecoder(1 << 20);
      d.push(stream.subarray(0, cut), (f) => got.push(f.toString('hex')));
      d.push(stream.subarray(cut), (f) => got.push(f.toString('hex')));
      expect(got).toEqual(frames.map((f) => f.toString('hex')));
    }
  });

  it('reassembles a frame fed one byte at a time', () => {
    const payload = Buffer.from(Array.from({ length: 300 }, (_, i) => i & 0xff));
    const stream = frame(payload);
    const d = new FrameDecoder(1 << 20);
    const got: Buffer[] = [];
    for (let i = 0; i < stream.length; i++)
      d.push(stream.subarray(i, i + 1), (f) => got.push(Buffer.from(f)));
    expect(got).toEqual([payload]);
  });

  it('fails an oversized or negative frame length with JuteDecodeError', () => {
    const big = Buffer.alloc(4);
    big.writeInt32BE(2048);
    expect(() => new FrameDecoder(1024).push(big, () => undefined)).toThrow(JuteDecodeError);
    const neg = Buffer.alloc(4);
    neg.writeInt32BE(-5);
    expect(() => new FrameDecoder(1024).push(neg, () => undefined)).toThrow(JuteDecodeError);
    // Also when the length arrives split over two chunks.
    const d = new FrameDecoder(1024);
    d.push(big.subarray(0, 2), () => undefined);
    expect(() => d.push(big.subarray(2), () => undefined)).toThrow(JuteDecodeError);
  });

  it('random chunking of random frames yields the same frames', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }),
        fc.array(fc.nat(400), { maxLength: 30 }),
        (payloads, cuts) => {
          const stream = Buffer.concat(payloads.map((p) => frame(Buffer.from(p))));
          const d = new FrameDecoder(1 << 20);
          const got: string[] = [];
          let pos = 0;
          for (const c of cuts) {
            const next = Math.min(stream.length, pos + c);
            d.push(stream.subarray(pos, next), (f) => got.push(f.toString('hex')));
            pos = next;
          }
          d.push(stream.subarray(pos), (f) => got.push(f.toString('hex')));
          expect(got).toEqual(payloads.map((p) => Buffer.from(p).toString('hex')));
        },
      ),
    );
  });
});
