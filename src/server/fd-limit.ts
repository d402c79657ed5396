import { readFileSync } from 'node:fs';

/** Descriptors kept back from connections: files being sent, the log, the watcher, Node's own. */
export const FD_RESERVE = 128;

/** The soft RLIMIT_NOFILE of this process (Linux /proc), or undefined elsewhere. Node cannot call getrlimit. */
export function openFileLimit(): number | undefined {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'latin1'));
    if (!m) return undefined;
    return m[1] === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(m[1]);
  } catch {
    return undefined;
  }
}

/**
 * The connection cap that can never run the process out of descriptors: a connection over it gets a
 * "busy" line and is closed, while accept() still has descriptors to take it (and the next one) at all.
 */
export function connectionCapForFds(maxConnections: number, fdLimit = openFileLimit()): number {
  if (fdLimit === undefined) return maxConnections;
  return Math.max(1, Math.min(maxConnections, fdLimit - FD_RESERVE));
}
