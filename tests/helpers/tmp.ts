import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/**
 * A fresh folder under the OS temp dir, removed after the test file. Optionally seeded from `from`,
 * without any start-up cache a server run by hand on a fixture folder left there.
 */
export function tempDir(prefix = 'gopherpress-', from?: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  if (from) cpSync(from, dir, { recursive: true, filter: (src) => path.basename(src) !== '.gopherpress-cache' });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
