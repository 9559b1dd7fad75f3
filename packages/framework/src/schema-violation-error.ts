import { ZkError } from '@zookit/client';

/**
 * One problem found by a schema (zod's issue shape, reduced to what is stable).
 *
 * @example
 * ```ts
 * const first: SchemaIssue | undefined = violation.issues[0];
 * ```
 */
export interface SchemaIssue {
  /** Location inside the value, e.g. `['port']`. */
  readonly path: readonly PropertyKey[];
  /** What is wrong. */
  readonly message: string;
  /** zod's issue code, or `'invalid_json'` when the bytes are not JSON. */
  readonly code: string;
}

/**
 * Node data (or a value about to be written) does not match the codec's schema.
 *
 * @example
 * ```ts
 * try { await zk.getData('/cfg', { codec: jsonCodec(Config) }); }
 * catch (e) { if (e instanceof SchemaViolationError) console.log(e.path, e.issues); }
 * ```
 */
export class SchemaViolationError extends ZkError {
  /** The problems, in zod's order. */
  readonly issues: readonly SchemaIssue[];

  constructor(
    path: string | undefined,
    issues: readonly SchemaIssue[],
    options: { cause?: unknown } = {},
  ) {
    const first = issues[0];
    const where =
      first === undefined || first.path.length === 0
        ? ''
        : ` at ${first.path.map(String).join('.')}`;
    super(
      'SCHEMA_VIOLATION',
      `data does not match the schema${where}: ${first?.message ?? 'invalid'}`,
      {
        path,
        cause: options.cause,
      },
    );
    this.issues = issues;
  }
}
