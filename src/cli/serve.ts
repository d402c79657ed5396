import cluster from 'node:cluster';
import type { Command } from 'commander';
import { consoleLogs, startApp } from '../app.js';
import { DEFAULTS, type Config } from '../config.js';
import { charsetOption, portOption, positiveInt, upstreamOption } from './options.js';
import { defaultWorkers, runPrimary, workerReady } from '../cluster.js';
import type { Charset } from '../charset/encode.js';
import type { Upstream } from '../menus/context.js';

interface ServeFlags {
  content: string;
  port: number;
  bind?: string;
  hostname: string;
  upstream: Upstream;
  charset: Charset;
  backlinks: boolean;
  watch: boolean;
  poll: boolean;
  quiet: boolean;
  workers: number;
}

export function addServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the archive in --content over gopher')
    .option('-c, --content <dir>', 'folder of article files', DEFAULTS.content)
    .option('-p, --port <n>', 'TCP port (70 needs root or cap_net_bind_service; 0 picks a free one)', portOption, DEFAULTS.port)
    .option('-b, --bind <address>', 'address to listen on (default: all interfaces, IPv4 and IPv6)')
    .option('-H, --hostname <name>', 'host name written into menus', DEFAULTS.hostname)
    .option('-u, --upstream <host[:port]>', 'gopher server for links to articles not in the archive', upstreamOption, DEFAULTS.upstream)
    .option('--charset <name>', 'output charset: utf-8, iso-8859-1 or us-ascii', charsetOption, DEFAULTS.charset)
    .option('--backlinks', 'list the articles that link to an article below its own text', false)
    .option('--no-watch', 'do not watch content/ for changes (read-only archives)')
    .option('--poll', 'watch by polling (network file systems)', false)
    .option('-q, --quiet', 'no access log lines', false)
    .option('-w, --workers <n>', 'processes sharing the port, one per CPU by default (1: no cluster)', positiveInt, defaultWorkers())
    .action(async (flags: ServeFlags) => {
      const { workers, ...rest } = flags;
      const config: Config = { ...DEFAULTS, ...rest };
      const logs = consoleLogs(config.quiet);
      if (workers > 1 && cluster.isPrimary) return runPrimary(config, logs, workers);
      const app = await startApp(config, logs);
      if (cluster.isWorker) workerReady(app);
      else logs.info(`listening on gopher://${config.hostname}:${app.port}/`);
      const stop = (): void => {
        void app.close().then(() => process.exit(0));
      };
      // In a cluster the primary stops the workers: a Ctrl-C reaching the whole group is its to handle.
      if (cluster.isWorker) process.on('SIGINT', () => {});
      else process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
