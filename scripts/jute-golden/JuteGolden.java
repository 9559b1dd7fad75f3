// Writes golden jute encodings of every record zookit's wire client uses, produced by ZooKeeper's own
// generated Java classes, as JSON ({ "name": "hex", ... }) on stdout. The TypeScript codec tests compare
// their bytes with these. Sample values are fixed and mirrored in packages/client/test/wire/golden-samples.ts.
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.MultiOperationRecord;
import org.apache.zookeeper.MultiResponse;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.*;

public class JuteGolden {
  interface Body { void write(BinaryOutputArchive a) throws Exception; }

  static final Map<String, String> out = new LinkedHashMap<>();

  static void put(String name, Body body) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryOutputArchive a = BinaryOutputArchive.getArchive(bytes);
    body.write(a);
    StringBuilder hex = new StringBuilder();
    for (byte b : bytes.toByteArray()) hex.append(String.format("%02x", b & 0xff));
    out.put(name, hex.toString());
  }

  static void rec(String name, Record... records) throws Exception {
    put(name, a -> { for (Record r : records) r.serialize(a, "r"); });
  }

  static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

  public static void main(String[] args) throws Exception {
    Stat stat = new Stat(0x100000002L, 0x100000003L, 1700000000123L, 1700000000456L, 3, 4, 5,
        0x1000001abcdef01L, 5, 2, 0x7fffffff00000001L);
    List<ACL> acls = Arrays.asList(new ACL(31, new Id("world", "anyone")), new ACL(1, new Id("digest", "alice:x/Y=")));
    byte[] passwd = new byte[16];
    for (int i = 0; i < 16; i++) passwd[i] = (byte) (i * 17);

    rec("stat", stat);
    rec("acl", acls.get(1));
    rec("clientInfo", new ClientInfo("ip", "127.0.0.1"));
    put("connectRequest", a -> {
      new ConnectRequest(0, 0x200000005L, 10000, 0x1000001abcdef01L, passwd).serialize(a, "c");
      a.writeBool(true, "readOnly");
    });
    put("connectRequestFresh", a -> {
      new ConnectRequest(0, 0L, 30000, 0L, new byte[16]).serialize(a, "c");
      a.writeBool(false, "readOnly");
    });
    put("connectResponse", a -> {
      new ConnectResponse(0, 4000, 0x1000001abcdef01L, passwd).serialize(a, "c");
      a.writeBool(true, "readOnly");
    });
    rec("requestHeader", new RequestHeader(2147483647, 4));
    rec("replyHeader", new ReplyHeader(-1, -1L, 0));
    rec("replyHeaderError", new ReplyHeader(77, 0x300000001L, -101));
    rec("createRequest", new RequestHeader(1, 1), new CreateRequest("/a/b-", utf8("héllo"), acls, 3));
    rec("createRequestNullData", new RequestHeader(2, 15), new CreateRequest("/n", null, acls.subList(0, 1), 0));
    rec("createTtlRequest", new RequestHeader(3, 21), new CreateTTLRequest("/ttl", utf8("x"), acls.subList(0, 1), 5, 60000L));
    rec("createContainerRequest", new RequestHeader(4, 19), new CreateRequest("/c", new byte[0], acls.subList(0, 1), 4));
    rec("createResponse", new CreateResponse("/a/b-0000000007"));
    rec("create2Response", new Create2Response("/a/b-0000000007", stat));
    rec("deleteRequest", new RequestHeader(5, 2), new DeleteRequest("/a", 7));
    rec("existsRequest", new RequestHeader(6, 3), new ExistsRequest("/a", true));
    rec("existsResponse", new ExistsResponse(stat));
    rec("getDataRequest", new RequestHeader(7, 4), new GetDataRequest("/a", false));
    rec("getDataResponse", new GetDataResponse(utf8("data"), stat));
    rec("getDataResponseNull", new GetDataResponse(null, stat));
    rec("setDataRequest", new RequestHeader(8, 5), new SetDataRequest("/a", utf8("new"), -1));
    rec("setDataResponse", new SetDataResponse(stat));
    rec("getChildren2Request", new RequestHeader(9, 12), new GetChildren2Request("/", true));
    rec("getChildren2Response", new GetChildren2Response(Arrays.asList("zookeeper", "a", "ü"), stat));
    rec("getChildrenResponseEmpty", new GetChildren2Response(new ArrayList<>(), stat));
    rec("getAclRequest", new RequestHeader(10, 6), new GetACLRequest("/a"));
    rec("getAclResponse", new GetACLResponse(acls, stat));
    rec("setAclRequest", new RequestHeader(11, 7), new SetACLRequest("/a", acls, 2));
    rec("setAclResponse", new SetACLResponse(stat));
    rec("syncRequest", new RequestHeader(12, 9), new SyncRequest("/a"));
    rec("syncResponse", new SyncResponse("/a"));
    rec("pingRequest", new RequestHeader(-2, 11));
    rec("closeSessionRequest", new RequestHeader(13, -11));
    rec("authPacket", new RequestHeader(-4, 100), new AuthPacket(0, "digest", utf8("alice:secret")));
    rec("setWatches", new RequestHeader(14, 101), new SetWatches(0x200000005L,
        Arrays.asList("/d1", "/d2"), Arrays.asList("/e1"), Arrays.asList("/c1")));
    rec("setWatches2", new RequestHeader(15, 105), new SetWatches2(0x200000005L,
        Arrays.asList("/d1"), Arrays.asList("/e1"), Arrays.asList("/c1"), Arrays.asList("/p1"), Arrays.asList("/r1", "/r2")));
    rec("watcherEvent", new ReplyHeader(-1, -1L, 0), new WatcherEvent(3, 3, "/a"));
    rec("addWatchRequest", new RequestHeader(16, 106), new AddWatchRequest("/w", 1));
    rec("removeWatchesRequest", new RequestHeader(17, 18), new RemoveWatchesRequest("/w", 3));
    rec("checkWatchesRequest", new RequestHeader(18, 17), new CheckWatchesRequest("/w", 2));
    rec("errorResponse", new ErrorResponse(-101));
    rec("getEphemeralsRequest", new RequestHeader(19, 103), new GetEphemeralsRequest("/e"));
    rec("getEphemeralsResponse", new GetEphemeralsResponse(Arrays.asList("/e/1", "/e/2")));
    rec("whoAmIRequest", new RequestHeader(20, 107));
    rec("whoAmIResponse", new WhoAmIResponse(Arrays.asList(new ClientInfo("ip", "127.0.0.1"), new ClientInfo("digest", "alice"))));
    rec("getAllChildrenNumberRequest", new RequestHeader(21, 104), new GetAllChildrenNumberRequest("/a"));
    rec("getAllChildrenNumberResponse", new GetAllChildrenNumberResponse(42));
    rec("reconfigRequest", new RequestHeader(22, 16), new ReconfigRequest("server.4=127.0.0.1:2888:3888;2181", "3", null, -1L));
    rec("getConfigRequest", new RequestHeader(23, 4), new GetDataRequest("/zookeeper/config", true));

    // Multi as Java's public API writes it: create(1) / container(19) / TTL(21) / delete / setData / check.
    MultiOperationRecord multi = new MultiOperationRecord(Arrays.asList(
        Op.create("/m1", utf8("a"), acls.subList(0, 1), CreateMode.PERSISTENT),
        Op.create("/m2", null, acls.subList(0, 1), CreateMode.CONTAINER),
        Op.create("/m3", utf8("t"), acls.subList(0, 1), CreateMode.PERSISTENT_WITH_TTL, 5000L),
        Op.delete("/m4", 2),
        Op.setData("/m5", utf8("s"), -1),
        Op.check("/m6", 9)));
    rec("multiRequest", new RequestHeader(24, 14), multi);
    // zookit sends plain creates inside multi as create2 (15) to get the stat back.
    put("multiRequestCreate2", a -> {
      new RequestHeader(25, 14).serialize(a, "h");
      new MultiHeader(15, false, -1).serialize(a, "m");
      new CreateRequest("/m1", utf8("a"), acls.subList(0, 1), 2).serialize(a, "r");
      new MultiHeader(-1, true, -1).serialize(a, "m");
    });
    MultiOperationRecord multiRead = new MultiOperationRecord(Arrays.asList(Op.getData("/r1"), Op.getChildren("/r2")));
    rec("multiReadRequest", new RequestHeader(26, 22), multiRead);

    MultiResponse ok = new MultiResponse();
    ok.add(new OpResult.CreateResult("/m1"));
    ok.add(new OpResult.CreateResult("/m2", stat));
    ok.add(new OpResult.DeleteResult());
    ok.add(new OpResult.SetDataResult(stat));
    ok.add(new OpResult.CheckResult());
    rec("multiResponse", ok);
    MultiResponse failed = new MultiResponse();
    failed.add(new OpResult.ErrorResult(0));
    failed.add(new OpResult.ErrorResult(-103));
    failed.add(new OpResult.ErrorResult(-2));
    rec("multiResponseFailed", failed);
    MultiResponse read = new MultiResponse();
    read.add(new OpResult.GetDataResult(utf8("data"), stat));
    read.add(new OpResult.GetChildrenResult(Arrays.asList("x", "y")));
    read.add(new OpResult.ErrorResult(-101));
    rec("multiReadResponse", read);

    StringBuilder json = new StringBuilder("{\n");
    int i = 0;
    for (Map.Entry<String, String> e : out.entrySet()) {
      json.append("  \"").append(e.getKey()).append("\": \"").append(e.getValue()).append('"');
      json.append(++i < out.size() ? ",\n" : "\n");
    }
    json.append("}\n");
    System.out.print(json);
  }
}
