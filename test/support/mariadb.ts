/**
 * A throwaway MariaDB server for tests: its own data dir under the OS temp dir, its own
 * port on 127.0.0.1, root without a password. Start ONE per test file (in `before`) and
 * stop it in `after`: stop() kills the server and removes the data dir.
 *
 *   const db = await startMariaDb();
 *   await db.sql('CREATE DATABASE k; CREATE TABLE k.t (id INT)');
 *   const url = db.url('k');            // mysql://root@127.0.0.1:<port>/k
 *   await db.stop();
 *
 * Needs Debian's mariadb-server (`bash scripts/setup-machine.sh` as root installs it).
 * Startup is ~0.5 s: the system tables are bootstrapped straight from the SQL files that
 * mariadb-install-db uses, minus the help tables, GIS procedures and sys schema that
 * mariadb-install-db also loads (~3 s more); `install: 'install-db'` runs the real thing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';

export interface MariaDbBinaries {
  /** mariadbd (or mysqld). */
  readonly server: string;
  /** mariadb-install-db (or mysql_install_db), if present. */
  readonly installDb: string | undefined;
  /** Folder holding mysql_system_tables.sql & co., if present. */
  readonly sqlDir: string | undefined;
}

export interface StartOptions {
  /** `auto` (default): bootstrap from the SQL files when found, else mariadb-install-db. */
  readonly install?: 'auto' | 'bootstrap' | 'install-db';
  /** Give up waiting for the server after this long. Default 60 s (2 shared cores). */
  readonly timeoutMs?: number;
}

export interface ThrowawayMariaDb {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: 'root';
  readonly socketPath: string;
  /** Temp folder holding data/, the socket and the pid file; removed by stop(). */
  readonly baseDir: string;
  readonly version: string;
  /** How the system tables were made. */
  readonly install: 'bootstrap' | 'install-db';
  /** Wall time of start, install included. */
  readonly startupMs: number;
  /** `mysql://root@127.0.0.1:<port>/<database>` (no database part when omitted). */
  url(database?: string): string;
  /** Runs one or more `;`-separated statements as root. */
  sql(statements: string, values?: unknown[]): Promise<unknown>;
  /** Kills the server and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

const SEARCH_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/bin', '/usr/local/bin', '/usr/libexec'];
const SETUP_HINT = 'install it with `sudo bash scripts/setup-machine.sh` (Debian package mariadb-server)';

function which(names: readonly string[]): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean), ...SEARCH_DIRS];
  for (const name of names) for (const d of dirs) if (existsSync(join(d, name))) return join(d, name);
  return undefined;
}

/** Finds the MariaDB (or MySQL) server binaries; undefined when none is installed. */
export function findMariaDb(): MariaDbBinaries | undefined {
  const server = which(['mariadbd', 'mysqld']);
  if (!server) return undefined;
  const share = join(dirname(dirname(server)), 'share');
  const sqlDir = [join(share, 'mariadb'), join(share, 'mysql'), '/usr/share/mariadb', '/usr/share/mysql'].find((d) =>
    existsSync(join(d, 'mysql_system_tables.sql')),
  );
  return { server, installDb: which(['mariadb-install-db', 'mysql_install_db']), sqlDir };
}

// Durability off, small buffers: a test server holds a few rows and dies with the test.
const FAST = [
  '--innodb-buffer-pool-size=16M',
  '--innodb-log-file-size=8M',
  '--innodb-flush-log-at-trx-commit=0',
  '--innodb-doublewrite=0',
  '--innodb-flush-method=nosync',
  '--innodb-use-native-aio=0',
  '--skip-name-resolve',
];

const asRoot = (): string[] => (process.getuid?.() === 0 ? ['--user=root'] : []);

/** Starts a server; see the file comment. Throws with the server's last log lines on failure. */
export async function startMariaDb(options: StartOptions = {}): Promise<ThrowawayMariaDb> {
  const started = performance.now();
  const bins = findMariaDb();
  if (!bins) throw new Error(`no mariadbd or mysqld found: ${SETUP_HINT}`);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const baseDir = await mkdtemp(join(tmpdir(), 'ph-mariadb-'));
  const cleanupOnExit = (): void => rmSync(baseDir, { recursive: true, force: true });
  process.once('exit', cleanupOnExit);
  const dataDir = join(baseDir, 'data');
  const socketPath = join(baseDir, 'sock');
  let child: ChildProcess | undefined;
  const killOnExit = (): void => void child?.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    await mkdir(dataDir);
    const want = options.install ?? 'auto';
    const install = want === 'auto' ? (bins.sqlDir ? 'bootstrap' : 'install-db') : want;
    if (install === 'bootstrap') await bootstrap(bins, dataDir, timeoutMs);
    else await installDb(bins, dataDir, timeoutMs);

    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const args = [
        '--no-defaults', `--datadir=${dataDir}`, `--port=${port}`, '--bind-address=127.0.0.1',
        `--socket=${socketPath}`, `--pid-file=${join(baseDir, 'pid')}`, `--tmpdir=${baseDir}`,
        ...asRoot(), '--skip-log-bin', '--performance-schema=OFF', '--max-connections=64',
        '--character-set-server=utf8mb4', '--collation-server=utf8mb4_general_ci', ...FAST,
      ];
      child = spawn(bins.server, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      const outcome = await waitForReady(child, timeoutMs);
      if (outcome === 'ready') break;
      // Another process took the port between freePort() and bind(): try another one.
      if (/already in use|another server running on port/i.test(outcome) && attempt < 4) continue;
      throw new Error(`mariadbd did not start: ${outcome}`);
    }

    let admin: Connection | undefined;
    const connectAdmin = async (): Promise<Connection> =>
      (admin ??= await createConnection({ host: '127.0.0.1', port, user: 'root', multipleStatements: true }));
    const [versionRows] = await (await connectAdmin()).query('SELECT VERSION() AS v');
    const version = String((versionRows as Array<{ v: string }>)[0]?.v ?? '');
    const running = child;
    let stopped = false;
    return {
      host: '127.0.0.1',
      port,
      user: 'root',
      socketPath,
      baseDir,
      version,
      install,
      startupMs: Math.round(performance.now() - started),
      url: (database) => `mysql://root@127.0.0.1:${port}${database ? `/${encodeURIComponent(database)}` : ''}`,
      sql: async (statements, values) => (await (await connectAdmin()).query(statements, values))[0],
      stop: async () => {
        if (stopped) return;
        stopped = true;
        admin?.destroy();
        // The data is thrown away, so no clean shutdown: SIGKILL is instant.
        if (running.exitCode === null && running.signalCode === null) {
          const exited = new Promise((resolve) => running.once('exit', resolve));
          running.kill('SIGKILL');
          await exited;
        }
        await rm(baseDir, { recursive: true, force: true });
        process.removeListener('exit', killOnExit);
        process.removeListener('exit', cleanupOnExit);
      },
    };
  } catch (err) {
    killOnExit();
    await rm(baseDir, { recursive: true, force: true });
    process.removeListener('exit', killOnExit);
    process.removeListener('exit', cleanupOnExit);
    throw err;
  }
}

