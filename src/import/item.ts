import { createHash } from 'node:crypto';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { writeIfChanged, type WriteOutcome } from '../mirror/save.js';
import { articleFile } from './article-file.js';
import { buildArticle } from './build-article.js';
import { extractFromFeed, extractFromPage, type Extraction } from './extract.js';
import type { FeedItem } from './feed.js';
import type { HttpResult, Validators } from './http.js';
import { articleId, siteFolder, siteName } from './ids.js';
import { saveImages } from './images.js';
import { ruleForHost } from './site-rules.js';
import { classify } from './sources.js';
import type { ImportState } from './state.js';

/** One article to import: a feed's item (with or without a page to fetch), or a page given on its own. */
export interface ItemJob {
  /** the feed or page it was given as */
  readonly source: string;
  readonly item?: FeedItem;
  /** the article page: the item's link, or the page given */
  readonly pageUrl?: string;
  /** a page given on its own, already fetched to tell it from a feed */
  readonly fetched?: { readonly url: string; readonly html: string; readonly validators: Validators };
  /** where it is expected to go (the last run's path, else one from its URL and guid) */
  readonly relPath: string;
}

export interface ItemContext {
  readonly content: string;
  readonly state: ImportState;
  /** pages of the archive by URL → selector (links.ts) */
  readonly known: ReadonlyMap<string, string>;
  /** ids in content/ → their path, for ids `import` did not write */
  readonly ids: ReadonlyMap<string, string>;
  readonly images: boolean;
  readonly today: string;
  /** a paced, limited GET (or a file read) */
  readonly load: (url: string, validators?: Validators) => Promise<HttpResult>;
  readonly note: (message: string) => void;
}

export interface ItemResult {
  readonly outcome: WriteOutcome;
  readonly relPath: string;
  readonly via?: Extraction;
  /** why it was not written, or what was used instead of the page */
  readonly detail?: string;
}

export class ItemError extends Error {}

const exists = (p: string): Promise<boolean> => access(p).then(() => true, () => false);

/** The feed item as it was: when it changes (a new title, tags, text) the page is fetched again in full. */
export function fingerprint(item: FeedItem | undefined): string {
  if (!item) return '';
  const { title, link, guid, date, categories, content, summary } = item;
  return createHash('sha256').update(JSON.stringify([title, link, guid, date, categories, content, summary])).digest('base64url').slice(0, 22);
}

/** Where an item is expected to go before its page is read: by its URL's host rule, its guid or its link. */
export function plannedPath(item: FeedItem | undefined, pageUrl: string | undefined): string {
  const url = new URL(pageUrl ?? item?.base ?? 'file:///');
  const rule = ruleForHost(url);
  const site = siteName(url, rule);
  return `${siteFolder(site)}/!${articleId({ site, url: pageUrl, guid: item?.guid, rule })}.txt`;
}

async function fetchPage(job: ItemJob, ctx: ItemContext, validators: Validators): Promise<{ url: string; html: string; validators: Validators } | 'not-modified'> {
  if (job.fetched) return job.fetched;
  const r = await ctx.load(job.pageUrl!, validators);
  if (r.kind === 'not-modified') return 'not-modified';
  const c = classify(r.bytes, r.contentType, r.url);
  if (c.kind !== 'page') throw new ItemError('a feed where an article page was expected');
  return { url: r.url, html: c.html, validators: r.validators };
}

/**
 * Import one article: fetch its page (conditionally when the item is unchanged), extract it (site rule,
 * Readability, the feed's content, its summary), lay it out and write it by rename. Throws ItemError or
 * HttpError with the one line to tell the user.
 */
export async function importItem(job: ItemJob, ctx: ItemContext): Promise<ItemResult> {
  const prev = ctx.state.articles[job.relPath];
  const fp = fingerprint(job.item);
  const current = prev !== undefined && prev.fingerprint === fp && (await exists(path.join(ctx.content, job.relPath)));
  let page: { url: string; html: string; validators: Validators } | undefined;
  let pageProblem: string | undefined;
  if (job.fetched || job.pageUrl) {
    try {
      const got = await fetchPage(job, ctx, current ? prev.validators : {});
      if (got === 'not-modified') return { outcome: 'unchanged', relPath: job.relPath, detail: 'not modified' };
      page = got;
    } catch (err) {
      if (job.item?.content === undefined && job.item?.summary === undefined) throw err;
      pageProblem = (err as Error).message;
    }
  }
  const fromPage = page ? extractFromPage(page.html, page.url) : undefined;
  if (page && !fromPage) pageProblem = 'no article found in the page';
  const ex = fromPage ?? (job.item ? extractFromFeed(job.item) : undefined);
  if (!ex) throw new ItemError(pageProblem ?? 'no article: no page and no content in the feed');

  // The site and id from what the page says of itself (a rule found by its marker, its canonical address).
  const where = new URL(ex.canonical ?? page?.url ?? job.pageUrl ?? job.item?.base ?? job.source);
  const rule = ex.rule ?? ruleForHost(where);
  const site = siteName(where, rule);
  const id = articleId({ site, url: where.href, guid: job.item?.guid, rule });
  const relPath = ctx.state.articles[job.relPath] ? job.relPath : `${siteFolder(site)}/!${id}.txt`;
  const other = ctx.ids.get(id);
  if (other !== undefined && other !== relPath) return { outcome: 'unchanged', relPath: other, via: ex.via, detail: `!${id} is already in the archive as ${other}` };

  const firstSeen = ctx.state.articles[relPath]?.firstSeen ?? ctx.today;
  // A rule's title (kicker: headline) is the site's own; else the feed's, which carries no site name.
  const article = buildArticle(ex, job.item, site, ctx.known, firstSeen, ex.rule ? undefined : job.item?.title);
  if (!article.blocks.some((b) => b.kind === 'paragraph' || b.kind === 'pre')) throw new ItemError(pageProblem ?? 'no article text found');
  const abs = path.join(ctx.content, relPath);
  const outcome = await writeIfChanged(abs, Buffer.from(articleFile(article), 'utf8'));
  if (ctx.images) await saveImages(article.blocks, abs.replace(/\.txt$/, ''), (u) => ctx.load(u), ctx.note);
  ctx.state.articles[relPath] = {
    ...(page?.url ?? job.pageUrl ? { url: page?.url ?? job.pageUrl } : {}),
    selector: `/${relPath.replace(/\.txt$/, '')}`,
    validators: page?.validators ?? {},
    fingerprint: fp,
    firstSeen,
  };
  return { outcome, relPath, via: ex.via, ...(pageProblem ? { detail: `page: ${pageProblem}` } : {}) };
}
