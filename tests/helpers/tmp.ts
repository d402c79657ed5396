import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** Every folder `tempDir` made in this test file, removed once the whole file has run. */
const made: string[] = [];

// Registered when a test file first imports this module, so on the file's own suite: vitest ignores an
// `afterAll` called from inside a test or a beforeAll (where most tempDir calls happen), silently.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the OS temp dir, removed after the test file. Optionally seeded from `from`. */
export function tempDir(prefix = 'gopherpress-', from?: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  if (from) cpSync(from, dir, { recursive: true });
  return dir;
}
