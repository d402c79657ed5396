import type { FileType } from './file-types.js';
import type { MenuItem } from './menu-item.js';

/**
 * What a selector names, as `route` finds it, before any protocol encodes it: the gopher side
 * (respond/answer.ts) and the web view (web/handler.ts) each encode it their own way.
 * - menu: a gopher directory (RFC 1436 §3.8), ended by `.`; `transient` ones ("try again") are never cached
 * - text: a type-0 document, sent as-is (no dot-stuffing, no terminator, as Gophernicus does)
 * - bytes: a binary or pre-encoded body (images, html pages)
 * - file: a file on disk to stream with backpressure
 * - error: a type-3 line, then `.`
 * `type` says, once, both what gopher calls the body (its item type) and what HTTP does (its MIME type).
 */
export type Document =
  | { readonly kind: 'menu'; readonly items: readonly MenuItem[]; readonly title?: string; readonly transient?: boolean }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'bytes'; readonly bytes: Buffer; readonly type: FileType }
  // mtimeMs: what the archive recorded; the server refuses a file that no longer matches it.
  // note: a line for the operator's log, once per file (an article too large to be a menu).
  | { readonly kind: 'file'; readonly path: string; readonly size: number; readonly type: FileType; readonly mtimeMs: number; readonly note?: string }
  | { readonly kind: 'error'; readonly message: string };

export const menu = (items: readonly MenuItem[], title?: string): Document => ({ kind: 'menu', items, title });
export const text = (body: string): Document => ({ kind: 'text', text: body });
export const notFound = (what = 'Resource not found'): Document => ({ kind: 'error', message: what });

/** The item type a document is served as (RFC 1436 §3.8), as each protocol's access log names it. */
export function itemTypeOf(doc: Document): string {
  switch (doc.kind) {
    case 'menu':
      return '1';
    case 'text':
      return '0';
    case 'bytes':
    case 'file':
      return doc.type.itemType;
    case 'error':
      return '3';
  }
}