/** Feeds the system-table SQL that mariadb-install-db uses to `mariadbd --bootstrap`. */
async function bootstrap(bins: MariaDbBinaries, dataDir: string, timeoutMs: number): Promise<void> {
  if (!bins.sqlDir) throw new Error(`mysql_system_tables.sql not found: ${SETUP_HINT}`);
  const files = ['mysql_system_tables.sql', 'mysql_performance_tables.sql', 'mysql_system_tables_data.sql'];
  const parts = await Promise.all(files.map((f) => readFile(join(bins.sqlDir!, f), 'utf8')));
  // Same prologue as mariadb-install-db with --auth-root-authentication-method=normal:
  // root@localhost/127.0.0.1/::1 with no password.
  const sql = ['CREATE DATABASE IF NOT EXISTS mysql;', 'USE mysql;', 'SET @auth_root_socket=NULL;', ...parts].join('\n');
  await runToEnd(
    bins.server,
    ['--no-defaults', '--bootstrap', `--datadir=${dataDir}`, ...asRoot(), '--log-warnings=0', '--enforce-storage-engine=',
      '--max-allowed-packet=8M', '--net-buffer-length=16K', ...FAST],
    sql,
    timeoutMs,
  );
}

async function installDb(bins: MariaDbBinaries, dataDir: string, timeoutMs: number): Promise<void> {
  if (!bins.installDb) throw new Error(`mariadb-install-db not found: ${SETUP_HINT}`);
  // --no-defaults must come first; options it does not know go on to mariadbd --bootstrap.
  await runToEnd(
    bins.installDb,
    ['--no-defaults', '--auth-root-authentication-method=normal', `--datadir=${dataDir}`, ...asRoot(),
      '--skip-test-db', ...FAST],
    undefined,
    timeoutMs,
  );
}

function runToEnd(command: string, args: readonly string[], stdin: string | undefined, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: [stdin === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'] });
    const tail = new Tail();
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => tail.add(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${command} exited with ${code ?? signal}:\n${tail.text()}`));
    });
    if (stdin !== undefined) {
      // A bootstrap that dies early closes its stdin: ignore EPIPE, the exit code tells.
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(stdin);
    }
  });
}

/** Resolves 'ready' on mariadbd's "ready for connections", else the reason it did not start. */
function waitForReady(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const tail = new Tail();
    let done = false;
    const finish = (outcome: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(`not ready after ${timeoutMs} ms:\n${tail.text()}`);
    }, timeoutMs);
    // Keep draining stderr after "ready": a full pipe would block the server.
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      tail.add(chunk);
      if (tail.text().includes('ready for connections')) finish('ready');
    });
    child.once('error', (err) => finish(String(err)));
    child.once('exit', (code, signal) => finish(`exited with ${code ?? signal}:\n${tail.text()}`));
  });
}

/** The last few KB of a process's stderr, for error messages. */
class Tail {
  #text = '';
  add(chunk: string): void {
    this.#text = (this.#text + chunk).slice(-4000);
  }
  text(): string {
    return this.#text;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
