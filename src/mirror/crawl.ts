import path from 'node:path';
import { FetchError } from './fetch.js';
import { formatGopherUrl } from './gopher-url.js';
import { gopherError, parseMenu, type ParsedItem } from './parse-menu.js';
import { runPool } from './pool.js';
import { isAbort, type Run } from './run.js';
import { articleFile, gophermapFile, isArticleMenu, mirrorPathOfSelector, writeIfChanged } from './save.js';
import { StateSaver, type MirrorState, type QueuedItem } from './state.js';

/**
 * Item types that are not documents to copy: info and error lines, searches (no finite answer),
 * telnet/tn3270/CSO sessions, redundant servers (RFC 1436 §3.8).
 */
const NOT_FETCHED = new Set(['i', '3', '7', '8', 'T', '2', '+']);

/** One key per document: every non-menu type names the same bytes; `` and `/` are the same root menu. */
function itemKey(i: { itemType: string; selector: string; host: string; port: number }): string {
  return `${i.host}:${i.port}\t${i.itemType === '1' ? '1' : '0'}${i.selector === '' ? '/' : i.selector}`;
}

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
  const self = { host: o.start.host, port: o.start.port };
  const saver = new StateSaver(o.out, state);
  const queue: QueuedItem[] = [];
  const inFlight = new Set<QueuedItem>();
  const seen = new Set<string>();

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
    if (o.maxDepth !== undefined && from.depth + 1 > o.maxDepth) return;
    for (const i of items) {
      if (!isFetchable(i)) continue;
      if (!o.followHosts && (i.host !== self.host || i.port !== self.port)) continue;
      const key = itemKey(i);
      if (seen.has(key)) continue;
      seen.add(key);
      queue.push({ itemType: i.itemType, selector: i.selector, host: i.host, port: i.port, depth: from.depth + 1, title: i.display });
    }
  };

  const fetchItem = async (t: QueuedItem): Promise<void> => {
    const key = itemKey(t);
    const where = formatGopherUrl(t);
    let bytes: Buffer;
    try {
      bytes = await run.fetch(t);
    } catch (err) {
      if (isAbort(err)) return void queue.unshift(t);
      // A network failure may pass: tried once more at the end of the queue (of the next run if this one stops first).
      if (err instanceof FetchError && (err.failure === 'connect' || err.failure === 'reset') && (t.tries ?? 0) === 0) {
        queue.push({ ...t, tries: 1 });
      } else state.done[key] = '';
      return run.fail(where, err);
    }
    state.done[key] = '';
    const from = { host: t.host, port: t.port };
    const error = gopherError(bytes, from);
    if (error !== undefined) return run.fail(where, new Error(`server says: ${error}`));
    const rel = pathOf(t);
    if (rel === undefined) return run.fail(where, new Error('selector too long for a file name'));
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
      if (rel === '') return run.fail(where, new Error('no file name for an empty selector'));
      file = rel;
      body = bytes;
    }
    try {
      const outcome = await writeIfChanged(path.join(o.out, file), typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
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
      if (o.maxItems !== undefined && taken >= o.maxItems) return undefined;
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
  state.pending = [...queue];
  state.complete = state.pending.length === 0;
  run.stats.queued = state.pending.length;
  await saver.flush();
  return { unfinished: queue.length > 0 && !run.aborted };
}
