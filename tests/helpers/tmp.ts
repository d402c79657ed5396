import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** A fresh folder under the OS temp dir, removed after the test file. Optionally seeded from `from`. */
export function tempDir(prefix = 'gopherpress-', from?: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  if (from) cpSync(from, dir, { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
