import { InvalidArgumentError } from '@zookit/client';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { bytesCodec, jsonCodec, SchemaViolationError, utf8Codec } from '../src/index.js';

describe('codecs', () => {
  it('bytes passes bytes through as a Buffer', () => {
    const out = bytesCodec.decode(new Uint8Array([1, 2, 3]));
    expect(Buffer.isBuffer(out)).toBe(true);
    expect([...out]).toEqual([1, 2, 3]);
    expect(bytesCodec.encode(Buffer.from('ab'))).toEqual(Buffer.from('ab'));
  });

  it('utf8 round-trips and rejects invalid UTF-8 with SchemaViolationError naming the path', () => {
    expect(utf8Codec.decode(utf8Codec.encode('héllo ✓'))).toBe('héllo ✓');
    const err = (() => {
      try {
        utf8Codec.decode(new Uint8Array([0xff, 0xfe]), '/cfg');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(SchemaViolationError);
    expect((err as SchemaViolationError).path).toBe('/cfg');
    expect((err as SchemaViolationError).issues[0]?.code).toBe('invalid_utf8');
  });

  it('json round-trips any JSON and reports invalid JSON as a violation', () => {
    const codec = jsonCodec<{ a: number[] }>();
    expect(codec.decode(codec.encode({ a: [1, 2] }))).toEqual({ a: [1, 2] });
    expect(() => codec.decode(Buffer.from('{nope'), '/x')).toThrow(SchemaViolationError);
    try {
      codec.decode(Buffer.from('{nope'), '/x');
    } catch (e) {
      expect((e as SchemaViolationError).issues[0]?.code).toBe('invalid_json');
      expect((e as SchemaViolationError).code).toBe('SCHEMA_VIOLATION');
    }
  });

  it('zod json validates on decode and on encode, carrying the path and zod issues', () => {
    const Config = z.object({ port: z.number().int(), host: z.string() });
    const codec = jsonCodec(Config);
    expect(codec.decode(Buffer.from('{"port":1,"host":"h"}'))).toEqual({ port: 1, host: 'h' });
    let caught: unknown;
    try {
      codec.decode(Buffer.from('{"port":"x","host":"h"}'), '/config');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SchemaViolationError);
    const v = caught as SchemaViolationError;
    expect(v.path).toBe('/config');
    expect(v.issues[0]?.path).toEqual(['port']);
    expect(v.message).toMatch(/at port/);
    expect(() => codec.encode({ port: 1.5, host: 'h' }, '/config')).toThrow(SchemaViolationError);
  });

  it('rejects a non-schema argument', () => {
    expect(() => jsonCodec(42 as never)).toThrow(InvalidArgumentError);
  });
});
