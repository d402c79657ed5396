import { realpathSync, statSync } from 'node:fs';
import type { AddressInfo, Server } from 'node:net';
import path from 'node:path';
import type { Archive } from './archive/archive.js';
import { openArchiveReader, openArchiveWriter, type ArchiveWriter } from './archive/open-archive.js';
import { defaultStateDir } from './archive/index-db.js';
import { limitHeapGrowth } from './ops/heap-growth.js';
import type { Config } from './config.js';
import { Responder } from './respond/respond.js';
import type { Answer } from './respond/answer.js';
import { ANSWER_CACHE_BYTES } from './respond/answer-cache.js';
import { HOT_FILES_BUDGET } from './respond/hot-files.js';
import type { RouteContext } from './route.js';
import { GopherServer } from './server/server.js';
import { httpFallback } from './server/http-fallback.js';
import type { AccessLogger } from './server/access-log.js';
import { VERSION } from './version.js';
import { createWebHandler } from './web/handler.js';
import { createWebServer } from './web/web-server.js';
import { TlsCerts, tlsPortServer } from './server/tls.js';
import type tls from 'node:tls';
import { UsageError } from './usage-error.js';

export interface Logs {
  readonly access: AccessLogger;
  readonly info: (line: string) => void;
  readonly error: (line: string) => void;
}

export interface App {
  readonly archive: Archive;
  /** request line → answer, as the gopher port answers it: routing, both caches, no socket (respond/respond.ts) */
  request(line: Buffer | string): Answer | Promise<Answer>;
  readonly gopher: GopherServer;
  readonly port: number;
  /** the web view's own port (`--http-port`), if any */
  readonly httpPort?: number;
  /** set in the process that owns the index (scans, watches, writes); workers only read */
  readonly writer?: ArchiveWriter;
  /** set with --tls-cert/--tls-key; `reload()` on SIGHUP */
  readonly tls?: TlsCerts;
  readonly tlsPort?: number;
  /** re-read the certificate files (SIGHUP); throws and keeps the old one when they are bad */
  reloadTls?(): void;
  /** take a reloaded configuration's limits and trusted proxies (SIGHUP) */
  reconfigure(config: Config): void;
  close(): Promise<void>;
}

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

/** How this process shares the machine with others serving the same archive (`--workers`). */
export interface ProcessShare {
  /** `writer`: this process scans, watches and writes the index; `reader`: a worker that only reads it */
  readonly role: 'writer' | 'reader';
  /** the part of the default in-memory caches (rendered answers, small files) this process keeps: 1/n of n workers */
  readonly cacheShare: number;
}

const ALONE: ProcessShare = { role: 'writer', cacheShare: 1 };

/** Where the index lives: `--state-dir`, else a folder of the user's state home (index-db.ts). */
export function stateDirOf(config: Config): string {
  return config.stateDir ?? defaultStateDir(path.resolve(config.content));
}

/** The archive as this process sees it: the writer opens (and builds) the index, a worker reads it. */
async function openArchive(config: Config, logs: Logs, share: ProcessShare): Promise<{ archive: Archive; writer?: ArchiveWriter }> {
  const root = path.resolve(config.content);
  if (share.role === 'reader') return { archive: openArchiveReader(stateDirOf(config)) };
  const watch = config.watch && { poll: config.poll };
  const writer = await openArchiveWriter({ root, stateDir: stateDirOf(config), logs, watch, runAs: { user: config.user, group: config.group } });
  writer.fullTextReady.catch((err: unknown) => logs.error(`full text: ${(err as Error).stack ?? String(err)}`));
  return { archive: writer.archive, writer };
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

/** After start-up, once a first crowd could have grown the heap (see ops/heap-growth.ts). */
const HEAP_BOUND_DELAY_MS = 1000;

/** Load content/, start listening; the server, like the watcher and CLI, is a thin shell around `app.request`. */
export async function startApp(config: Config, logs: Logs, share: ProcessShare = ALONE): Promise<App> {
  const root = path.resolve(config.content);
  let st;
  try {
    st = statSync(root);
  } catch {
    throw new UsageError(`content folder not found: ${config.content}`);
  }
  if (!st.isDirectory()) throw new UsageError(`content is not a folder: ${config.content}`);
  const certs = tlsCerts(config);
  const { archive, writer } = await openArchive(config, logs, share);
  const ctx = routeContext(config, archive);
  const gopher = new GopherServer({ log: logs.access, limits: config.limits, trustedProxies: config.trustedProxy, onError: logs.error, tls: certs && (() => certs.context) });
  const extra: Server[] = [];
  // Whatever fails after the watcher started must not leave it (or a listener) running.
  const abort = async (err: unknown): Promise<never> => {
    await writer?.close();
    for (const s of extra) s.close();
    await gopher.close(0);
    throw err;
  };
  const addr = await (config.listenFd !== undefined ? gopher.listenFd(config.listenFd) : gopher.listen(config.port, config.bind)).catch((err: unknown) => abort(listenError(err, config)));
  // The port in menus is the one we listen on: with --port 0 it is known only now.
  const origin = { host: config.hostname, port: addr.port };
  const responder = new Responder(ctx, origin, config.charset, {
    answerCacheBytes: Math.round(ANSWER_CACHE_BYTES * share.cacheShare),
    hotFilesBudget: Math.round(HOT_FILES_BUDGET * share.cacheShare),
    onError: logs.error,
    onNotice: logs.info,
  });
  const limits = gopher.currentLimits;
  const web = config.http || config.httpPort !== undefined
    ? createWebServer(createWebHandler({ ctx, origin, log: logs.access, maxRequestBytes: limits.maxRequestBytes, onError: logs.error }), limits, logs.access)
    : undefined;
  gopher.serve(responder, (config.http ? web?.handOff : undefined) ?? httpFallback(origin));
  // Sockets of a crowd survive a scavenge or two: bound the old generation's growth (ops/heap-growth.ts).
  setTimeout(limitHeapGrowth, HEAP_BOUND_DELAY_MS).unref();
  let httpPort: number | undefined;
  let tlsServer: tls.Server | undefined;
  let tlsPort: number | undefined;
  if (web && config.httpPort !== undefined) {
    extra.push(web.server);
    httpPort = await listenOn(web.server, config.httpPort, config.bind).catch(abort);
  }
  if (certs && config.tlsPort !== undefined) {
    tlsServer = tlsPortServer(certs, limits.requestTimeoutMs, (s) => gopher.accept(s, 'gophers'));
    extra.push(tlsServer);
    tlsPort = await listenOn(tlsServer, config.tlsPort, config.bind).catch(abort);
  }
  return {
    archive,
    request: (line) => responder.request(line),
    gopher,
    port: addr.port,
    httpPort,
    writer,
    tls: certs,
    tlsPort,
    reloadTls: certs && (() => {
      certs.reload();
      tlsServer?.setSecureContext(certs.secureOptions);
    }),
    reconfigure: (c) => gopher.configure(c.limits, c.trustedProxy),
    close: async () => {
      tlsServer?.close();
      web?.server.close();
      web?.server.closeIdleConnections();
      await gopher.close();
      if (writer) await writer.close();
      else archive.close();
    },
  };
}

function tlsCerts(config: Config): TlsCerts | undefined {
  if (config.tlsCert === undefined && config.tlsKey === undefined) return undefined;
  if (config.tlsCert === undefined || config.tlsKey === undefined) throw new UsageError('TLS needs both --tls-cert and --tls-key');
  try {
    return new TlsCerts(config.tlsCert, config.tlsKey);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Listen on a port; with port 0 the one the system picked. */
function listenOn(server: Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: 1024 }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
