import { closeSync, constants, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, startCli, type CliServer } from '../helpers/gopher.js';
import { expectValidMenu } from '../helpers/menu-check.js';
import { tempDir } from '../helpers/tmp.js';
import { exchange, send } from './net.js';

/**
 * Files that are no longer what the archive recorded, with no watcher to catch up (`--no-watch`): the
 * request path alone must refuse them, and never hang.
 */
describe('files that changed under a running server (the built CLI, no watcher)', () => {
  const content = tempDir('gopherpress-unsettled-', path.join(REPO, 'tests/fixtures/archive'));
  const mapPath = path.join(content, 'maps/gophermap');
  let cli: CliServer;
  const gopher = (selector: string) => exchange(cli.port, send(`${selector}\r\n`), 5000);

  beforeAll(async () => {
    mkdirSync(path.join(content, 'maps'));
    writeFileSync(mapPath, 'Hand-written map\n0The note\tnote.md\n');
    writeFileSync(path.join(content, 'maps/note.md'), 'x\n');
    cli = await startCli(['serve', '--content', content, '--port', '0', '--bind', '127.0.0.1', '--hostname', '127.0.0.1', '--no-watch', '--workers', '1']);
  });
  afterAll(async () => {
    await cli?.stop();
  });

  it('answers a folder whose gophermap became a FIFO at once, with the folder listing', async () => {
    const before = await gopher('/maps/');
    expect(before.data.toString('utf8')).toContain('iHand-written map\t');

    rmSync(mapPath);
    execFileSync('mkfifo', [mapPath]);
    try {
      const r = await gopher('/maps/');
      expect(r.end).toBe('close');
      const items = expectValidMenu(r.data, '/maps/').map((f) => f.slice(0, 2).join('\t'));
      // The generated listing, as for any map that can't be read: the folder's files stay reachable.
      expect(items).toEqual(['iFolder /maps\t', 'i\t', '0note.md\t/maps/note.md']);
      // And the server goes on answering.
      expect((await gopher('/maps/note.md')).data.toString('utf8')).toBe('x\n');
    } finally {
      // Should a reader be stuck in open() (the defect this guards against), a writer frees it.
      try {
        closeSync(openSync(mapPath, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // ENXIO: nobody is reading it, as it should be
      }
      rmSync(mapPath);
    }
  });
});
