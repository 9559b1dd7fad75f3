import { InvalidArgumentError } from '../errors.js';
import type { DataResult } from '../zk-client.js';
import { OpCode } from './op-codes.js';
import { writeReconfigRequest, type ReconfigRequest } from './records/request-records.js';
import { readGetDataResponse } from './records/response-records.js';
import { CONFIG_NODE } from './server-queries.js';
import { request } from './wire-request.js';
import type { WireSession } from './wire-session.js';

/**
 * Membership change of `WireZkClient.reconfig`: either incremental (`joiningServers` and/or
 * `leavingServers`) or a whole new member list (`newMembers`), never both.
 *
 * @example
 * ```ts
 * const change: ReconfigOptions = { leavingServers: '3', fromConfig: 0x100000000n };
 * ```
 */
export interface ReconfigOptions {
  /** Comma-separated `server.N=host:quorumPort:electionPort[:participant|observer][;[clientHost:]clientPort]`. */
  readonly joiningServers?: string;
  /** Comma-separated server ids, e.g. `'2,3'`. */
  readonly leavingServers?: string;
  /** The complete new membership, in the `joiningServers` syntax (plus `group.N=`/`weight.N=` lines). */
  readonly newMembers?: string;
  /** Expected current config version (the hex `version=` of `getConfig`, as a bigint), or -1n (default) for any. */
  readonly fromConfig?: bigint;
}

const FIELDS: ReadonlySet<string> = new Set([
  'joiningServers',
  'leavingServers',
  'newMembers',
  'fromConfig',
]);
const HOST = String.raw`(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)`;
const PORT = String.raw`(\d{1,5})`;
const QUORUM_ADDRESS = new RegExp(`^${HOST}:${PORT}:${PORT}(?::(?:participant|observer))?$`);
const CLIENT_ADDRESS = new RegExp(`^(?:${HOST}:)?${PORT}$`);
const SERVER_KEY = /^server\.(\d{1,18})$/;
const HIERARCHY_KEY = /^(?:group\.\d{1,18}=\d{1,18}(?::\d{1,18})*|weight\.\d{1,18}=\d{1,18})$/;
const MAX_LONG = 2n ** 63n - 1n;

function portsOk(match: RegExpExecArray): boolean {
  return match.slice(1).every((p) => p === undefined || (Number(p) >= 1 && Number(p) <= 65_535));
}

/** Why one `server.N=...` entry is malformed, or `undefined` when it is fine. */
function memberProblem(entry: string): string | undefined {
  const eq = entry.indexOf('=');
  const key = eq < 0 ? entry : entry.slice(0, eq);
  if (eq < 0 || SERVER_KEY.exec(key) === null) return `"${entry}" does not start with server.N=`;
  const [addresses = '', client, extra] = entry.slice(eq + 1).split(';');
  if (extra !== undefined) return `"${entry}" has more than one ';'`;
  for (const address of addresses.split('|')) {
    const m = QUORUM_ADDRESS.exec(address);
    if (m === null || !portsOk(m))
      return `"${entry}": "${address}" is not host:quorumPort:electionPort[:participant|observer]`;
  }
  if (client !== undefined) {
    const m = CLIENT_ADDRESS.exec(client);
    if (m === null || !portsOk(m)) return `"${entry}": "${client}" is not [clientHost:]clientPort`;
  }
  return undefined;
}

function checkMembers(field: string, value: string, hierarchy: boolean): void {
  const ids = new Set<string>();
  for (const entry of value.split(',')) {
    if (hierarchy && HIERARCHY_KEY.test(entry)) continue;
    const problem = memberProblem(entry);
    if (problem !== undefined) throw new InvalidArgumentError(field, problem);
    const id = SERVER_KEY.exec(entry.slice(0, entry.indexOf('=')))?.[1] ?? '';
    if (ids.has(BigInt(id).toString()))
      throw new InvalidArgumentError(field, `names server.${id} twice`);
    ids.add(BigInt(id).toString());
  }
}

function memberString(change: Record<string, unknown>, field: string): string | null {
  const value = change[field];
  if (value === undefined) return null;
  if (typeof value !== 'string' || value.length === 0)
    throw new InvalidArgumentError(field, 'must be a non-empty string');
  return value;
}

/**
 * Checks a {@link ReconfigOptions} the way the server would parse it, so that malformed input is an
 * {@link InvalidArgumentError} naming the field (the server would answer a bare BadArguments, or even
 * MarshallingError for a non-numeric leaving id) and nothing is sent.
 *
 * @example
 * ```ts
 * checkReconfig({ leavingServers: '3' }); // { joiningServers: null, leavingServers: '3', newMembers: null, curConfigId: -1n }
 * ```
 */
export function checkReconfig(change: ReconfigOptions): ReconfigRequest {
  if (typeof change !== 'object' || change === null)
    throw new InvalidArgumentError('change', 'must be an object');
  const record = change as unknown as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!FIELDS.has(key)) throw new InvalidArgumentError('change', `has no field "${key}"`);
  }
  const joiningServers = memberString(record, 'joiningServers');
  const leavingServers = memberString(record, 'leavingServers');
  const newMembers = memberString(record, 'newMembers');
  if (joiningServers === null && leavingServers === null && newMembers === null) {
    throw new InvalidArgumentError('change', 'names no joining, leaving or new members');
  }
  if (newMembers !== null && (joiningServers !== null || leavingServers !== null)) {
    // The server would silently ignore the incremental part.
    throw new InvalidArgumentError(
      'newMembers',
      'cannot be combined with joiningServers or leavingServers',
    );
  }
  if (joiningServers !== null) checkMembers('joiningServers', joiningServers, false);
  if (newMembers !== null) checkMembers('newMembers', newMembers, true);
  if (leavingServers !== null && !/^\d{1,18}(?:,\d{1,18})*$/.test(leavingServers)) {
    throw new InvalidArgumentError(
      'leavingServers',
      `must be comma-separated server ids, got "${leavingServers}"`,
    );
  }
  const fromConfig = change.fromConfig ?? -1n;
  if (typeof fromConfig !== 'bigint' || fromConfig < -1n || fromConfig > MAX_LONG) {
    throw new InvalidArgumentError(
      'fromConfig',
      `must be a config version (a bigint >= 0) or -1n for any, got ${String(fromConfig)}`,
    );
  }
  return { joiningServers, leavingServers, newMembers, curConfigId: fromConfig };
}

/**
 * `reconfig` (opcode 16): checks the change, sends it and resolves with the new config (data and stat of
 * `/zookeeper/config`). Needs `reconfigEnabled=true` on the servers (else `ReconfigDisabledError`) and a
 * super user or an ACL granting write on `/zookeeper/config` (else `NoAuthError`).
 *
 * @example
 * ```ts
 * const { data } = await reconfigRequest(session, { leavingServers: '3' });
 * ```
 */
export async function reconfigRequest(
  session: WireSession,
  change: ReconfigOptions,
): Promise<DataResult> {
  const req = checkReconfig(change);
  return request(
    session,
    OpCode.reconfig,
    (w) => writeReconfigRequest(w, req),
    CONFIG_NODE,
    readGetDataResponse,
  );
}
