import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Config } from '../config.js';
import { DEFAULT_LIMITS, type Limits } from '../server/limits.js';
import { portOption, positiveInt, trustedProxyOption } from './options.js';

/** Seconds, fractions allowed (`--request-timeout 2.5`), as milliseconds. */
export function secondsOption(v: string): number {
  if (!/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0) throw new InvalidArgumentError('expected a number of seconds greater than 0');
  return Math.round(Number(v) * 1000);
}

export interface OpsFlags {
  config?: string;
  maxConnections: number;
  maxConnectionsPerIp: number;
  maxRequestBytes: number;
  requestTimeout: number;
  idleTimeout: number;
  shutdownGrace: number;
  tlsCert?: string;
  tlsKey?: string;
  tlsPort?: number;
  user?: string;
  group?: string;
  logFile?: string;
  trustedProxy?: string[];
}

/** A duration flag taken in seconds, kept in milliseconds, its default shown in seconds. */
const seconds = (flags: string, description: string, ms: number): Option =>
  new Option(flags, description).argParser(secondsOption).default(ms, `${ms / 1000}`);

/** The flags of issue 7 (limits, TLS, privileges, logs, config file), added to `serve`. */
export function addOperationsOptions(cmd: Command): Command {
  const d = DEFAULT_LIMITS;
  return cmd
    .option('--config <file>', 'read settings from a JSON file (keys as the flags, in camelCase); flags given here win')
    .option('--max-connections <n>', 'connections open at once, in total', positiveInt, d.maxConnections)
    .option('--max-connections-per-ip <n>', 'connections open at once from one address', positiveInt, d.maxConnectionsPerIp)
    .option('--max-request-bytes <n>', 'longest request line (selector, TAB, query)', positiveInt, d.maxRequestBytes)
    .addOption(seconds('--request-timeout <seconds>', 'time a client has to send its request line', d.requestTimeoutMs))
    .addOption(seconds('--idle-timeout <seconds>', 'time a client may read nothing while an answer is sent', d.idleTimeoutMs))
    .addOption(seconds('--shutdown-grace <seconds>', 'on SIGTERM, time requests in flight get to finish', d.shutdownGraceMs))
    .option('--tls-cert <file>', 'PEM certificate: also serve gophers:// (TLS) on the gopher port')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option('--tls-port <n>', 'also listen for TLS-only connections on this port', portOption)
    .option('--user <name>', 'after binding, run as this user (start as root)')
    .option('--group <name>', "after binding, run as this group (default: the user's group)")
    .option('--log-file <file>', 'append access log lines to this file (reopened on SIGHUP) instead of stdout')
    .option('--trusted-proxy <addr,...>', 'load balancers (addresses or CIDR blocks) whose connections start with a PROXY protocol header (v1 or v2) naming the client', trustedProxyOption);
}

/** The part of Config these flags set. */
export function opsConfig(flags: OpsFlags): Pick<Config, 'limits' | 'tlsCert' | 'tlsKey' | 'tlsPort' | 'logFile' | 'trustedProxy'> {
  const limits: Limits = {
    maxConnections: flags.maxConnections,
    maxConnectionsPerIp: flags.maxConnectionsPerIp,
    maxRequestBytes: flags.maxRequestBytes,
    requestTimeoutMs: flags.requestTimeout,
    idleTimeoutMs: flags.idleTimeout,
    shutdownGraceMs: flags.shutdownGrace,
  };
  return { limits, tlsCert: flags.tlsCert, tlsKey: flags.tlsKey, tlsPort: flags.tlsPort, logFile: flags.logFile, trustedProxy: flags.trustedProxy };
}

