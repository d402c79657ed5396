import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { Archive } from './archive/archive.js';
import { openArchive, saveArchiveCache } from './archive/load.js';
import { CACHE_FILE } from './archive/cache.js';
import type { Config } from './config.js';
import { Responder } from './respond.js';
import type { RouteContext } from './route.js';
import { GopherServer } from './server/server.js';
import { streamLogger, type AccessLogger } from './server/access-log.js';
import { VERSION } from './version.js';

export interface Logs {
  readonly access: AccessLogger;
  readonly info: (line: string) => void;
  readonly error: (line: string) => void;
}

export const consoleLogs = (quiet: boolean): Logs => ({
  access: quiet ? () => {} : streamLogger((l) => process.stdout.write(l)),
  info: (l) => process.stdout.write(l + '\n'),
  error: (l) => process.stderr.write(l + '\n'),
});

export interface App {
  readonly archive: Archive;
  readonly responder: Responder;
  readonly gopher: GopherServer;
  readonly port: number;
  close(): Promise<void>;
}

/** A usage problem the CLI reports in one line with exit code 2. */
export class UsageError extends Error {}

/** Time after start-up before a stale cache is rewritten, so writing it never delays being ready. */
const CACHE_WRITE_DELAY_MS = 1000;

/** The archive of content/, from the start-up cache where it still matches (see README, Performance). */
export async function loadArchive(root: string, logs: Logs): Promise<Archive> {
  const { archive, errors, stale } = openArchive(root, VERSION);
  for (const e of errors) logs.error(e);
  if (stale) {
    const timer = setTimeout(() => {
      try {
        saveArchiveCache(root, VERSION, archive);
      } catch (err) {
        logs.error(`cannot write ${path.join(root, CACHE_FILE)} (${(err as NodeJS.ErrnoException).code ?? String(err)}); the next start parses every article again`);
      }
    }, CACHE_WRITE_DELAY_MS);
    timer.unref();
  }
  return archive;
}

export function routeContext(config: Config, archive: Archive): RouteContext {
  const root = path.resolve(config.content);
  return {
    archive,
    root,
    rootReal: realpathSync(root),
    upstream: config.upstream,
    backlinks: config.backlinks,
    charset: config.charset,
    serverName: config.hostname,
    version: VERSION,
  };
}

/** Load content/, start listening; the server, like the watcher and CLI, is a thin shell around `respond`. */
export async function startApp(config: Config, logs: Logs): Promise<App> {
  const root = path.resolve(config.content);
  let st;
  try {
    st = statSync(root);
  } catch {
    throw new UsageError(`content folder not found: ${config.content}`);
  }
  if (!st.isDirectory()) throw new UsageError(`content is not a folder: ${config.content}`);
  const archive = await loadArchive(root, logs);
  const ctx = routeContext(config, archive);
  // The port in menus is the one we listen on; with --port 0 it is known only after listen().
  const origin: { host: string; port: number } = { host: config.hostname, port: config.port };
  const responder = new Responder(ctx, origin, config.charset);
  const gopher = new GopherServer({ responder, log: logs.access, limits: config.limits, onError: logs.error });
  const addr = await gopher.listen(config.port, config.bind);
  origin.port = addr.port;
  return {
    archive,
    responder,
    gopher,
    port: addr.port,
    close: () => gopher.close(),
  };
}
