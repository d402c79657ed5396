import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { UsageError } from '../usage-error.js';
import { DEFAULTS } from '../config.js';
import { VERSION } from '../version.js';
import { portOption, upstreamOption } from './options.js';
import type { Upstream } from '../menus/context.js';

/** `gopherpress render <file>`: the gopher menu a file becomes, for authors checking their work. */
export function addRenderCommand(program: Command): void {
  program
    .command('render <file>')
    .description('print the gopher menu an article file becomes')
    .option('-H, --hostname <name>', 'host name written into menus', 'localhost')
    .option('-p, --port <n>', 'port written into menus', portOption, 70)
    // The default as a user types it: commander would print the object as JSON.
    .addOption(new Option('-u, --upstream <host[:port]>', 'where links to other articles point').argParser(upstreamOption).default(DEFAULTS.upstream, 'taz.de:70'))
    .action(async (file: string, flags: { hostname: string; port: number; upstream: Upstream }) => {
      // Loaded when used: every command's modules at start-up would weigh on `serve`'s primary too.
      const [{ Archive }, { memoryIndex }, { parseArticleBytes }, { articleMenu }, { renderMenu }, { encodeText }] = await Promise.all([
        import('../archive/archive.js'), import('../archive/index-db.js'), import('../archive/read-article.js'), import('../menus/article-menu.js'), import('../protocol/encode-menu.js'), import('../charset/encode.js'),
      ]);
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (err) {
        throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
      const article = parseArticleBytes(bytes, file);
      // An empty archive: every link of the article points upstream, as on a server without it.
      const archive = new Archive(memoryIndex());
      const ctx = { archive, upstream: flags.upstream, backlinks: false, charset: 'utf-8', serverName: flags.hostname, version: VERSION };
      process.stdout.write(encodeText(renderMenu(articleMenu(ctx, article), { host: flags.hostname, port: flags.port }), 'utf-8'));
      archive.close();
    });
}
