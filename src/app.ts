import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { Archive } from './archive/archive.js';
import { scanContent } from './archive/scan.js';
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

/** listen() failures as one line a user can act on; a --bind that is no address here is a usage error. */
function listenError(err: unknown, config: Config): Error {
  const code = (err as NodeJS.ErrnoException).code;
  const where = config.bind ?? 'all interfaces';
  if (code === 'ENOTFOUND' || code === 'EADDRNOTAVAIL' || code === 'EAI_AGAIN' || code === 'EINVAL') {
    return new UsageError(`cannot listen on ${where} (${code}): --bind takes an address of this machine, e.g. 127.0.0.1 or ::`);
  }
  if (code === 'EADDRINUSE') return new Error(`port ${config.port} on ${where} is in use: stop the other server or choose another --port`);
  if (code === 'EACCES') return new Error(`port ${config.port} needs root or cap_net_bind_service (see the README), or use --port 7070`);
  return err instanceof Error ? err : new Error(String(err));
}

export async function loadArchive(root: string, logs: Logs): Promise<Archive> {
  const archive = new Archive();
  const scan = await scanContent(root);
  for (const e of scan.errors) logs.error(e);
  archive.apply(scan.changes);
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
  const addr = await gopher.listen(config.port, config.bind).catch((err: unknown) => {
    throw listenError(err, config);
  });
  origin.port = addr.port;
  return {
    archive,
    responder,
    gopher,
    port: addr.port,
    close: () => gopher.close(),
  };
}
