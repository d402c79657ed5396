import { readdir } from 'node:fs/promises';
import { runPool } from '../mirror/pool.js';
import { idOfFile } from '../archive/selectors.js';
import { utcDateLine } from './dates.js';
import type { Extraction } from './extract.js';
import type { FeedItem } from './feed.js';
import { HttpError, type HttpLimits, type Validators } from './http.js';
import { importItem, plannedPath, type ItemJob } from './item.js';
import { pageKey } from './links.js';
import { HostPacer } from './pace.js';
import { classify, loadUrl } from './sources.js';
import { loadImportState, saveImportState, stateText, type ImportState } from './state.js';

export interface ImportOptions {
  /** feeds, OPML lists and pages, as URLs (local files as file: URLs) */
  readonly inputs: readonly string[];
  readonly content: string;
  readonly images: boolean;
  readonly delayMs: number;
  readonly concurrency: number;
  readonly limits: HttpLimits;
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: ImportEvent) => void;
}

export interface ImportStats {
  new: number;
  changed: number;
  unchanged: number;
  failed: number;
  /** articles to do in this run, known once every source is read */
  total: number;
  /** how many articles each extraction gave */
  readonly via: Partial<Record<Extraction, number>>;
}

export type ImportEvent =
  | { readonly kind: 'progress'; readonly stats: ImportStats }
  | { readonly kind: 'item'; readonly outcome: 'new' | 'changed' | 'unchanged'; readonly relPath: string; readonly url: string; readonly via?: Extraction; readonly detail?: string }
  | { readonly kind: 'failed'; readonly url: string; readonly message: string }
  | { readonly kind: 'note'; readonly message: string };

export interface ImportResult {
  readonly stats: ImportStats;
  readonly interrupted: boolean;
}

/** Ids of the articles already in content/ → their paths: an import never writes a second file for one. */
async function idsInContent(content: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  let names: string[] = [];
  try {
    names = await readdir(content, { recursive: true });
  } catch {
    return ids;
  }
  for (const rel of names) {
    const p = rel.split('\\').join('/');
    if (p.split('/').some((s) => s.startsWith('.'))) continue;
    const id = idOfFile(p);
    if (id !== undefined && !ids.has(id)) ids.set(id, p);
  }
  return ids;
}

/** Sources → the articles they hold. An OPML list's feeds are fetched in turn (one level: a list of lists is not followed). */
async function collectJobs(opts: ImportOptions, state: ImportState, fetchUrl: (url: string, v?: Validators) => ReturnType<typeof loadUrl>, stats: ImportStats, emit: (e: ImportEvent) => void): Promise<ItemJob[]> {
  const jobs: ItemJob[] = [];
  // Where each page went last time (its id may come from the page itself: a rule found by its marker).
  const byUrl = new Map<string, string>();
  for (const [rel, a] of Object.entries(state.articles)) if (a.url) byUrl.set(pageKey(a.url), rel);
  const planned = (item: FeedItem | undefined, url: string | undefined): string => (url ? byUrl.get(pageKey(url)) : undefined) ?? plannedPath(item, url);
  const queue = opts.inputs.map((url) => ({ url, fromOpml: false }));
  const failSource = (url: string, message: string): void => {
    stats.failed++;
    emit({ kind: 'failed', url, message });
  };
  await runPool({
    take: () => queue.shift(),
    concurrency: opts.concurrency,
    delayMs: 0,
    signal: opts.signal,
    run: async ({ url, fromOpml }) => {
      const before = state.sources[url];
      if (before?.kind === 'page') {
        // A page given on its own: fetched once, conditionally, as its article (item.ts).
        jobs.push({ source: url, pageUrl: url, relPath: before.articles[0] ?? planned(undefined, url) });
        return;
      }
      try {
        const r = await fetchUrl(url, before?.validators);
        if (r.kind === 'not-modified') {
          stats.unchanged += before?.articles.length ?? 0;
          return;
        }
        const doc = classify(r.bytes, r.contentType, r.url);
        if (doc.kind === 'opml') {
          if (fromOpml) return failSource(url, 'an OPML list inside an OPML list is not followed');
          queue.push(...doc.feeds.map((f) => ({ url: f, fromOpml: true })));
          return;
        }
        if (doc.kind === 'page') {
          const relPath = planned(undefined, r.url);
          state.sources[url] = { kind: 'page', validators: r.validators, articles: [relPath] };
          jobs.push({ source: url, pageUrl: r.url, fetched: { url: r.url, html: doc.html, validators: r.validators }, relPath });
          return;
        }
        const feedJobs = doc.items.map((item: FeedItem) => ({ source: url, item, ...(item.link ? { pageUrl: item.link } : {}), relPath: planned(item, item.link) }));
        jobs.push(...feedJobs);
        state.sources[url] = { kind: 'feed', validators: r.validators, articles: feedJobs.map((j) => j.relPath) };
        if (doc.items.length === 0) emit({ kind: 'note', message: `${url}: a ${doc.format} feed with no items` });
      } catch (err) {
        failSource(url, (err as Error).message);
      }
    },
  });
  return jobs;
}

