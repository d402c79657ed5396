import type { App, Logs } from '../app.js';
import type { Config } from '../config.js';

/** Settings a running server cannot change: a reload that changes them says so and keeps the old value. */
const NEEDS_RESTART = ['content', 'port', 'bind', 'hostname', 'upstream', 'charset', 'backlinks', 'tlsPort', 'user', 'group'] as const;

export interface Reloadable {
  readonly app: App;
  readonly logs: Logs & { reopen(quiet: boolean, file?: string): void; flush(): void };
  /** re-read the config file and merge the command line over it */
  readonly loadConfig: () => Config;
  readonly root: string;
}

/**
 * SIGHUP: reload the configuration (limits, trusted proxies, log settings, TLS certificate), reopen the log file and
 * rescan content/. Any failure is logged and leaves the server as it was.
 */
export async function reload(r: Reloadable, old: Config): Promise<Config> {
  const { app, logs } = r;
  let config = old;
  try {
    config = r.loadConfig();
  } catch (err) {
    logs.error(`reload: ${(err as Error).message}; keeping the old configuration`);
  }
  for (const k of NEEDS_RESTART) {
    if (JSON.stringify(config[k]) !== JSON.stringify(old[k])) logs.error(`reload: "${k}" changed; it takes effect on restart`);
  }
  app.reconfigure(config);
  logs.reopen(config.quiet, config.logFile);
  if (app.tls) {
    try {
      app.reloadTls?.();
    } catch (err) {
      logs.error(`reload: ${(err as Error).message}; keeping the old certificate`);
    }
  }
  try {
    // A worker only reads the index: the process that owns it (the primary) rescans.
    await app.writer?.rescan();
    logs.info(`reloaded: ${app.archive.articleCount} articles`);
  } catch (err) {
    logs.error(`reload: cannot scan ${r.root} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); still serving the archive as it was`);
  }
  return config;
}

/**
 * SIGTERM/SIGINT: stop accepting, let requests in flight finish (bounded by --shutdown-grace), exit 0.
 * A second one stops a single process at once (exit 1); a worker waits for its requests regardless,
 * since it gets SIGTERM twice whenever a whole process group or cgroup is signalled (systemd's
 * KillMode=control-group): once from there, once from the primary. Either way the buffered access
 * lines are written on the way out (ops/log-file.ts); a second SIGTERM killing a worker outright lost them.
 * SIGHUP: reload, one at a time (a burst of SIGHUPs collapses into one more reload).
 */
export function installSignals(r: Reloadable, initial: Config, opts: { worker?: boolean } = {}): void {
  let config = initial;
  let reloading: Promise<void> | undefined;
  let again = false;
  let stopping = false;
  const stop = (): void => {
    if (stopping) {
      if (!opts.worker) process.exit(1);
      return;
    }
    stopping = true;
    // What was logged so far is on disk now, whatever the grace period brings (systemd's SIGKILL).
    r.logs.flush();
    void r.app.close().then(() => process.exit(0));
  };
  // In a cluster the primary stops the workers: a Ctrl-C reaching the whole process group is its to handle.
  if (opts.worker) process.on('SIGINT', () => {});
  else process.on('SIGINT', stop);
  // Kept, not once: a worker gets SIGTERM from a group kill and again from the primary, and the
  // default action of the second would end it before its access log is written out.
  process.on('SIGTERM', stop);
  const hup = (): void => {
    if (reloading) {
      again = true;
      return;
    }
    reloading = reload(r, config).then((c) => {
      config = c;
      reloading = undefined;
      if (again) {
        again = false;
        hup();
      }
    });
  };
  process.on('SIGHUP', hup);
}
