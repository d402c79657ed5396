import { mkdir, rm } from 'node:fs/promises';
import { decodeText } from '../charset/decode.js';
import { copyArchive, parseFilesList, type ListedFile } from './archive-copy.js';
import { crawl } from './crawl.js';
import { gopherError } from './parse-menu.js';
import { isAbort, Run, type MirrorOptions, type MirrorResult } from './run.js';
import { loadState } from './state.js';

/**
 * The folder of a gopherpress archive a start selector names (`''` for all of it), or undefined when
 * the start is something else (an article, a search) and is crawled like any menu.
 */
function archivePrefix(selector: string): string | undefined {
  if (selector === '' || selector === '/' || selector === '/browse/') return '';
  if (/^\/[^.][^\t]*\/$/.test(selector) && !selector.includes('/.')) return selector.slice(1);
  return undefined;
}

/**
 * A gopherpress server says so in its caps.txt and lists its files in /files.txt. For it the mirror
 * copies the files, not the menus: its root, tags, dates, search and folder menus are generated from
 * the articles, and the copy's gopherpress generates the same ones (saving them as gophermaps would
 * add folders like tags/ that then show up in the copy's own listing).
 */
async function gopherpressFiles(run: Run): Promise<ListedFile[] | undefined> {
  const { host, port } = run.opts.start;
  const caps = await run.fetch({ host, port, selector: '/caps.txt' });
  if (!/^ServerSoftware=gopherpress\s*$/m.test(decodeText(caps))) return undefined;
  const list = await run.fetch({ host, port, selector: '/files.txt' });
  if (gopherError(list, { host, port }) !== undefined) return undefined; // an older gopherpress: crawl it
  const { files, bad } = parseFilesList(list);
  if (bad > 0) run.emit({ kind: 'note', message: `/files.txt: ${bad} lines with unsafe or malformed paths ignored` });
  return files;
}

/** Mirror `opts.start` into `opts.out`: a gopherpress archive file by file, any other server by crawling. */
export async function mirror(opts: MirrorOptions): Promise<MirrorResult> {
  const created = await mkdir(opts.out, { recursive: true });
  const run = new Run(opts);
  const result = await mirrorInto(run);
  const s = run.stats;
  // A run that saved nothing (a refused connection, a wrong port) leaves no folder it made behind.
  if (created !== undefined && s.added + s.changed + s.unchanged === 0) {
    await rm(created, { recursive: true, force: true });
    run.emit({ kind: 'note', message: `nothing saved: ${created} removed again` });
  }
  return result;
}

async function mirrorInto(run: Run): Promise<MirrorResult> {
  const opts = run.opts;
  const state = await loadState(opts.out, opts.url);
  const prefix = opts.start.itemType === '1' ? archivePrefix(opts.start.selector) : undefined;
  let files: ListedFile[] | undefined;
  if (prefix !== undefined) {
    try {
      files = await gopherpressFiles(run);
    } catch (err) {
      if (isAbort(err)) return { mode: 'crawl', stats: run.stats, failures: run.failures, interrupted: true, unfinished: false };
      // No caps.txt (or no answer to it): not a gopherpress; the crawl reports the server's own problems.
    }
  }
  const mode = files ? 'gopherpress' : 'crawl';
  run.emit({ kind: 'note', message: files ? `gopherpress archive: ${files.filter((f) => !f.isDir).length} files listed` : 'crawling menus' });
  const { unfinished } = files ? await copyArchive(run, state, files, prefix!) : await crawl(run, state);
  return { mode, stats: run.stats, failures: run.failures, interrupted: run.aborted, unfinished };
}
