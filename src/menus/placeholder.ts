import { fileTypeOfItemType } from '../protocol/file-types.js';
import { menu, text, type Document } from '../protocol/document.js';
import { info, link } from '../protocol/menu-item.js';

/** A 1×1 transparent GIF: a valid image for (IMG) items whose picture was not archived. */
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const NOTE = 'This item was not archived. The article it belongs to is complete without it.\n';

/**
 * Something valid of the item's type for items whose target the archive lacks, so that no item on
 * this server leads to an error (an image is an image, a text a text, an HTML page a page).
 */
export function placeholder(itemTypeHex: string): Document | undefined {
  if (!/^[0-9a-f]{2}$/.test(itemTypeHex)) return undefined;
  const itemType = String.fromCharCode(parseInt(itemTypeHex, 16));
  switch (itemType) {
    case 'I':
    case 'g':
      return { kind: 'bytes', bytes: GIF, type: fileTypeOfItemType('g') };
    case '0':
      return text(NOTE);
    case '1':
      return menu([info(NOTE.trim()), link('1', 'Back to the front page', '/')]);
    case 'h':
      return {
        kind: 'bytes',
        type: fileTypeOfItemType('h'),
        bytes: Buffer.from(`<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Not archived</title></head><body><p>${NOTE.trim()}</p></body></html>\n`),
      };
    default:
      return { kind: 'bytes', bytes: Buffer.from(NOTE), type: fileTypeOfItemType(itemType) };
  }
}
