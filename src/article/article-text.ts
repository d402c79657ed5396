import { LABEL_WIDTH } from '../protocol/item-type.js';
import { itemTypeInfo } from '../protocol/item-type.js';
import type { Article } from './article.js';

/**
 * The type-0 plain text of an article: the article file itself, as lynx prints the menu, with LF line
 * ends. Plain clients read it as is, and a mirror gets the file back byte for byte.
 */
export function articleText(article: Article): string {
  const indent = ' '.repeat(LABEL_WIDTH);
  return article.lines
    .map((l, i) => {
      if (l.kind === 'item') return itemTypeInfo(l.itemType).lynxLabel + l.display;
      return i === 0 || l.flush ? l.text : indent + l.text;
    })
    .join('\n') + '\n';
}
