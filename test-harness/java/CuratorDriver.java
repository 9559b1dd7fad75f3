// Drives real Apache Curator recipes for zookit's interop tests. Commands arrive on stdin, one per line;
// events leave on stdout as JSON lines. Each named recipe gets its own single-thread executor because
// Curator's locks are owned by the thread that acquired them. The process exits when stdin closes, so it
// never outlives the test that started it.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.LeaderSelector;
import org.apache.curator.framework.recipes.leader.LeaderSelectorListenerAdapter;
import org.apache.curator.framework.recipes.locks.InterProcessLock;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessReadWriteLock;
import org.apache.curator.framework.recipes.locks.InterProcessSemaphoreMutex;
import org.apache.curator.framework.recipes.shared.SharedCount;
import org.apache.curator.retry.ExponentialBackoffRetry;

public final class CuratorDriver {
  private static final Object OUT = new Object();
  private static final Map<String, Object> recipes = new ConcurrentHashMap<>();
  private static final Map<String, ExecutorService> executors = new ConcurrentHashMap<>();
  private static final Map<String, CountDownLatch> selectorReleases = new ConcurrentHashMap<>();

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  static void emit(String ev, String name, String extra) {
    String line = "{\"ev\":" + quote(ev) + ",\"name\":" + quote(name) + ",\"t\":" + System.nanoTime()
        + (extra.isEmpty() ? "" : "," + extra) + "}";
    synchronized (OUT) {
      System.out.println(line);
      System.out.flush();
    }
  }

  static ExecutorService executor(String name) {
    return executors.computeIfAbsent(name, n -> Executors.newSingleThreadExecutor());
  }

  static void run(String name, ThrowingRunnable r) {
    executor(name).submit(() -> {
      try {
        r.run();
      } catch (Throwable e) {
        emit("error", name, "\"message\":" + quote(String.valueOf(e)));
      }
    });
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    String connectString = args[0];
    int sessionTimeoutMs = args.length > 1 ? Integer.parseInt(args[1]) : 10000;
    CuratorFramework client = CuratorFrameworkFactory.builder().connectString(connectString)
        .sessionTimeoutMs(sessionTimeoutMs).connectionTimeoutMs(Math.min(sessionTimeoutMs, 15000))
        .retryPolicy(new ExponentialBackoffRetry(100, 5)).build();
    client.getConnectionStateListenable().addListener((c, s) -> emit("state", "", "\"state\":" + quote(s.name())));
    client.start();
    if (!client.blockUntilConnected(30, TimeUnit.SECONDS)) throw new IllegalStateException("no connection");
    emit("ready", "", "\"sessionId\":" + quote(Long.toHexString(client.getZookeeperClient().getZooKeeper().getSessionId())));

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] p = line.trim().split(" ");
      if (p.length == 0 || p[0].isEmpty()) continue;
      String cmd = p[0];
      if (cmd.equals("quit")) break;
      String name = p.length > 1 ? p[1] : "";
      switch (cmd) {
        case "latch": {
          // latch <name> <path> <participantId>
          run(name, () -> {
            LeaderLatch latch = new LeaderLatch(client, p[2], p[3]);
            latch.addListener(new LeaderLatchListener() {
              public void isLeader() { emit("leader", name, "\"isLeader\":true"); }
              public void notLeader() { emit("leader", name, "\"isLeader\":false"); }
            });
            recipes.put(name, latch);
            latch.start();
            emit("started", name, "");
          });
          break;
        }
        case "latch-close":
          run(name, () -> {
            LeaderLatch latch = (LeaderLatch) recipes.remove(name);
            // close() is SILENT (no notLeader call), so report whether this latch led until now and when
            // it gave up: closeCalledT, just before close(). Curator's close() sends the delete of its node
            // before it clears hasLeadership, so the event's own t (after close() returned) can be later
            // than the successor's start: that window is Curator's, not the successor's.
            boolean wasLeader = latch.hasLeadership();
            long closeCalledT = System.nanoTime();
            latch.close();
            emit("closed", name, "\"wasLeader\":" + wasLeader + ",\"closeCalledT\":" + closeCalledT);
          });
          break;
        case "selector": {
          // selector <name> <path> <participantId>: leads until "selector-release <name>"
          run(name, () -> {
            LeaderSelector selector = new LeaderSelector(client, p[2], new LeaderSelectorListenerAdapter() {
              public void takeLeadership(CuratorFramework c) throws Exception {
                CountDownLatch release = new CountDownLatch(1);
                selectorReleases.put(name, release);
                emit("leader", name, "\"isLeader\":true");
                try {
                  release.await();
                } finally {
                  emit("leader", name, "\"isLeader\":false");
                }
              }
            });
            selector.setId(p[3]);
            selector.autoRequeue();
            recipes.put(name, selector);
            selector.start();
            emit("started", name, "");
          });
          break;
        }
        case "selector-release": {
          CountDownLatch release = selectorReleases.remove(name);
          if (release != null) release.countDown();
          break;
        }
        case "selector-close":
          run(name + "#close", () -> {
            ((LeaderSelector) recipes.remove(name)).close();
            emit("closed", name, "");
          });
          break;
        case "mutex":
        case "rw-read":
        case "rw-write":
        case "semaphore-mutex": {
          // <kind> <name> <path>: creates the lock; then "acquire <name> <timeoutMs>" / "release <name>"
          run(name, () -> {
            InterProcessLock lock;
            if (cmd.equals("mutex")) lock = new InterProcessMutex(client, p[2]);
            else if (cmd.equals("semaphore-mutex")) lock = new InterProcessSemaphoreMutex(client, p[2]);
            else {
              InterProcessReadWriteLock rw = new InterProcessReadWriteLock(client, p[2]);
              lock = cmd.equals("rw-read") ? rw.readLock() : rw.writeLock();
            }
            recipes.put(name, lock);
            emit("created", name, "");
          });
          break;
        }
        case "acquire":
          run(name, () -> {
            boolean ok = ((InterProcessLock) recipes.get(name)).acquire(Long.parseLong(p[2]), TimeUnit.MILLISECONDS);
            emit("acquired", name, "\"ok\":" + ok);
          });
          break;
        case "release":
          run(name, () -> {
            ((InterProcessLock) recipes.get(name)).release();
            emit("released", name, "");
          });
          break;
        case "count-set": {
          // count-set <name> <path> <value>: SharedCount.setCount, reports the value read back
          run(name, () -> {
            SharedCount count = new SharedCount(client, p[2], 0);
            count.start();
            count.setCount(Integer.parseInt(p[3]));
            emit("count", name, "\"value\":" + count.getCount());
            count.close();
          });
          break;
        }
        case "count-get": {
          run(name, () -> {
            SharedCount count = new SharedCount(client, p[2], 0);
            count.start();
            emit("count", name, "\"value\":" + count.getCount());
            count.close();
          });
          break;
        }
        default:
          emit("error", name, "\"message\":" + quote("unknown command " + cmd));
      }
    }
    for (CountDownLatch release : selectorReleases.values()) release.countDown();
    for (ExecutorService e : executors.values()) e.shutdownNow();
    client.close();
    emit("exit", "", "");
    System.exit(0);
  }
}
