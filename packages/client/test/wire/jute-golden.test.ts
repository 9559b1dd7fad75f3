import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JuteReader } from '../../src/wire/jute-reader.js';
import { JuteWriter } from '../../src/wire/jute-writer.js';
import { OpCode } from '../../src/wire/op-codes.js';
import {
  readAcl,
  readAclVector,
  readClientInfoVector,
  readStat,
  writeStat,
} from '../../src/wire/records/data-records.js';
import { readMultiResponse, writeMultiHeader } from '../../src/wire/records/multi-records.js';
import {
  readCreate2Response,
  readGetAclResponse,
  readGetChildren2Response,
  readGetDataResponse,
  readPathResponse,
} from '../../src/wire/records/response-records.js';
import {
  writeCreateRequest,
  writePathIntRequest,
  writePathRequest,
  writePathWatchRequest,
  writeReconfigRequest,
  writeSetAclRequest,
  writeSetDataRequest,
} from '../../src/wire/records/request-records.js';
import {
  readConnectResponse,
  readReplyHeader,
  readWatcherEvent,
  writeAuthPacket,
  writeConnectRequest,
  writeRequestHeader,
  writeSetWatches,
} from '../../src/wire/records/session-records.js';
import { openAcl, sampleAcls, samplePasswd, sampleStat } from './golden-samples.js';

const golden = JSON.parse(
  readFileSync(new URL('./fixtures/jute-golden.json', import.meta.url), 'utf8'),
) as Record<string, string>;

function fixture(name: string): Buffer {
  const hex = golden[name];
  if (hex === undefined) throw new Error(`no golden fixture ${name}`);
  return Buffer.from(hex, 'hex');
}

function encode(body: (w: JuteWriter) => void): string {
  const w = new JuteWriter(false, 8);
  body(w);
  return w.toBuffer().toString('hex');
}

