import cluster from 'node:cluster';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { addOperationsOptions, opsConfig, type OpsFlags } from './ops-options.js';
import { applyConfigFile } from './config-file.js';
import { SwitchableLogs } from '../ops/log-file.js';
import { dropPrivileges, handOver, requireRoot } from '../ops/privileges.js';
import { defaultStateDir, INDEX_FILE, indexFiles } from '../archive/index-db.js';
import { systemdListenFd } from '../ops/socket-activation.js';
import { DEFAULTS, type Config } from '../config.js';
import { charsetOption, portOption, upstreamOption, workersOption } from './options.js';
import { runPrimary, processShare, workerReady } from '../cluster.js';
import type { Charset } from '../charset/charset.js';
import type { Upstream } from '../menus/context.js';

interface ServeFlags extends OpsFlags {
  content: string;
  stateDir?: string;
  port: number;
  bind?: string;
  hostname: string;
  upstream: Upstream;
  charset: Charset;
  backlinks: boolean;
  watch: boolean;
  poll: boolean;
  quiet: boolean;
  http: boolean;
  httpPort?: number;
  workers: number;
}

export function addServeCommand(program: Command): void {
  const serve = program
    .command('serve')
    .description('serve the archive in --content over gopher')
    .option('-c, --content <dir>', 'folder of article files', DEFAULTS.content)
    .option('--state-dir <dir>', 'folder for the index database (default: $STATE_DIRECTORY, else ~/.local/state/gopherpress/<content>-<hash>)')
    .option('-p, --port <n>', 'TCP port (70 needs root or cap_net_bind_service; 0 picks a free one)', portOption, DEFAULTS.port)
    .option('-b, --bind <address>', 'address to listen on (default: all interfaces, IPv4 and IPv6)')
    .option('-H, --hostname <name>', 'host name written into menus', DEFAULTS.hostname)
    // The default as a user types it: commander would print the object as JSON.
    .addOption(new Option('-u, --upstream <host[:port]>', 'gopher server for links to articles not in the archive').argParser(upstreamOption).default(DEFAULTS.upstream, 'taz.de:70'))
    .option('--charset <name>', 'output charset: utf-8, iso-8859-1 or us-ascii', charsetOption, DEFAULTS.charset)
    .option('--backlinks', 'list the articles that link to an article below its own text', false)
    .option('--no-watch', 'do not watch content/ for changes (read-only archives)')
    .option('--poll', 'watch by polling (network file systems)', false)
    .option('-q, --quiet', 'no access log lines', false)
    .option('--http-port <n>', 'also serve the web view (every menu as a web page) on this port', portOption)
    .option('--no-http', 'no web view on the gopher port (by default `GET /` there gets it)')
    .addOption(new Option('-w, --workers <n>', 'processes sharing the port (node:cluster); auto = one per CPU').argParser(workersOption).default(workersOption('auto'), 'auto'));
  addOperationsOptions(serve).action(async (_flags: ServeFlags, cmd: Command) => {
    // defaults < config file < command line; a reload (SIGHUP) reads the file again
    const loadConfig = (): Config & { user?: string; group?: string } => {
      const flags = cmd.opts<ServeFlags>();
      if (flags.config !== undefined) applyConfigFile(cmd, flags.config);
      const merged = cmd.opts<ServeFlags>();
      return { ...DEFAULTS, ...merged, ...opsConfig(merged) };
    };
    const workers = cmd.opts<ServeFlags>().workers;
    const config = { ...loadConfig(), listenFd: systemdListenFd() };
    // A worker forked after the primary gave up root (all but the first) already runs as --user/--group.
    const dropsRoot = !(cluster.isWorker && process.getuid?.() !== 0);
    // Before the index is opened: without root there is nothing to drop, and the state folder may not be ours.
    if (dropsRoot) requireRoot(config.user, config.group);
    const logs = new SwitchableLogs(config.quiet, config.logFile);
    // An inherited socket (systemd socket activation) is served by this one process.
    if (workers > 1 && config.listenFd === undefined && cluster.isPrimary) {
      const { ports, allServing, writer } = await runPrimary(config, logs, workers);
      // The workers listen on the primary's socket: only now may the primary give up root.
      handOver(stateFiles(config), config.user, config.group);
      dropPrivileges(config.user, config.group);
      announce(logs, config.hostname, ports);
      void writer.fullTextReady.then(logs.info, () => {});
      // The first worker serves from here on; the others join once they have opened the index.
      return void allServing.then(() => logs.info(`${workers} workers serving`));
    }
    // Loaded here, not at the top: a cluster primary never serves, and the server's modules cost it
    // ~10 MB and a tenth of a second before it could start the first worker.
    const [{ startApp }, { installSignals }] = await Promise.all([import('../app.js'), import('../ops/signals.js')]);
    const app = await startApp(config, logs, processShare());
    // Everything privileged (port 70, TLS key, log file) is open by now.
    if (!cluster.isWorker) handOver(stateFiles(config), config.user, config.group);
    if (dropsRoot) dropPrivileges(config.user, config.group);
    // Handlers first: whoever reads the listening line may signal us at once.
    installSignals({ app, logs, loadConfig, root: path.resolve(config.content) }, config, { worker: cluster.isWorker });
    if (cluster.isWorker) return workerReady(app);
    announce(logs, config.hostname, app);
    void app.writer?.fullTextReady.then(logs.info, () => {});
  });
}

/** The index and its folder, which the process that writes it keeps writing after it gave up root. */
function stateFiles(config: Config): string[] {
  const dir = config.stateDir ?? defaultStateDir(path.resolve(config.content));
  return [dir, ...indexFiles(path.join(dir, INDEX_FILE)).flatMap((f) => ['', '-wal', '-shm'].map((s) => f + s))];
}

/** The lines that say where the server answers, the same with or without workers. */
function announce(logs: SwitchableLogs, hostname: string, ports: { port: number; tlsPort?: number; httpPort?: number }): void {
  logs.info(`listening on gopher://${hostname}:${ports.port}/`);
  if (ports.tlsPort !== undefined) logs.info(`listening on gophers://${hostname}:${ports.tlsPort}/`);
  if (ports.httpPort !== undefined) logs.info(`web view on http://${hostname}:${ports.httpPort}/`);
}
