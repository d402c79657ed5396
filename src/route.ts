import path from 'node:path';
import { articleText } from './article/article-text.js';
import type { ArticleEntry } from './archive/entry.js';
import { sameVersion } from './archive/folder-diff.js';
import { readArticle } from './archive/read-article.js';
import { idOfSelector, RESERVED_TOP } from './archive/selectors.js';
import { insideRoot, relPathOfSelector } from './archive/content-path.js';
import { aboutMenu, capsText } from './menus/about-menu.js';
import { allMenu, indexText } from './menus/all-menu.js';
import { filesText } from './menus/files-text.js';
import { articleMenu } from './menus/article-menu.js';
import type { MenuContext } from './menus/context.js';
import { dateMenu } from './menus/date-menus.js';
import { dirMenu } from './menus/dir-menu.js';
import { splitPage } from './menus/paging.js';
import { placeholder } from './menus/placeholder.js';
import { rootMenu } from './menus/root-menu.js';
import { searchRequest } from './search/search-request.js';
import { tagIndexMenu, tagMenu } from './menus/tag-menus.js';
import { fileTypeOf } from './protocol/file-types.js';
import { gophermapPath, loadGophermap } from './gophermap/load-gophermap.js';
import { gophermapMenu } from './menus/gophermap-menu.js';
import { urlRedirect } from './menus/url-redirect.js';
import { info, link, type MenuItem } from './protocol/menu-item.js';
import type { GopherRequest } from './protocol/request.js';
import { menu, notFound, text, type Document } from './protocol/document.js';

export interface RouteContext extends MenuContext {
  /** absolute path of content/ */
  readonly root: string;
  /** the same with every symlink resolved, to check that a path stays inside */
  readonly rootReal: string;
}

/** The absolute path of a file the archive knows, or undefined if it now resolves outside content/. */
function safePath(ctx: RouteContext, rel: string): string | undefined {
  const abs = path.join(ctx.root, rel);
  return insideRoot(ctx.rootReal, abs) ? abs : undefined;
}

/**
 * Above this an article file is not parsed and rendered (its menu is ~1.15× the file, built whole in
 * memory) but streamed as stored, its plain text, with a line in the server's log: 20 clients asking
 * for a 50 MB article took one process from 77 MB to 1.36 GB.
 */
export const ARTICLE_MENU_MAX_BYTES = 1024 * 1024;

const orError = (items: readonly MenuItem[] | undefined, what: string): Document => (items ? menu(items) : notFound(what));

/** An article answered from its file, checked against what the archive recorded for it. */
async function articleResponse(ctx: RouteContext, e: ArticleEntry, asText: boolean): Promise<Document> {
  if (e.broken) return unavailable(e, e.broken);
  const abs = safePath(ctx, e.relPath);
  if (abs === undefined) return unavailable(e, 'not inside content/');
  if (e.size > ARTICLE_MENU_MAX_BYTES) {
    const note = `${e.relPath}: ${e.size} bytes, over the ${ARTICLE_MENU_MAX_BYTES} bytes of an article served as a menu: served as its plain text`;
    return { kind: 'file', path: abs, size: e.size, mtimeMs: e.mtimeMs, type: fileTypeOf(e.relPath), note };
  }
  let r;
  try {
    r = await readArticle(abs, e.relPath);
  } catch (err) {
    return unavailable(e, (err as NodeJS.ErrnoException).code ?? 'unreadable');
  }
  // A file that changed since the archive last saw it settle may be half written: don't serve it.
  if (!sameVersion(e, r)) return unavailable(e, 'being updated, try again in a moment');
  return asText ? text(articleText(r.article)) : menu(articleMenu(ctx, r.article, e));
}

function unavailable(e: ArticleEntry, reason: string): Document {
  return { kind: 'menu', transient: true, items: [
    info(`# ${e.title}`),
    info(''),
    info(`This article is unavailable right now (${reason}).`),
    info(''),
    link('1', 'Back to the front page', '/'),
  ] };
}