function reader(name: string): JuteReader {
  return new JuteReader(fixture(name));
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const header = (xid: number, op: number) => (w: JuteWriter) => writeRequestHeader(w, xid, op);

describe('jute codec against the Java classes (golden bytes)', () => {
  const requests: Record<string, (w: JuteWriter) => void> = {
    stat: (w) => writeStat(w, sampleStat),
    connectRequest: (w) =>
      writeConnectRequest(w, {
        protocolVersion: 0,
        lastZxidSeen: 0x200000005n,
        timeOutMs: 10000,
        sessionId: 0x1000001abcdef01n,
        passwd: samplePasswd,
        readOnly: true,
      }),
    connectRequestFresh: (w) =>
      writeConnectRequest(w, {
        protocolVersion: 0,
        lastZxidSeen: 0n,
        timeOutMs: 30000,
        sessionId: 0n,
        passwd: Buffer.alloc(16),
        readOnly: false,
      }),
    requestHeader: header(2147483647, 4),
    createRequest: (w) => {
      header(1, OpCode.create)(w);
      writeCreateRequest(w, { path: '/a/b-', data: utf8('héllo'), acl: sampleAcls, flags: 3 });
    },
    createRequestNullData: (w) => {
      header(2, OpCode.create2)(w);
      writeCreateRequest(w, { path: '/n', data: null, acl: openAcl, flags: 0 });
    },
    createTtlRequest: (w) => {
      header(3, OpCode.createTTL)(w);
      writeCreateRequest(w, {
        path: '/ttl',
        data: utf8('x'),
        acl: openAcl,
        flags: 5,
        ttlMs: 60000,
      });
    },
    createContainerRequest: (w) => {
      header(4, OpCode.createContainer)(w);
      writeCreateRequest(w, { path: '/c', data: Buffer.alloc(0), acl: openAcl, flags: 4 });
    },
    deleteRequest: (w) => (header(5, OpCode.delete)(w), writePathIntRequest(w, '/a', 7)),
    existsRequest: (w) => (header(6, OpCode.exists)(w), writePathWatchRequest(w, '/a', true)),
    getDataRequest: (w) => (header(7, OpCode.getData)(w), writePathWatchRequest(w, '/a', false)),
    setDataRequest: (w) => (
      header(8, OpCode.setData)(w),
      writeSetDataRequest(w, '/a', utf8('new'), -1)
    ),
    getChildren2Request: (w) => (
      header(9, OpCode.getChildren2)(w),
      writePathWatchRequest(w, '/', true)
    ),
    getAclRequest: (w) => (header(10, OpCode.getACL)(w), writePathRequest(w, '/a')),
    setAclRequest: (w) => (
      header(11, OpCode.setACL)(w),
      writeSetAclRequest(w, '/a', sampleAcls, 2)
    ),
    syncRequest: (w) => (header(12, OpCode.sync)(w), writePathRequest(w, '/a')),
    pingRequest: header(-2, OpCode.ping),
    closeSessionRequest: header(13, OpCode.closeSession),
    authPacket: (w) => (
      header(-4, OpCode.auth)(w),
      writeAuthPacket(w, 'digest', utf8('alice:secret'))
    ),
    setWatches: (w) => {
      header(14, OpCode.setWatches)(w);
      const lists = {
        data: ['/d1', '/d2'],
        exist: ['/e1'],
        child: ['/c1'],
        persistent: [],
        persistentRecursive: [],
      };
      writeSetWatches(w, 0x200000005n, lists, false);
    },
    setWatches2: (w) => {
      header(15, OpCode.setWatches2)(w);
      const lists = {
        data: ['/d1'],
        exist: ['/e1'],
        child: ['/c1'],
        persistent: ['/p1'],
        persistentRecursive: ['/r1', '/r2'],
      };
      writeSetWatches(w, 0x200000005n, lists, true);
    },
    addWatchRequest: (w) => (header(16, OpCode.addWatch)(w), writePathIntRequest(w, '/w', 1)),
    removeWatchesRequest: (w) => (
      header(17, OpCode.removeWatches)(w),
      writePathIntRequest(w, '/w', 3)
    ),
    checkWatchesRequest: (w) => (
      header(18, OpCode.checkWatches)(w),
      writePathIntRequest(w, '/w', 2)
    ),
    getEphemeralsRequest: (w) => (header(19, OpCode.getEphemerals)(w), writePathRequest(w, '/e')),
    whoAmIRequest: header(20, OpCode.whoAmI),
    getAllChildrenNumberRequest: (w) => (
      header(21, OpCode.getAllChildrenNumber)(w),
      writePathRequest(w, '/a')
    ),
    reconfigRequest: (w) => {
      header(22, OpCode.reconfig)(w);
      writeReconfigRequest(w, {
        joiningServers: 'server.4=127.0.0.1:2888:3888;2181',
        leavingServers: '3',
        newMembers: null,
        curConfigId: -1n,
      });
    },
    getConfigRequest: (w) => (
      header(23, OpCode.getData)(w),
      writePathWatchRequest(w, '/zookeeper/config', true)
    ),
    multiRequest: (w) => {
      header(24, OpCode.multi)(w);
      const op = (type: number, body: () => void) => (writeMultiHeader(w, type, false, -1), body());
      op(OpCode.create, () =>
        writeCreateRequest(w, { path: '/m1', data: utf8('a'), acl: openAcl, flags: 0 }),
      );
      op(OpCode.createContainer, () =>
        writeCreateRequest(w, { path: '/m2', data: null, acl: openAcl, flags: 4 }),
      );
      op(OpCode.createTTL, () =>
        writeCreateRequest(w, {
          path: '/m3',
          data: utf8('t'),
          acl: openAcl,
          flags: 5,
          ttlMs: 5000,
        }),
      );
      op(OpCode.delete, () => writePathIntRequest(w, '/m4', 2));
      op(OpCode.setData, () => writeSetDataRequest(w, '/m5', utf8('s'), -1));
      op(OpCode.check, () => writePathIntRequest(w, '/m6', 9));
      writeMultiHeader(w, -1, true, -1);
    },
    multiRequestCreate2: (w) => {
      header(25, OpCode.multi)(w);
      writeMultiHeader(w, OpCode.create2, false, -1);
      writeCreateRequest(w, { path: '/m1', data: utf8('a'), acl: openAcl, flags: 2 });
      writeMultiHeader(w, -1, true, -1);
    },
    multiReadRequest: (w) => {
      header(26, OpCode.multiRead)(w);
      writeMultiHeader(w, OpCode.getData, false, -1);
      writePathWatchRequest(w, '/r1', false);
      writeMultiHeader(w, OpCode.getChildren, false, -1);
      writePathWatchRequest(w, '/r2', false);
      writeMultiHeader(w, -1, true, -1);
    },
  };

  for (const [name, body] of Object.entries(requests)) {
    it(`encodes ${name} byte for byte`, () => {
      expect(encode(body)).toBe(golden[name]);
    });
  }

  it('decodes Stat, ACL and ClientInfo', () => {
    expect(readStat(reader('stat'))).toEqual(sampleStat);
    expect(readAcl(reader('acl'))).toEqual(sampleAcls[1]);
    const ci = new JuteWriter();
    ci.writeInt(1);
    const r = new JuteReader(Buffer.concat([ci.toBuffer(), fixture('clientInfo')]));
    expect(readClientInfoVector(r)).toEqual([{ authScheme: 'ip', user: '127.0.0.1' }]);
  });

  it('decodes ConnectResponse with the readOnly flag', () => {
    expect(readConnectResponse(reader('connectResponse'))).toEqual({
      protocolVersion: 0,
      timeOutMs: 4000,
      sessionId: 0x1000001abcdef01n,
      passwd: samplePasswd,
      readOnly: true,
    });
  });

  it('decodes reply headers and a watcher event', () => {
    expect(readReplyHeader(reader('replyHeader'))).toEqual({ xid: -1, zxid: -1n, err: 0 });
    expect(readReplyHeader(reader('replyHeaderError'))).toEqual({
      xid: 77,
      zxid: 0x300000001n,
      err: -101,
    });
    const r = reader('watcherEvent');
    readReplyHeader(r);
    expect(readWatcherEvent(r)).toEqual({ type: 3, state: 3, path: '/a' });
  });

  it('decodes create, data, children, ACL and path responses', () => {
    expect(readPathResponse(reader('createResponse'))).toBe('/a/b-0000000007');
    expect(readCreate2Response(reader('create2Response'))).toEqual({
      path: '/a/b-0000000007',
      stat: sampleStat,
    });
    expect(readStat(reader('existsResponse'))).toEqual(sampleStat);
    expect(readStat(reader('setDataResponse'))).toEqual(sampleStat);
    expect(readStat(reader('setAclResponse'))).toEqual(sampleStat);
    expect(readGetDataResponse(reader('getDataResponse'))).toEqual({
      data: utf8('data'),
      stat: sampleStat,
    });
    expect(readGetDataResponse(reader('getDataResponseNull'))).toEqual({
      data: Buffer.alloc(0),
      stat: sampleStat,
    });
    expect(readGetChildren2Response(reader('getChildren2Response'))).toEqual({
      children: ['zookeeper', 'a', 'ü'],
      stat: sampleStat,
    });
    expect(readGetChildren2Response(reader('getChildrenResponseEmpty')).children).toEqual([]);
    expect(readGetAclResponse(reader('getAclResponse'))).toEqual({
      acl: sampleAcls,
      stat: sampleStat,
    });
    expect(readAclVector(new JuteReader(fixture('getAclResponse')))).toEqual(sampleAcls);
    expect(readPathResponse(reader('syncResponse'))).toBe('/a');
    expect(reader('errorResponse').readInt()).toBe(-101);
    expect(reader('getEphemeralsResponse').readStringVector('paths')).toEqual(['/e/1', '/e/2']);
    expect(readClientInfoVector(reader('whoAmIResponse'))).toEqual([
      { authScheme: 'ip', user: '127.0.0.1' },
      { authScheme: 'digest', user: 'alice' },
    ]);
    expect(reader('getAllChildrenNumberResponse').readInt()).toBe(42);
  });

  it('decodes multi responses: success, failure and multiRead', () => {
    const ok = readMultiResponse(reader('multiResponse'), (type, r) => {
      if (type === OpCode.create) return readPathResponse(r);
      if (type === OpCode.create2) return readCreate2Response(r);
      if (type === OpCode.setData) return readStat(r);
      return undefined;
    });
    expect(ok).toEqual([
      { type: OpCode.create, err: 0, value: '/m1' },
      { type: OpCode.create2, err: 0, value: { path: '/m2', stat: sampleStat } },
      { type: OpCode.delete, err: 0, value: undefined },
      { type: OpCode.setData, err: 0, value: sampleStat },
      { type: OpCode.check, err: 0, value: undefined },
    ]);
    const failed = readMultiResponse(reader('multiResponseFailed'), () => undefined);
    expect(failed.map((f) => f.err)).toEqual([0, -103, -2]);
    const read = readMultiResponse(reader('multiReadResponse'), (type, r) =>
      type === OpCode.getData ? readGetDataResponse(r) : r.readStringVector('children'),
    );
    expect(read).toEqual([
      { type: OpCode.getData, err: 0, value: { data: utf8('data'), stat: sampleStat } },
      { type: OpCode.getChildren, err: 0, value: ['x', 'y'] },
      { type: -1, err: -101, value: undefined },
    ]);
  });
});
