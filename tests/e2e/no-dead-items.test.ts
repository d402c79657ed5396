import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { REPO, gopherRaw, menuLines, startServer } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Following any item on the server's own host never yields an error: walk every local item
 * reachable from the root (bounded), fetch it, and check that no answer is a type-3 error.
 */
describe.each([path.join(REPO, 'content'), path.join(REPO, 'tests/fixtures/archive')])('every local item of %s works', (content) => {
  let app: App;
  beforeAll(async () => {
    // A copy: a server writes its start-up cache into the folder it serves, and this one is the repository's.
    app = await startServer(tempDir('gp-walk-items-', content));
  });
  afterAll(() => app.close());

  it('walks from the root without meeting an error', async () => {
    const seen = new Set<string>();
    const queue: { type: string; selector: string; from: string }[] = [{ type: '1', selector: '', from: '(start)' }];
    const failures: string[] = [];
    while (queue.length > 0 && seen.size < 2000) {
      const { type, selector, from } = queue.shift()!;
      const key = `${type}${selector}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const req = type === '7' ? `${selector}\tUkraine\r\n` : `${selector}\r\n`;
      const body = await gopherRaw(app.port, req);
      expect(body.length, `empty answer for ${key}`).toBeGreaterThan(0);
      if (type === '1' || type === '7') {
        const text = body.toString('utf8');
        expect(text.endsWith('.\r\n'), `menu ${key} ends with .`).toBe(true);
        for (const f of menuLines(text)) {
          expect(f.length, `four fields in ${JSON.stringify(f)} of ${key}`).toBe(4);
          const t = f[0]!.charAt(0);
          if (t === '3') failures.push(`${key} (linked from ${from}): ${f[0]}`);
          if (t !== 'i' && t !== '3' && f[2] === '127.0.0.1' && f[3] === String(app.port)) queue.push({ type: t, selector: f[1]!, from: key });
        }
      } else {
        // Images, binaries, texts: a type-3 error menu in their place is just as dead.
        expect(body.toString('latin1'), `${key} (linked from ${from}) is not an error`).not.toMatch(/^3[^\r\n]*\t[^\r\n]*\r\n\.\r\n$/);
        if (type === '0') expect(body.toString('utf8').startsWith('3'), `text ${key} is not an error`).toBe(false);
      }
    }
    expect(failures).toEqual([]);
    expect(seen.size).toBeGreaterThan(15);
  });
});
