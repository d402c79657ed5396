import os from 'node:os';
import type { Charset } from './charset/charset.js';
import { DEFAULT_LIMITS, type Limits } from './server/limits.js';
import type { Upstream } from './menus/context.js';

export interface Config {
  readonly content: string;
  /** where the index database lives; undefined: the default state folder (archive/index-db.ts) */
  readonly stateDir?: string;
  readonly port: number;
  readonly bind?: string;
  readonly hostname: string;
  readonly upstream: Upstream;
  readonly charset: Charset;
  readonly backlinks: boolean;
  readonly watch: boolean;
  readonly poll: boolean;
  readonly quiet: boolean;
  readonly limits: Limits;
  /** the web view on the gopher port: a connection starting `GET `/`HEAD ` is answered over HTTP */
  readonly http: boolean;
  /** a separate port for the web view; undefined: none */
  readonly httpPort?: number;
  // Operations (README "Operations"): all optional, off unless given.
  /** PEM files for gophers:// on the gopher port (a first byte 0x16 is a TLS ClientHello) */
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  /** a second port that speaks only TLS */
  readonly tlsPort?: number;
  /** an inherited listening socket (systemd socket activation) instead of port/bind */
  readonly listenFd?: number;
  /** access log lines go here (appended, reopened on SIGHUP) instead of stdout */
  readonly logFile?: string;
  /** load balancers (addresses, CIDR blocks) whose connections start with a PROXY protocol header */
  readonly trustedProxy?: readonly string[];
  /** the account the server runs as once its ports are bound (it starts as root) */
  readonly user?: string;
  readonly group?: string;
}

export const DEFAULTS: Config = {
  content: './content',
  port: 70,
  bind: undefined,
  hostname: os.hostname(),
  upstream: { host: 'taz.de', port: 70 },
  charset: 'utf-8',
  backlinks: false,
  watch: true,
  poll: false,
  quiet: false,
  limits: DEFAULT_LIMITS,
  http: true,
  httpPort: undefined,
};

/** `taz.de`, `taz.de:70`, `[::1]:7070` → host and port; undefined when it isn't one. */
export function parseHostPort(s: string, defaultPort = 70): Upstream | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:\s]+))(?::(\d{1,5}))?$/.exec(s.trim());
  if (!m) return undefined;
  const port = m[3] === undefined ? defaultPort : Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1] ?? m[2]!, port };
}

export function parsePort(s: string, allowZero = true): number | undefined {
  if (!/^\d{1,5}$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 65535 && (allowZero || n > 0) ? n : undefined;
}