/**
 * One import run: fetch every source, then every article (at most `concurrency` at a time, each host
 * paced by `delayMs`), write what is new or changed, and keep the validators for the next run.
 */
export async function runImport(opts: ImportOptions): Promise<ImportResult> {
  const emit = (e: ImportEvent): void => opts.onEvent?.(e);
  const state = await loadImportState(opts.content);
  const before = stateText(state);
  const stats: ImportStats = { new: 0, changed: 0, unchanged: 0, failed: 0, total: 0, via: {} };
  const pacer = new HostPacer(opts.delayMs, opts.signal);
  const load = (url: string, v?: Validators): ReturnType<typeof loadUrl> =>
    pacer.run(url, async () => {
      if (opts.signal?.aborted) throw new HttpError('interrupted');
      return loadUrl(url, opts.limits, v, opts.signal);
    });

  const found = await collectJobs(opts, state, load, stats, emit);
  // One job per file: the same article in two feeds is imported once.
  const seen = new Set<string>();
  const jobs = found.filter((j) => !seen.has(j.relPath) && seen.add(j.relPath));
  stats.total = jobs.length + stats.unchanged + stats.failed;

  const known = new Map<string, string>();
  for (const a of Object.values(state.articles)) if (a.url) known.set(pageKey(a.url), a.selector);
  for (const j of jobs) if (j.pageUrl && !known.has(pageKey(j.pageUrl))) known.set(pageKey(j.pageUrl), `/${j.relPath.replace(/\.txt$/, '')}`);
  const written = new Set(Object.keys(state.articles));
  const ids = new Map([...(await idsInContent(opts.content))].filter(([, p]) => !written.has(p)));
  const ctx = { content: opts.content, state, known, ids, images: opts.images, today: utcDateLine(Date.now()), load, note: (message: string) => emit({ kind: 'note', message }) };

  await runPool({
    take: () => jobs.shift(),
    concurrency: opts.concurrency,
    delayMs: 0,
    signal: opts.signal,
    run: async (job) => {
      const url = job.pageUrl ?? job.item?.guid ?? job.source;
      try {
        const r = await importItem(job, ctx);
        const source = state.sources[job.source];
        if (source && r.relPath !== job.relPath) state.sources[job.source] = { ...source, articles: source.articles.map((p) => (p === job.relPath ? r.relPath : p)) };
        stats[r.outcome]++;
        if (r.via) stats.via[r.via] = (stats.via[r.via] ?? 0) + 1;
        emit({ kind: 'item', outcome: r.outcome, relPath: r.relPath, url, ...(r.via ? { via: r.via } : {}), ...(r.detail ? { detail: r.detail } : {}) });
      } catch (err) {
        if (opts.signal?.aborted) return;
        stats.failed++;
        emit({ kind: 'failed', url, message: (err as Error).message });
      }
      emit({ kind: 'progress', stats });
    },
  });
  await saveImportState(opts.content, state, before);
  return { stats, interrupted: opts.signal?.aborted === true };
}
