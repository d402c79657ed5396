import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The index of a server started without --state-dir goes to the XDG state home: for the whole run
 * that is a temporary folder, removed at the end, never the user's own.
 */
export function setup(): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gopherpress-test-state-'));
  process.env.XDG_STATE_HOME = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
