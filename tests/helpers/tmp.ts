import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];
// One hook, registered when a test file first loads this helper: a hook registered later, from inside a
// beforeAll or a test, never runs, and the folders made there were left in /tmp.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A fresh folder under the OS temp dir, removed after the test file. Optionally seeded from `from`,
 * without any start-up cache a server run by hand on a fixture folder left there.
 */
export function tempDir(prefix = 'gopherpress-', from?: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  if (from) cpSync(from, dir, { recursive: true, filter: (src) => path.basename(src) !== '.gopherpress-cache' });
  made.push(dir);
  return dir;
}
