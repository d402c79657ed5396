import { Option, type Command } from 'commander';
import { consoleLogs, startApp } from '../app.js';
import { DEFAULTS, type Config } from '../config.js';
import { charsetOption, portOption, upstreamOption } from './options.js';
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
}

export function addServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the archive in --content over gopher')
    .option('-c, --content <dir>', 'folder of article files', DEFAULTS.content)
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
    .action(async (flags: ServeFlags) => {
      const config: Config = { ...DEFAULTS, ...flags };
      const logs = consoleLogs(config.quiet);
      const app = await startApp(config, logs);
      const stop = (): void => {
        void app.close().then(() => process.exit(0));
      };
      // Handlers first: whoever reads the listening line may signal us at once.
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      logs.info(`listening on gopher://${config.hostname}:${app.port}/`);
    });
}
