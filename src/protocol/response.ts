import type { MenuItem } from './menu-item.js';

/**
 * What a route answers: the server never looks inside, it hands this to the encoder.
 * - menu: a gopher directory (RFC 1436 §3.8), ended by `.`; `transient` ones ("try again") are never cached
 * - text: a type-0 document, sent as-is (no dot-stuffing, no terminator, as Gophernicus does)
 * - bytes: a binary or pre-encoded body (images, html pages)
 * - file: a file on disk to stream with backpressure
 * - error: a type-3 line, then `.`
 */
export type Response =
  | { readonly kind: 'menu'; readonly items: readonly MenuItem[]; readonly title?: string; readonly transient?: boolean }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'bytes'; readonly bytes: Buffer; readonly mime: string }
  // mtimeMs: what the archive recorded; the server refuses a file that no longer matches it
  | { readonly kind: 'file'; readonly path: string; readonly size: number; readonly mime: string; readonly mtimeMs?: number }
  | { readonly kind: 'error'; readonly message: string };

export const menu = (items: readonly MenuItem[], title?: string): Response => ({ kind: 'menu', items, title });
export const text = (body: string): Response => ({ kind: 'text', text: body });
export const notFound = (what = 'Resource not found'): Response => ({ kind: 'error', message: what });
