import path from 'node:path';
import { FetchError } from './fetch.js';
import { formatGopherUrl } from './gopher-url.js';
import { gopherError, parseMenu, type ParsedItem } from './parse-menu.js';
import { runPool } from './pool.js';
import { isAbort, type Run } from './run.js';
import { articleFile, gophermapFile, isArticleMenu, MAX_PATH_BYTES, MAX_SEGMENT_BYTES, mirrorPathOfSelector, writeIfChanged } from './save.js';
import { StateSaver, type MirrorState, type QueuedItem } from './state.js';

/**
 * Item types that are not documents to copy: info and error lines, searches (no finite answer),
 * telnet/tn3270/CSO sessions, redundant servers (RFC 1436 §3.8).
 */
const NOT_FETCHED = new Set(['i', '3', '7', '8', 'T', '2', '+']);

/**
 * Bounds of a crawl unless given: a server that makes up selectors without end (each menu linking
 * deeper ones) is stopped 20 links deep and at 100,000 items a run, instead of filling the disk.
 */
export const CRAWL_DEFAULTS = { maxDepth: 20, maxItems: 100_000 } as const;

/** One key per document: every non-menu type names the same bytes; `` and `/` are the same root menu. */
function itemKey(i: { itemType: string; selector: string; host: string; port: number }): string {
  return `${i.host}:${i.port}\t${i.itemType === '1' ? '1' : '0'}${i.selector === '' ? '/' : i.selector}`;
}

const isMenuKey = (key: string): boolean => key.charAt(key.indexOf('\t') + 1) === '1';

/** Whether a crawl follows a menu item at all (any host); `URL:` selectors are web links, not gopher. */
function isFetchable(i: ParsedItem): boolean {
  return !NOT_FETCHED.has(i.itemType) && !i.selector.startsWith('URL:') && i.host !== '' && i.port > 0;
}

/**
 * The breadth-first crawl of any gopher server: menus become article files (taz.de's `/…/!123`, or a
 * menu headed `# site -- title`) or gophermaps, everything else is saved as the bytes it was sent.
 * Without a list of versions, "changed" means "fetched and different": unchanged files are not rewritten.
 */
