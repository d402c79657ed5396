import net from 'node:net';
import { readdirSync } from 'node:fs';
import { servingPids, treeRss } from '../../bench/lib/proc.js';

/** Poll `cond` every 50 ms until it holds; throws after `timeoutMs` (bounded, never a fixed sleep). */
export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Open descriptors of the processes serving for server `pid` (its workers, or itself), from /proc (Linux). */
export function fdCount(pid: number): number {
  let n = 0;
  for (const p of servingPids(pid)) {
    try {
      n += readdirSync(`/proc/${p}/fd`).length;
    } catch {
      // exited meanwhile
    }
  }
  return n;
}

/** Resident memory of server `pid` and its workers in KiB, from /proc (Linux). */
export function rssKb(pid: number): number {
  return treeRss(pid) / 1024;
}

export interface Exchange {
  readonly data: Buffer;
  /** how the server ended it: a clean close (FIN), a reset, or still open when we gave up */
  readonly end: 'close' | 'reset' | 'timeout';
  readonly ms: number;
}

/**
 * Connect, let `talk` write to the socket (slowly if it likes), and collect what comes back until the
 * server closes, resets, or `timeoutMs` passes. Never rejects: how it ended is part of the answer.
 */
export function exchange(port: number, talk: (s: net.Socket) => void, timeoutMs = 10_000, host = '127.0.0.1'): Promise<Exchange> {
  return new Promise((resolve) => {
    const started = Date.now();
    const chunks: Buffer[] = [];
    let end: Exchange['end'] = 'close';
    const s = net.connect({ port, host }, () => talk(s));
    const timer = setTimeout(() => {
      end = 'timeout';
      s.destroy();
    }, timeoutMs);
    s.on('data', (d) => chunks.push(d));
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (end !== 'timeout') end = e.code === 'ECONNRESET' ? 'reset' : 'close';
    });
    s.on('close', () => {
      clearTimeout(timer);
      resolve({ data: Buffer.concat(chunks), end, ms: Date.now() - started });
    });
  });
}

/** Send `bytes` at once (no half-close: a hostile client doesn't tell us it is done). */
export const send = (bytes: string | Buffer) => (s: net.Socket): void => void s.write(bytes);

/** A type-3 error menu: one line starting with `3`, four TAB-separated fields, then `.`. */
export function isErrorMenu(data: Buffer): boolean {
  return /^3[^\t\r\n]*\t[^\t\r\n]*\t[^\t\r\n]*\t\d+\r\n\.\r\n$/.test(data.toString('latin1'));
}
