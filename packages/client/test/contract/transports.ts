/**
 * The transports the contract suite runs against. A new transport joins by adding one entry here.
 *
 * A transport that knowingly differs from ZooKeeper's reference behaviour (the Java client) records each
 * difference as data in `divergences`, with the reason; the test that covers the behaviour reads it and
 * asserts the documented alternative instead of forking the test.
 */
import { createZkClient, type ZkClient, type ZkClientOptions } from '@zookit/client';

/** Behaviours where a transport differs from the reference, each checked by one contract test. */
export type Divergence =
  /** `createWithStat` resolves with `stat: undefined` (no create2). */
  | 'createWithStatWithoutStat'
  /** `create` with a non-open ACL rejects with `UnsupportedByTransportError`. */
  | 'noAclOnCreate'
  /** `multi` and `multiRead` reject with `UnsupportedByTransportError`. */
  | 'noMulti'
  /** `addWatch` rejects with `UnsupportedByTransportError`. */
  | 'noPersistentWatches'
  /** `removeWatches` and `checkWatches` reject with `UnsupportedByTransportError`. */
  | 'noRemoveWatches'
  /** `getEphemerals`, `whoAmI` and `getAllChildrenNumber` reject with `UnsupportedByTransportError`. */
  | 'noExtendedQueries'
  /** `reconfig` rejects with `UnsupportedByTransportError`, whatever the servers allow. */
  | 'noReconfig'
  /** `addAuth` with non-UTF-8 bytes rejects with `UnsupportedByTransportError`. */
  | 'noBinaryAuth'
  /** `setACL`'s stat comes from a follow-up `exists` (it may include later changes). */
  | 'setAclStatFromFollowUpRead'
  /**
   * `close()` may resolve before the server has processed the close-session request, so other sessions can
   * still see the ephemerals for a moment.
   */
  | 'closeResolvesBeforeServerClose';

/** One transport under test. */
export interface ContractTransport {
  /** Label used in test names. */
  readonly name: string;
  /** Builds a client (no I/O). */
  create(options: ZkClientOptions): ZkClient;
  /** Known, documented differences, each with its reason. */
  readonly divergences?: Partial<Record<Divergence, string>>;
}

/** Every transport the contract suite covers. */
export const transports: readonly ContractTransport[] = [
  {
    name: 'native',
    create: (options) => createZkClient({ ...options, transport: 'native' }),
    divergences: {
      createWithStatWithoutStat: 'the binding has no create2',
      noAclOnCreate: 'the binding always creates with world:anyone:ALL',
      noMulti: 'the binding has no multi nor multiRead',
      noPersistentWatches: 'the binding has no addWatch',
      noRemoveWatches: 'the binding has no removeWatches nor checkWatches',
      noExtendedQueries: 'the binding has no getEphemerals, whoAmI nor getAllChildrenNumber',
      noReconfig: 'the binding has no reconfig',
      noBinaryAuth: 'the binding passes auth data as a C string',
      setAclStatFromFollowUpRead: 'the binding reports no stat for set_acl',
    },
  },
  {
    name: 'wire',
    create: (options) => createZkClient({ ...options, transport: 'wire' }),
  },
];

/** Whether `transport` declares `divergence`. */
export function diverges(transport: ContractTransport, divergence: Divergence): boolean {
  return transport.divergences?.[divergence] !== undefined;
}
