import { InvalidArgumentError } from '@zookit/client';
import type { z } from 'zod';

import { SchemaViolationError } from './schema-violation-error.js';

/**
 * Turns node bytes into values and back. Decoding failures throw {@link SchemaViolationError}.
 *
 * @example
 * ```ts
 * const codec: Codec<string> = utf8Codec;
 * const { data } = await zk.getData('/greeting', { codec }); // string
 * ```
 */
export interface Codec<T> {
  /** A short name for messages. */
  readonly name: string;
  /** Value → bytes. `path` is only used in error messages. */
  encode(value: T, path?: string): Uint8Array;
  /** Bytes → value. `path` is only used in error messages. */
  decode(bytes: Uint8Array, path?: string): T;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Raw bytes, as `Buffer`.
 *
 * @example
 * ```ts
 * bytesCodec.decode(new Uint8Array([1, 2])); // <Buffer 01 02>
 * ```
 */
export const bytesCodec: Codec<Buffer> = {
  name: 'bytes',
  encode: (value) => value,
  decode: (bytes) =>
    Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
};

/**
 * UTF-8 text. Invalid UTF-8 is a {@link SchemaViolationError}.
 *
 * @example
 * ```ts
 * utf8Codec.encode('héllo'); // 6 bytes
 * ```
 */
export const utf8Codec: Codec<string> = {
  name: 'utf8',
  encode: (value) => encoder.encode(value),
  decode: (bytes, path) => {
    try {
      return decoder.decode(bytes);
    } catch (cause) {
      throw new SchemaViolationError(
        path,
        [{ path: [], message: 'invalid UTF-8', code: 'invalid_utf8' }],
        { cause },
      );
    }
  },
};

/**
 * JSON as UTF-8 text. With a zod schema, decoded values are validated (and so are values to encode); a
 * mismatch is a {@link SchemaViolationError} carrying the path and zod's issues.
 *
 * @example
 * ```ts
 * const Config = z.object({ port: z.number() });
 * const codec = jsonCodec(Config);
 * const { data } = await zk.getData('/config', { codec }); // { port: number }
 * ```
 */
export function jsonCodec<S extends z.ZodType>(schema: S): Codec<z.output<S>>;
export function jsonCodec<T = unknown>(): Codec<T>;
export function jsonCodec(schema?: z.ZodType): Codec<unknown> {
  if (
    schema !== undefined &&
    (typeof schema !== 'object' || typeof schema.safeParse !== 'function')
  ) {
    throw new InvalidArgumentError('schema', 'jsonCodec: must be a zod schema');
  }
  const check = (value: unknown, path: string | undefined): unknown => {
    if (schema === undefined) return value;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    throw new SchemaViolationError(
      path,
      result.error.issues.map((i) => ({ path: i.path, message: i.message, code: i.code })),
      { cause: result.error },
    );
  };
  return {
    name: schema === undefined ? 'json' : 'json+schema',
    encode: (value, path) => encoder.encode(JSON.stringify(check(value, path))),
    decode: (bytes, path) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(utf8Codec.decode(bytes, path));
      } catch (cause) {
        if (cause instanceof SchemaViolationError) throw cause;
        throw new SchemaViolationError(
          path,
          [{ path: [], message: (cause as Error).message, code: 'invalid_json' }],
          {
            cause,
          },
        );
      }
      return check(parsed, path);
    },
  };
}
