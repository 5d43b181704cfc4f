import { defaultSlot } from '../../../src/config/derive.ts';
import type { Lane } from './lane.ts';
import { kafkaOf } from './observer.ts';
import { jitter, sleep, type FaultRun, type Scenario } from './runner.ts';

/**
 * The fault scenarios. Each injects its faults while both dialects' sidecars
 * stream; the runner then checks the ledger against what Kafka holds.
 */

/** The fault has ended at the returned time. */
type Fault = () => Promise<number>;

async function pauseFor(run: FaultRun, service: 'kafka' | 'registry', ms: number): Promise<number> {
  run.stack.pause(service);
  await sleep(ms);
  run.stack.resume(service);
  return Date.now();
}

/** A new column on a workload table: the sidecar needs a new schema from the registry. */
async function alterTables(lanes: Lane[], round: number): Promise<void> {
  await Promise.all(lanes.map((lane) => lane.query(`ALTER TABLE fa ADD COLUMN extra_${round} int`)));
}

async function inject(run: FaultRun, fault: string, once: Fault): Promise<void> {
  await sleep(1_000 + jitter(run.timing));
  run.assertRunning();
  run.fault(fault);
  const endedAt = await once();
  await run.recovered(fault, endedAt);
  run.assertRunning();
}

export const kafkaPause: Scenario = {
  name: 'Kafka paused (SIGSTOP, then SIGCONT)',
  inject: (run) => inject(run, 'kafka-pause', () => pauseFor(run, 'kafka', run.timing.kafkaPauseMs)),
};

/** Kafka stopped cleanly, left down for `downMs`, then started again. */
const kafkaOutage = (name: string, fault: string, downMs: (run: FaultRun) => number): Scenario => ({
  name,
  inject: (run) =>
    inject(run, fault, async () => {
      await run.stack.down('kafka');
      await sleep(downMs(run));
      await run.stack.up('kafka');
      return Date.now();
    }),
});

export const kafkaRestart = kafkaOutage('Kafka stopped and restarted', 'kafka-restart', () => 0);
export const kafkaDown = kafkaOutage('Kafka down for a while', 'kafka-down', (run) => run.timing.kafkaDownMs);

export const registryPause: Scenario = {
  name: 'registry paused (SIGSTOP, then SIGCONT) while a table changes shape',
  inject: (run) =>
    inject(run, 'registry-pause', async () => {
      run.stack.pause('registry');
      await alterTables(run.lanes, 1);
      await sleep(run.timing.registryPauseMs);
      run.stack.resume('registry');
      return Date.now();
    }),
};

export const registryRestart: Scenario = {
  name: 'registry restarted while a table changes shape',
  inject: (run) =>
    inject(run, 'registry-restart', async () => {
      await run.stack.down('registry');
      await alterTables(run.lanes, 1);
      await run.stack.up('registry');
      return Date.now();
    }),
};

/** Postgres must finish a fast shutdown within this while the sidecar streams. */
export const PG_SHUTDOWN_LIMIT_MS = 10_000;

export const databaseRestart: Scenario = {
  name: 'database fast shutdown and restart',
  inject: (run) =>
    inject(run, 'database-restart', async () => {
      const took: Record<string, number> = {};
      let pgStopped = true;
      await Promise.all([
        (async () => {
          const start = Date.now();
          pgStopped = await run.stack.pgStop('fast', PG_SHUTDOWN_LIMIT_MS / 1000);
          took.postgres = Date.now() - start;
        })(),
        (async () => {
          const start = Date.now();
          await run.stack.down('mariadb');
          took.mariadb = Date.now() - start;
        })(),
      ]);
      run.note(`shutdown took: postgres ${took.postgres} ms, mariadb ${took.mariadb} ms`);
      if (!pgStopped) {
        await run.stack.pgStop('immediate', 30);
        throw new Error(
          `the Postgres fast shutdown did not finish within ${PG_SHUTDOWN_LIMIT_MS} ms with the sidecar streaming`,
        );
      }
      await sleep(1_000 + jitter(run.timing));
      await run.stack.up('postgres', 'mariadb');
      return Date.now();
    }),
};

/**
 * Ends the sidecar's replication connection from the server side, only this
 * lane's; with `all`, on Postgres, every connection of the sidecar to the
 * lane's database too (its catalog queries), as a failover would.
 */
async function killReplication(lane: Lane, all: boolean): Promise<boolean> {
  if (lane.dialect === 'postgres') {
    const rows = await lane.query<{ cut: boolean }>(
      all
        ? `SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity
            WHERE application_name = 'tributary' AND (datname = $2 OR pid = (SELECT active_pid FROM pg_replication_slots WHERE slot_name = $1))`
        : `SELECT pg_terminate_backend(active_pid) AS cut FROM pg_replication_slots
            WHERE slot_name = $1 AND active_pid IS NOT NULL AND $2::text IS NOT NULL`,
      [defaultSlot(lane.ctx.name), lane.ctx.name],
    );
    return rows.some((r) => r.cut);
  }
  // The private server has one binlog reader per MySQL lane; this lane's reads with its server id.
  const rows = await lane.query<{ Id: number; Command: string }>('SHOW PROCESSLIST');
  const dumps = rows.filter((r) => r.Command.startsWith('Binlog Dump'));
  for (const dump of dumps) await lane.query(`KILL ${Number(dump.Id)}`);
  return dumps.length > 0;
}

