import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { parseRequest } from '../../src/protocol/request.js';
import { Responder, type Answer } from '../../src/respond.js';
import { REPO, gopherRaw, startServer } from '../helpers/gopher.js';
import { tempDir } from '../helpers/tmp.js';

const bytesOf = (a: Answer | undefined): Buffer | undefined => (a?.kind === 'bytes' ? a.bytes : undefined);

describe('the answer cache: popular answers stay, one-off requests pass through', () => {
  const content = tempDir('gopherpress-answer-cache-', path.join(REPO, 'tests/fixtures/archive'));
  let app: App;

  beforeAll(async () => {
    app = await startServer(content, { watch: false });
  });
  afterAll(() => app.close());

  it('keeps an answer from its second request on, and serves the same bytes from it', async () => {
    const first = await gopherRaw(app.port, '/tag/Energiewende\r\n');
    expect(first.toString('latin1')).toMatch(/^1.*\t\/Energiewende-Kurz\/!1000001\t/m);
    expect(app.responder.cached('/tag/Energiewende')).toBeUndefined();
    const second = await gopherRaw(app.port, '/tag/Energiewende\r\n');
    expect(bytesOf(app.responder.cached('/tag/Energiewende'))).toEqual(second);
    expect(await gopherRaw(app.port, '/tag/Energiewende\r\n')).toEqual(first);
  });

  it('keeps the root menu through 300 searches asked once each, in a cache with room for 32 root menus', async () => {
    const { ctx, origin, charset } = app.responder;
    const root = await gopherRaw(app.port, '/\r\n');
    const responder = new Responder(ctx, origin, charset, root.length * 32);
    // As the server asks: the cache first, then route and remember.
    const ask = async (line: string): Promise<Answer> => responder.cached(line) ?? responder.respond(parseRequest(Buffer.from(line, 'latin1')), line);
    await ask('/');
    await ask('/');
    expect(bytesOf(responder.cached('/'))).toEqual(root);
    let searched = 0;
    for (let i = 0; i < 300; i++) searched += bytesOf(await ask(`/search\tenergie ${i}`))!.length;
    // Enough to have pushed the root menu out, had they been kept.
    expect(searched).toBeGreaterThan(root.length * 32);
    expect(bytesOf(responder.cached('/'))).toEqual(root);
    expect(responder.cached('/search\tenergie 7')).toBeUndefined();
  });
});