export async function crawl(run: Run, state: MirrorState): Promise<{ unfinished: boolean }> {
  const o = run.opts;
  const maxDepth = o.maxDepth ?? CRAWL_DEFAULTS.maxDepth;
  const maxItems = o.maxItems ?? CRAWL_DEFAULTS.maxItems;
  const self = { host: o.start.host, port: o.start.port };
  const saver = new StateSaver(o.out, state);
  const queue: QueuedItem[] = [];
  const inFlight = new Set<QueuedItem>();
  const seen = new Set<string>();
  // Where menus went (gophermaps, article files), this pass and the last: no document is saved over one.
  const menuFiles = new Set(Object.entries(state.done).filter(([k, f]) => isMenuKey(k) && f !== '').map(([, f]) => f));
  let tooLong = 0;

  if (!state.complete && state.pending.length > 0) {
    queue.push(...state.pending);
    for (const k of Object.keys(state.done)) seen.add(k);
    for (const p of state.pending) seen.add(itemKey(p));
    run.emit({ kind: 'note', message: `resuming: ${Object.keys(state.done).length} items already fetched, ${queue.length} to go` });
  } else {
    state.done = {};
    const first: QueuedItem = { ...o.start, depth: 0, title: '' };
    queue.push(first);
    seen.add(itemKey(first));
  }
  state.complete = false;

  /** Where an item lives in the mirror: its selector's path, under `host_port/` when from another server. */
  const pathOf = (i: QueuedItem): string | undefined => {
    const rel = mirrorPathOfSelector(i.selector);
    if (rel === undefined) return undefined;
    if (i.host === self.host && i.port === self.port) return rel;
    const other = mirrorPathOfSelector(`${i.host}_${i.port}`);
    return other && (rel === '' ? other : `${other}/${rel}`);
  };

  const enqueue = (from: QueuedItem, items: readonly ParsedItem[]): void => {
    if (from.depth + 1 > maxDepth) return;
    for (const i of items) {
      if (!isFetchable(i)) continue;
      if (!o.followHosts && (i.host !== self.host || i.port !== self.port)) continue;
      const key = itemKey(i);
      if (seen.has(key)) continue;
      seen.add(key);
      const item = { itemType: i.itemType, selector: i.selector, host: i.host, port: i.port, depth: from.depth + 1, title: i.display };
      // Not fetched at all, and counted in one note: one failure line each would be a storm.
      if (pathOf(item) === undefined) tooLong++;
      else queue.push(item);
    }
  };

  /** Why an item cannot be saved, known before fetching it. */
  const unsaveable = (t: QueuedItem, rel: string | undefined): string | undefined => {
    if (rel === undefined) return 'selector too long for a file name';
    if (t.itemType === '1') return undefined;
    if (rel === '') return 'no file name for an empty selector';
    // gopherpress reads a file named gophermap as its folder's menu (and never serves it as a file).
    if (path.posix.basename(rel) === 'gophermap' || menuFiles.has(rel)) return `not saved: ${rel} is where a menu is saved`;
    return undefined;
  };

  const fetchItem = async (t: QueuedItem): Promise<void> => {
    const key = itemKey(t);
    const where = formatGopherUrl(t);
    const rel = pathOf(t);
    const refused = unsaveable(t, rel);
    if (refused !== undefined || rel === undefined) {
      state.done[key] = '';
      return run.fail(where, new Error(refused));
    }
    let bytes: Buffer;
    try {
      bytes = await run.fetch(t);
    } catch (err) {
      if (isAbort(err)) return void queue.unshift(t);
      // A network failure may pass: tried once more at the end of the queue (of the next run if this
      // one stops first), and reported only if that fails too, so each failure is one line.
      if (err instanceof FetchError && (err.failure === 'connect' || err.failure === 'reset') && (t.tries ?? 0) === 0) {
        return void queue.push({ ...t, tries: 1 });
      }
      state.done[key] = '';
      return run.fail(where, err);
    }
    state.done[key] = '';
    const from = { host: t.host, port: t.port };
    const error = gopherError(bytes, from);
    if (error !== undefined) return run.fail(where, new Error(`server says: ${error}`));
    let file: string;
    let body: string | Buffer;
    if (t.itemType === '1') {
      const menu = parseMenu(bytes, from);
      if (menu.malformed > 0) run.emit({ kind: 'note', message: `${where}: ${menu.malformed} malformed menu lines kept as text` });
      if (rel !== '' && isArticleMenu(t.selector, menu.items)) {
        file = `${rel}.txt`;
        body = articleFile(menu.items, t.host, t.title);
      } else {
        file = rel === '' ? 'gophermap' : `${rel}/gophermap`;
        body = gophermapFile(menu.items, self);
      }
      enqueue(t, menu.items);
    } else {
      file = rel;
      body = bytes;
    }
    try {
      const outcome = await writeIfChanged(path.join(o.out, file), typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
      if (t.itemType === '1') menuFiles.add(file);
      state.done[key] = file;
      run.saved(where, file, outcome, bytes.length);
    } catch (err) {
      run.fail(where, new Error(`cannot save ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`));
    }
  };

  let taken = 0;
  await runPool({
    concurrency: o.concurrency,
    delayMs: o.delayMs,
    signal: o.signal,
    take: () => {
      if (taken >= maxItems) return undefined;
      const t = queue.shift();
      run.stats.queued = queue.length;
      if (t) {
        taken++;
        inFlight.add(t);
      }
      return t;
    },
    run: async (t) => {
      try {
        await fetchItem(t);
      } finally {
        inFlight.delete(t);
        run.stats.queued = queue.length;
        state.pending = [...inFlight, ...queue];
        saver.touch();
      }
    },
  });
  if (tooLong > 0) run.emit({ kind: 'note', message: `${tooLong} items not fetched: selector too long for a file name (over ${MAX_SEGMENT_BYTES} bytes a name or ${MAX_PATH_BYTES} a path)` });
  state.pending = [...queue];
  state.complete = state.pending.length === 0;
  run.stats.queued = state.pending.length;
  await saver.flush();
  return { unfinished: queue.length > 0 && !run.aborted };
}
