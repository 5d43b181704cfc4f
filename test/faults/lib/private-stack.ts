import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { StackEnv } from '../../harness/stack.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const STACK_SCRIPT = join(ROOT, 'scripts/stack.sh');
const run = promisify(execFile);

export type Service = 'postgres' | 'mariadb' | 'kafka' | 'kafka1' | 'kafka2' | 'kafka3' | 'registry';

/** Port offsets from a stack's base port (Kafka brokers take base..base+5). */
const OFFSETS = { registry: 10, postgres: 11, mariadb: 12 } as const;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free TCP port on 127.0.0.1 (for a sidecar's HTTP endpoints). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function freeBase(): Promise<number> {
  for (;;) {
    // Below Linux's ephemeral range (32768 up): a port of a server the test
    // stops must not be taken meanwhile by some client's outgoing connection.
    const base = 20_000 + 20 * Math.floor(Math.random() * 600);
    const ports = [0, 1, 2, 3, 4, 5, ...Object.values(OFFSETS)].map((offset) => base + offset);
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
  }
}

/**
 * A stack of the test's own (scripts/stack.sh with another STACK_DIR and
 * other ports), whose servers the test may stop, pause and kill without
 * disturbing the shared stack other tests run on.
 */
export class PrivateStack implements AsyncDisposable {
  readonly env: StackEnv;
  readonly kafkaNodes: 1 | 3;
  private readonly dir: string;
  private readonly vars: NodeJS.ProcessEnv;
  private readonly paused = new Set<Service>();

  private constructor(dir: string, base: number, kafkaNodes: 1 | 3) {
    this.dir = dir;
    this.kafkaNodes = kafkaNodes;
    this.vars = {
      ...process.env,
      STACK_DIR: dir,
      STACK_CACHE_DIR: join(ROOT, '.stack-cache'),
      STACK_KAFKA_PORT: String(base),
      STACK_KAFKA_NODES: String(kafkaNodes),
      STACK_REGISTRY_PORT: String(base + OFFSETS.registry),
      STACK_PG_PORT: String(base + OFFSETS.postgres),
      STACK_MYSQL_PORT: String(base + OFFSETS.mariadb),
      // Modest heaps: several stacks may run at once on a small machine.
      STACK_KAFKA_HEAP: '320m',
      STACK_REGISTRY_HEAP: '192m',
    };
    const brokers = Array.from({ length: kafkaNodes }, (_, i) => `127.0.0.1:${base + 2 * i}`);
    this.env = {
      kafkaBrokers: brokers,
      registryUrl: `http://127.0.0.1:${base + OFFSETS.registry}/apis/ccompat/v7`,
      pgUrl: `postgres://tributary:tributary@127.0.0.1:${base + OFFSETS.postgres}/tributary`,
      mysqlUrl: `mysql://tributary:tributary@127.0.0.1:${base + OFFSETS.mariadb}/tributary`,
    };
  }

  /** Starts the given services (all by default) of a new stack. */
  static async start(options: { services?: Service[]; kafkaNodes?: 1 | 3 } = {}): Promise<PrivateStack> {
    const parent = join(ROOT, '.stack-faults');
    mkdirSync(parent, { recursive: true });
    const dir = join(parent, `${process.pid}-${Date.now().toString(36)}`);
    mkdirSync(dir);
    // The database servers run as their own users and must reach their directories.
    chmodSync(parent, 0o755);
    chmodSync(dir, 0o755);
    const stack = new PrivateStack(dir, await freeBase(), options.kafkaNodes ?? 1);
    try {
      await stack.up(...(options.services ?? []));
    } catch (error) {
      await stack[Symbol.asyncDispose]();
      throw error;
    }
    return stack;
  }

  /** `stack.sh up` for some services (a no-op for those running). */
  async up(...services: Service[]): Promise<void> {
    await this.script('up', services);
  }

  /** `stack.sh down`: a clean stop (Postgres: a fast shutdown). */
  async down(...services: Service[]): Promise<void> {
    for (const service of services) this.resume(service);
    await this.script('down', services);
  }

  /** The Kafka services, one per broker. */
  get brokers(): Service[] {
    return this.kafkaNodes === 1 ? ['kafka'] : ['kafka1', 'kafka2', 'kafka3'];
  }

  /** The service of the broker with this node id. */
  broker(nodeId: number): Service {
    return this.kafkaNodes === 1 ? 'kafka' : (`kafka${nodeId}` as Service);
  }

  /** The pid of a service's server process (Postgres: the postmaster). */
  pid(service: Service): number {
    // The pid file's first line (the second is the process's start time).
    const pid = Number(readFileSync(join(this.dir, service, 'pid'), 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no pid for ${service}`);
    return pid;
  }

  /** SIGSTOP: the server keeps its sockets open and stops answering. */
  pause(service: Service): void {
    process.kill(this.pid(service), 'SIGSTOP');
    this.paused.add(service);
  }

  resume(service: Service): void {
    if (!this.paused.delete(service)) return;
    try {
      process.kill(this.pid(service), 'SIGCONT');
    } catch {
      // already gone
    }
  }

  /** SIGKILL, as a crash or a lost machine would; waits until the process is gone. */
  async kill(service: Service): Promise<void> {
    const pid = this.pid(service);
    this.paused.delete(service);
    process.kill(pid, 'SIGKILL');
    while (alive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  /** A server's log file, for reports. */
  logPath(service: Service): string {
    const file = service.startsWith('kafka') ? 'kafka.log' : service === 'registry' ? 'registry.log' : '';
    return join(this.dir, service, file);
  }

  /**
   * `pg_ctl stop` in a shutdown mode, waiting at most `timeoutS`; returns
   * whether the server stopped in time (pg_ctl then reports it as stopped).
   */
  async pgStop(mode: 'smart' | 'fast' | 'immediate', timeoutS: number): Promise<boolean> {
    const { stdout: bin } = await run('bash', [
      '-c',
      'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1',
    ]);
    const data = join(this.dir, 'postgres', 'data');
    try {
      await run('runuser', [
        '-u',
        'postgres',
        '--',
        `${bin.trim()}/pg_ctl`,
        '-D',
        data,
        '-m',
        mode,
        '-w',
        '-t',
        String(timeoutS),
        'stop',
      ]);
      return true;
    } catch {
      return false;
    }
  }

  private async script(command: 'up' | 'down', services: Service[]): Promise<void> {
    try {
      await run('bash', [STACK_SCRIPT, command, ...services], { env: this.vars, timeout: 300_000 });
    } catch (error) {
      const { stderr } = error as { stderr?: string };
      throw new Error(`stack.sh ${command} ${services.join(' ')} failed: ${stderr ?? String(error)}`, {
        cause: error,
      });
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const service of [...this.paused]) this.resume(service);
    await this.script('down', []).catch(() => {});
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
