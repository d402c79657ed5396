import { rm, rmdir, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { decodeText, splitLines } from '../charset/decode.js';
import { fileTypeOf } from '../protocol/file-types.js';
import { formatGopherUrl } from './gopher-url.js';
import { gopherError } from './parse-menu.js';
import { runPool } from './pool.js';
import { isAbort, type Run } from './run.js';
import { isSafeRelPath, writeIfChanged } from './save.js';
import { StateSaver, type MirrorState } from './state.js';

/** One line of a gopherpress server's `/files.txt`: `path<TAB>version<TAB>selector`. */
export interface ListedFile {
  readonly path: string;
  readonly version: string;
  readonly selector: string;
  readonly isDir: boolean;
}

/** The lines of `/files.txt` that name a safe path; a line that would write outside the mirror is dropped. */
export function parseFilesList(bytes: Uint8Array): { files: ListedFile[]; bad: number } {
  const files: ListedFile[] = [];
  let bad = 0;
  for (const line of splitLines(decodeText(bytes))) {
    if (line === '') continue;
    const [p, version, selector] = line.split('\t');
    const isDir = p?.endsWith('/') === true;
    const rel = isDir ? p!.slice(0, -1) : p;
    if (rel === undefined || version === undefined || selector === undefined || !isSafeRelPath(rel)) {
      bad++;
      continue;
    }
    files.push({ path: rel, version, selector, isDir });
  }
  return { files, bad };
}

async function exists(abs: string): Promise<boolean> {
  try {
    return (await stat(abs)).isFile();
  } catch {
    return false;
  }
}

/** An article's type-0 text never ends in a menu's `.` line; this one is the "unavailable, try again" menu. */
function isMenuAnswer(bytes: Buffer): boolean {
  return bytes.subarray(-3).toString('latin1') === '.\r\n' && bytes.subarray(0, 512).includes(0x09);
}

/**
 * Copy a gopherpress archive file by file from its `/files.txt`: every article (its type-0 text is the
 * article file) and every other file, at the path it has there, so the copy's generated menus (root,
 * tags, dates, folders) come out the same. Only paths whose version differs from the one saved are
 * fetched; files gone from the list are deleted from the copy if this mirror wrote them.
 */
export async function copyArchive(run: Run, state: MirrorState, listed: readonly ListedFile[], prefix: string): Promise<{ unfinished: boolean }> {
  const o = run.opts;
  const saver = new StateSaver(o.out, state);
  const inScope = (p: string): boolean => p.startsWith(prefix) && (o.maxDepth === undefined || p.slice(prefix.length).split('/').length <= o.maxDepth);
  const wanted = listed.filter((f) => inScope(f.path + (f.isDir ? '/' : '')));
  const dirs = new Set(wanted.filter((f) => f.isDir).map((f) => f.path));
  for (const d of dirs) await mkdir(path.join(o.out, d), { recursive: true });

  const names = new Set(wanted.filter((f) => !f.isDir).map((f) => f.path));
  for (const p of Object.keys(state.files)) {
    if (!p.startsWith(prefix) || names.has(p)) continue;
    await rm(path.join(o.out, p), { force: true });
    delete state.files[p];
    run.stats.deleted++;
    run.emit({ kind: 'deleted', path: p });
    // Folders emptied by the deletion go too, unless the server still lists them.
    for (let d = path.posix.dirname(p); d !== '.' && !dirs.has(d); d = path.posix.dirname(d)) {
      try {
        await rmdir(path.join(o.out, d));
      } catch {
        break;
      }
    }
  }

  const work: typeof wanted = [];
  for (const f of wanted) {
    if (f.isDir) continue;
    if (state.files[f.path] === f.version && (await exists(path.join(o.out, f.path)))) run.stats.upToDate++;
    else work.push(f);
  }
  const todo = o.maxItems === undefined ? work : work.slice(0, o.maxItems);
  run.stats.queued = todo.length;
  const from = { host: o.start.host, port: o.start.port };
  let next = 0;
  await runPool({
    concurrency: o.concurrency,
    delayMs: o.delayMs,
    signal: o.signal,
    take: () => todo[next++],
    run: async (f) => {
      const where = formatGopherUrl({ ...from, itemType: fileTypeOf(f.path).itemType, selector: f.selector });
      try {
        const bytes = await run.fetch({ ...from, selector: f.selector });
        const error = gopherError(bytes, from);
        if (error !== undefined) throw new Error(`server says: ${error}`);
        if (f.selector.endsWith('.txt') && isMenuAnswer(bytes)) throw new Error('server says the article is unavailable right now');
        const outcome = await writeIfChanged(path.join(o.out, f.path), bytes);
        state.files[f.path] = f.version;
        saver.touch();
        run.saved(where, f.path, outcome, bytes.length);
      } catch (err) {
        if (isAbort(err)) return;
        run.fail(where, err);
      } finally {
        run.stats.queued = Math.max(0, todo.length - next);
      }
    },
  });
  await saver.flush();
  return { unfinished: todo.length < work.length && !run.aborted };
}
