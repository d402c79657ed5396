import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeContext, type App } from '../../src/app.js';
import { DEFAULTS } from '../../src/config.js';
import { Responder } from '../../src/respond/respond.js';
import type { Answer } from '../../src/respond/answer.js';
import { REPO, gopherRaw, startServer } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';

/** app.request without a socket: routing and both caches, as the gopher port answers. */
const bytesOf = (a: Answer): Buffer => {
  if (a.kind !== 'bytes') throw new Error(`expected bytes, got a ${a.kind} answer`);
  return a.bytes;
};

describe('app.request: the answer cache keeps popular answers, one-off requests pass through', () => {
  const content = tempDir('gopherpress-answer-cache-', path.join(REPO, 'tests/fixtures/archive'));
  let app: App;

  beforeAll(async () => {
    app = await startServer(content, { watch: false });
  });
  afterAll(() => app.close());

  it('keeps an answer from its second request on: the third comes back at once, the same bytes as on the wire', async () => {
    const first = app.request('/tag/Energiewende');
    expect(first).toBeInstanceOf(Promise);
    expect(bytesOf(await first).toString('latin1')).toMatch(/^1.*\t\/Energiewende-Kurz\/!1000001\t/m);
    const second = app.request('/tag/Energiewende');
    expect(second).toBeInstanceOf(Promise);
    const kept = await second;
    expect(kept).not.toBe(await first);
    // Cached: no promise, no parse, the very answer rendered the second time.
    const third = app.request('/tag/Energiewende');
    expect(third).toBe(kept);
    expect(await gopherRaw(app.port, '/tag/Energiewende\r\n')).toEqual(bytesOf(kept));
  });

  it('renders a line asked for by 20 clients at once a single time (single flight)', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => app.request('/Energiewende-Kurz/!1000001')));
    const bytes = answers.map(bytesOf);
    expect(bytes[0]!.toString('utf8')).toContain('Energiewende');
    // One rendering: every client got the same buffer, not an equal copy of its own.
    for (const b of bytes) expect(b).toBe(bytes[0]);
    // A line asked for after that rendering finished is rendered again (it was seen once only).
    expect(bytesOf(await app.request('/Energiewende-Kurz/!1000001'))).not.toBe(bytes[0]);
  });

  it('logs a search with its query, and a bad request line gets a type-3 line, not an exception', async () => {
    const a = await app.request('/search\tEnergiewende');
    expect(a.selector).toBe('/search\tEnergiewende');
    expect(a.itemType).toBe('1');
    const bad = await app.request('/../../etc/passwd');
    expect(bad.itemType).toBe('3');
    expect(bytesOf(bad).toString('latin1')).toMatch(/^3/);
  });

  it('keeps the root menu through 300 searches asked once each, in a cache with room for 32 root menus', async () => {
    const root = bytesOf(await app.request('/'));
    const ctx = routeContext({ ...DEFAULTS, content, hostname: '127.0.0.1' }, app.archive);
    const small = new Responder(ctx, { host: '127.0.0.1', port: app.port }, 'utf-8', { answerCacheBytes: root.length * 32 });
    await small.request('/');
    const kept = await small.request('/');
    expect(small.request('/')).toBe(kept);
    let searched = 0;
    for (let i = 0; i < 300; i++) searched += bytesOf(await small.request(`/search\tenergie ${i}`)).length;
    // Enough to have pushed the root menu out, had they been kept.
    expect(searched).toBeGreaterThan(root.length * 32);
    expect(small.request('/')).toBe(kept);
    expect(small.request('/search\tenergie 7')).toBeInstanceOf(Promise);
  });
});