export const replicationKill: Scenario = {
  name: 'replication connection killed by the server (then, on Postgres, every sidecar connection)',
  inject: async (run) => {
    for (let round = 0; round < 2; round++) {
      await inject(run, 'replication-kill', async () => {
        for (const lane of run.lanes) {
          if (!(await killReplication(lane, round === 1)))
            throw new Error(`${lane.dialect}: no replication connection to kill`);
        }
        return Date.now();
      });
    }
  },
};

export const secondInstance: Scenario = {
  name: 'a second instance with the same connector name',
  inject: async (run) => {
    await sleep(1_000 + jitter(run.timing));
    run.fault('second-instance');
    await Promise.all(
      run.lanes.map(async (lane) => {
        const first = lane.sidecar;
        const second = await lane.spawn();
        const exit = await Promise.race([first.exited, second.exited, sleep(120_000).then(() => null)]);
        if (!exit) throw new Error(`${lane.dialect}: neither instance stopped within 120 s`);
        const [fenced, survivor] = first.exit ? [first, second] : [second, first];
        run.expectedExits.add(fenced.pid);
        const lines = fenced.logLines(/fenced/);
        if (fenced.exit!.code === 0 || lines.length === 0)
          throw new Error(
            `${lane.dialect}: the fenced instance exited ${fenced.exit!.code} without saying why:\n${fenced.logTail()}`,
          );
        run.note(
          `${lane.dialect}: ${first === fenced ? 'the first' : 'the second'} instance was fenced and exited ${fenced.exit!.code}`,
        );
        lane.sidecar = survivor;
        await run.recovered('second-instance', fenced.exit!.at, [lane]);
      }),
    );
  },
};

/** Kills the lane's sidecar and starts another; returns when the new one runs. */
async function killAndRestart(run: FaultRun, lane: Lane): Promise<void> {
  run.expectedExits.add(lane.sidecar.pid);
  lane.sidecar.kill('SIGKILL');
  await lane.sidecar.exited;
  run.fault('sidecar-sigkill');
  await lane.start();
}

export const sidecarKills: Scenario = {
  name: 'SIGKILLs of the sidecar at random moments, during a snapshot and while streaming',
  lane: (timing) => ({
    bigRows: timing.bigRows,
    // Small chunks: many commits of snapshot progress, so kills land between and inside them.
    overrides: { source: { snapshot: { chunkSize: Math.max(500, Math.floor(timing.bigRows / 100)) } } },
  }),
  duringSnapshot: async (run) => {
    await Promise.all(
      run.lanes.map(async (lane) => {
        let kills = 0;
        while (lane.snapshotReads() < lane.loadedRows && kills < run.timing.kills / 2) {
          // Let it resume and commit some progress, then kill it at a random moment.
          const reads = lane.snapshotReads();
          await lane.observer.waitFor(
            () => lane.snapshotReads() > reads,
            120_000,
            `${lane.dialect} snapshot progress`,
          );
          await sleep(Math.random() * 800);
          if (lane.snapshotReads() >= lane.loadedRows) break;
          await killAndRestart(run, lane);
          kills += 1;
        }
        run.note(`${lane.dialect}: ${kills} SIGKILLs during the snapshot of ${lane.loadedRows} rows`);
      }),
    );
  },
  inject: async (run) => {
    await Promise.all(
      run.lanes.map(async (lane) => {
        // The kills during the snapshot count too.
        for (let kill = lane.sidecars.length - 1; kill < run.timing.kills; kill++) {
          await sleep(300 + Math.random() * 2_500);
          await killAndRestart(run, lane);
          await run.recovered('sidecar-sigkill', lane.sidecar.startedAt, [lane]);
        }
      }),
    );
  },
};

export const leaderKill: Scenario = {
  name: '3-broker cluster: the leader of the captured partitions killed mid-stream',
  inject: async (run) => {
    await sleep(1_000 + jitter(run.timing));
    const admin = kafkaOf(run.stack.env).admin();
    await admin.connect();
    let leader: number;
    try {
      const topics = run.lanes.flatMap((lane) => lane.topics);
      const metadata = await admin.fetchTopicMetadata({ topics });
      const leads = new Map<number, number>();
      for (const topic of metadata.topics)
        for (const p of topic.partitions) leads.set(p.leader, (leads.get(p.leader) ?? 0) + 1);
      leader = [...leads.entries()].sort((a, b) => b[1] - a[1])[0]![0];
      run.note(`broker ${leader} led ${leads.get(leader)} of ${topics.length} captured partitions`);
    } finally {
      await admin.disconnect();
    }
    run.fault('broker-kill');
    const killedAt = Date.now();
    await run.stack.kill(run.stack.broker(leader));
    // The others carry on: the recovery counts from the kill.
    await run.recovered('broker-kill', killedAt);
    await sleep(run.timing.kafkaDownMs);
    run.assertRunning();
    await run.stack.up(run.stack.broker(leader));
  },
};

export const SCENARIOS = {
  kafkaPause,
  kafkaRestart,
  kafkaDown,
  registryPause,
  registryRestart,
  databaseRestart,
  replicationKill,
  secondInstance,
  sidecarKills,
  leaderKill,
};
