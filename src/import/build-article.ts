import type { ImportedArticle } from './article-file.js';
import { domToBlocks } from './blocks.js';
import { dateLine } from './dates.js';
import type { Extracted } from './extract.js';
import type { FeedItem } from './feed.js';
import { LinkTable } from './links.js';
import { collapseSpace } from './wrap.js';

/**
 * The extracted article in the archive's model: blocks and links from its DOM, the feed's tags (else
 * the page's), the item's date (else the page's, else the day it was first seen). Pure.
 */
export function buildArticle(ex: Extracted, item: FeedItem | undefined, site: string, known: ReadonlyMap<string, string>, firstSeen: string, title?: string): ImportedArticle {
  const links = new LinkTable({ base: ex.base, rule: ex.rule, known });
  const blocks = domToBlocks(ex.root, { links, captionPrefix: ex.rule?.captionPrefix, title: title ?? ex.title });
  const tags = item && item.categories.length > 0 ? item.categories : ex.tags;
  return {
    site,
    title: collapseSpace(title ?? ex.title ?? '') || 'untitled',
    ...(ex.lead ? { lead: ex.lead } : {}),
    blocks,
    links: links.lines(),
    tags,
    date: dateLine(item?.date) ?? dateLine(ex.date) ?? firstSeen,
  };
}
