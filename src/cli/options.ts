import os from 'node:os';
import { InvalidArgumentError } from 'commander';
import { parseCharset, type Charset } from '../charset/charset.js';
import { parseHostPort, parsePort } from '../config.js';
import type { Upstream } from '../menus/context.js';
import { parseTrustedProxies } from '../server/trusted-proxies.js';

/** Option parsers for commander: a bad value becomes a one-line usage error (exit 2). */
export function portOption(v: string): number {
  const p = parsePort(v);
  if (p === undefined) throw new InvalidArgumentError('expected a port number 0-65535');
  return p;
}

export function positiveInt(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('expected a positive whole number');
  return Number(v);
}

/** `--workers`: a positive whole number, or `auto` for one process per CPU (cluster.ts). */
export function workersOption(v: string): number {
  if (v === 'auto') return Math.max(1, os.availableParallelism());
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('expected a positive whole number or auto');
  return Number(v);
}

export function upstreamOption(v: string): Upstream {
  const u = parseHostPort(v);
  if (!u) throw new InvalidArgumentError('expected host or host:port');
  return u;
}

export function charsetOption(v: string): Charset {
  const c = parseCharset(v);
  if (!c) throw new InvalidArgumentError('expected utf-8, iso-8859-1 or us-ascii');
  return c;
}

export function nonNegativeInt(v: string): number {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError('expected a whole number 0 or more');
  return Number(v);
}

export function trustedProxyOption(v: string): string[] {
  try {
    return parseTrustedProxies(v);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}