/** A folder with a `gophermap` serves it; without one, or when it is unreadable or binary, the generated listing. */
async function folderMenu(ctx: RouteContext, rel: string): Promise<Document> {
  const map = ctx.archive.file(gophermapPath(rel)) ? await loadGophermap(ctx, rel) : undefined;
  if (map) return menu(gophermapMenu(ctx, rel, map));
  return orError(dirMenu(ctx, rel, 1, `/${rel}/`), 'No such folder');
}

/** content/gophermap, if the operator wrote one, is the front page's welcome text. */
async function welcome(ctx: RouteContext): Promise<MenuItem[]> {
  const map = ctx.archive.file(gophermapPath('')) ? await loadGophermap(ctx, '') : undefined;
  return map ? gophermapMenu(ctx, '', map, true) : [];
}

/** One request → one response. The selector scheme is documented in archive/selectors.ts. */
export async function route(ctx: RouteContext, req: GopherRequest): Promise<Document> {
  const sel = req.selector;
  const a = ctx.archive;
  if (sel === '' || sel === '/') return menu(rootMenu(ctx, await welcome(ctx)));
  if (/^\/?URL:/.test(sel)) return urlRedirect(sel.replace(/^\/?URL:/, ''));

  const byId = idOfSelector(sel);
  if (byId) {
    const e = a.byId(byId.id);
    if (e) return articleResponse(ctx, e, byId.text);
  }

  const top = sel.replace(/^\//, '').split('/')[0]!;
  if (RESERVED_TOP.has(top)) {
    const rest = sel.replace(/^\/?[^/]*\/?/, '');
    const { base, page } = splitPage(sel);
    const restNoPage = base.replace(/^\/?[^/]*\/?/, '');
    switch (top) {
      case 'about':
        return menu(aboutMenu(ctx));
      case 'caps.txt':
        return text(capsText(ctx));
      case 'index.txt':
        return text(indexText(ctx));
      case 'files.txt':
        return text(filesText(ctx));
      case 'all':
        return orError(allMenu(ctx, page), 'No such page');
      case 'tags':
        return orError(tagIndexMenu(ctx, restNoPage, page), 'No such tag letter');
      case 'tag':
        return orError(tagMenu(ctx, restNoPage.replace(/\/$/, ''), page), 'No such tag in this archive');
      case 'date':
        return orError(dateMenu(ctx, restNoPage.split('/').filter(Boolean), page), 'No articles for that date');
      case 'search':
        return searchRequest(ctx, req, rest);
      case 'placeholder':
        return placeholder(rest) ?? notFound();
      case 'browse': {
        // `/browse/` lists content/, `/browse/<folder>/` that folder; nothing else under it exists.
        const relDir = restNoPage === '' ? '' : restNoPage.endsWith('/') ? relPathOfSelector(restNoPage) || undefined : undefined;
        if (relDir === undefined || (relDir !== '' && !a.isDir(relDir))) return notFound('No such folder');
        return orError(dirMenu(ctx, relDir, page, relDir === '' ? '/browse/' : `/browse/${relDir}/`), 'No such page');
      }
    }
  }

  const rel = relPathOfSelector(sel);
  if (rel === undefined) return notFound('Resource not found');
  const article = a.byRelPath(rel + '.txt');
  if (article) return articleResponse(ctx, article, false);
  const asText = rel.endsWith('.txt') ? a.byRelPath(rel) : undefined;
  if (asText) return articleResponse(ctx, asText, true);
  if (a.isDir(rel)) return folderMenu(ctx, rel);
  const f = a.file(rel);
  const abs = f && safePath(ctx, rel);
  if (f && abs) return { kind: 'file', path: abs, size: f.size, type: fileTypeOf(rel), mtimeMs: f.mtimeMs };
  const { base, page } = splitPage(sel);
  if (page > 1) {
    const relDir = relPathOfSelector(base);
    if (relDir !== undefined && a.isDir(relDir)) return orError(dirMenu(ctx, relDir, page, `/${relDir}/`), 'No such page');
  }
  return notFound('Resource not found');
}
