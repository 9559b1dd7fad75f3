/**
 * A service that does its work only while it leads.
 *
 *   node --conditions=source --import tsx main.ts [connectString]
 *
 * With no connect string it starts its own local ZooKeeper. It runs three participants (one session each)
 * in this process, prints every `leadership$` change, lets the leader process a few jobs, then makes the
 * leader leave twice — once politely (`latch.close()`), once by closing its whole framework (as a crash
 * would) — and shows who takes over and how fast. Then it stops everything and exits 0.
 */
import { createFramework } from '@zookit/framework';
import type { ZkFramework } from '@zookit/framework';
import { LeaderLatch } from '@zookit/leader';
import { ZkEnsemble } from '@zookit/test-harness';
import type { Subscription } from 'rxjs';

const JOB_INTERVAL_MS = 100;
const JOBS_PER_TERM = 3;

/** One service instance: a framework, a latch, and work that runs only while the latch leads. */
class Service {
  readonly name: string;
  readonly zk: ZkFramework;
  readonly latch: LeaderLatch;
  jobs = 0;
  #timer: NodeJS.Timeout | undefined;
  #subscription: Subscription | undefined;
  #onJob: (() => void) | undefined;

  constructor(name: string, connectString: string, started: number) {
    this.name = name;
    this.zk = createFramework({
      connectString,
      namespace: 'zookit-example',
      sessionTimeoutMs: 10_000,
    });
    this.latch = new LeaderLatch(this.zk, '/leader-election', { id: name });
    this.#subscription = this.latch.leadership$.subscribe({
      next: (leading) => {
        const t = (performance.now() - started).toFixed(1).padStart(7);
        console.log(`${t} ms  ${name}  leadership$ → ${leading}`);
        if (leading) this.#startWork();
        else this.#stopWork();
      },
      complete: () => this.#stopWork(), // a closed latch leads no more
    });
  }

  async start(): Promise<void> {
    await this.zk.start();
    await this.zk.waitForConnection({ timeoutMs: 10_000 });
    await this.latch.start();
  }

  /** Resolves after this instance has processed `count` more jobs as leader. */
  processJobs(count: number): Promise<void> {
    const target = this.jobs + count;
    return new Promise((resolve) => {
      this.#onJob = () => {
        if (this.jobs >= target) resolve();
      };
    });
  }

  async stop(): Promise<void> {
    await this.latch.close();
    this.#subscription?.unsubscribe();
    await this.zk.close();
  }

  #startWork(): void {
    const token = this.latch.fencingToken;
    this.#timer = setInterval(() => {
      // Work happens only while we still lead: a real job would pass the fencing token to its store.
      if (!this.latch.hasLeadership()) return;
      this.jobs++;
      console.log(
        `           ${this.name}  processed job #${this.jobs} (fencing token ${String(token)})`,
      );
      this.#onJob?.();
    }, JOB_INTERVAL_MS);
  }

  #stopWork(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** Resolves with the participant that leads, as soon as one does (no polling). */
function currentLeader(services: readonly Service[]): Promise<Service> {
  return new Promise((resolve) => {
    const offs: (() => void)[] = [];
    const check = (): void => {
      const leader = services.find((s) => s.latch.hasLeadership());
      if (leader === undefined) return;
      for (const off of offs) off();
      resolve(leader);
    };
    for (const s of services) offs.push(s.latch.onLeadershipChange(check));
    check();
  });
}

async function handover(
  label: string,
  services: Service[],
  leave: (leader: Service) => Promise<void>,
): Promise<void> {
  const leader = await currentLeader(services);
  const others = services.filter((s) => s !== leader);
  const offs: (() => void)[] = [];
  const next = new Promise<{ service: Service; at: number }>((resolve) => {
    for (const s of others) {
      offs.push(
        s.latch.onLeadershipChange((leading) => {
          if (leading) resolve({ service: s, at: performance.now() });
        }),
      );
    }
  });
  console.log(`\n--- ${label}: ${leader.name} leaves ---`);
  const t0 = performance.now();
  await leave(leader);
  const { service, at } = await next;
  for (const off of offs) off();
  console.log(
    `--- ${service.name} took over ${(at - t0).toFixed(2)} ms after ${leader.name} started to leave ---\n`,
  );
  services.splice(services.indexOf(leader), 1);
  await service.processJobs(JOBS_PER_TERM);
}

const given = process.argv[2];
const ensemble = given === undefined ? await ZkEnsemble.start({ servers: 1 }) : undefined;
const connectString = given ?? ensemble?.connectString ?? '';
console.log(
  given === undefined
    ? `started a local ZooKeeper at ${connectString}`
    : `using ZooKeeper at ${connectString}`,
);

const started = performance.now();
const services = ['node-1', 'node-2', 'node-3'].map(
  (name) => new Service(name, connectString, started),
);
const all = [...services];
try {
  for (const s of services) await s.start();
  const first = await currentLeader(services);
  await first.processJobs(JOBS_PER_TERM);
  const participants = await first.latch.getParticipants();
  console.log(
    `participants: ${participants.map((p) => `${p.id}${p.isLeader ? ' (leader)' : ''}`).join(', ')}`,
  );

  await handover('graceful', services, (leader) => leader.latch.close({ notifyLeader: true }));
  await handover('crash-like', services, (leader) => leader.zk.close());

  const jobs = all.map((s) => `${s.name}=${s.jobs}`).join(', ');
  console.log(`jobs processed per instance: ${jobs}`);
} finally {
  for (const s of all) await s.stop();
  await ensemble?.close();
}
console.log('done');
