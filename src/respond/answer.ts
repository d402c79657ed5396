import type { Charset } from '../charset/charset.js';
import { encodeText } from '../charset/encode.js';
import { renderError, renderMenu, renderPlusDirectory, type Origin } from '../protocol/encode-menu.js';
import { itemTypeOf, type Document } from '../protocol/document.js';

/**
 * What `app.request` gives the server for one request line: bytes ready for the wire, or a file to
 * stream. `itemType`, `status` and `selector` are what the access log says about it.
 */
export type Answer =
  | {
      readonly kind: 'bytes';
      readonly bytes: Buffer;
      readonly status: 'ok' | 'transient' | 'error';
      readonly itemType: string;
      /** the request as the log shows it: the selector, with TAB and the query of a search */
      readonly selector: string;
      /**
       * For bytes shared with a cache of a bounded size (a small file kept in memory): keep them
       * counted while a slow client still holds them; call what it returns once the socket closes.
       */
      readonly hold?: () => () => void;
    }
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly size: number;
      /** what the archive recorded: a file that no longer matches is refused, never mixed */
      readonly mtimeMs: number;
      readonly itemType: string;
      readonly selector: string;
    };

/** Encode a document for gopher in the server's charset; `plus` is a Gopher+ `$` request for a menu's attributes. */
export function encodeAnswer(doc: Document, selector: string, origin: Origin, charset: Charset, plus: boolean): Answer {
  const itemType = itemTypeOf(doc);
  switch (doc.kind) {
    case 'menu': {
      const status = doc.transient ? 'transient' : 'ok';
      // Gopher+ `$` asks for a menu's attribute blocks (the UMN client's first request).
      const body = plus ? renderPlusDirectory(doc.items, origin) : renderMenu(doc.items, origin);
      return { kind: 'bytes', bytes: encodeText(body, charset), status, itemType, selector };
    }
    case 'text':
      return { kind: 'bytes', bytes: encodeText(doc.text, charset), status: 'ok', itemType, selector };
    case 'bytes':
      return { kind: 'bytes', bytes: doc.bytes, status: 'ok', itemType, selector };
    case 'file':
      return { kind: 'file', path: doc.path, size: doc.size, mtimeMs: doc.mtimeMs, itemType, selector };
    case 'error':
      return { kind: 'bytes', bytes: errorBytes(doc.message, origin, charset), status: 'error', itemType, selector };
  }
}

/** A type-3 line and the final `.`, as every client shows an error. */
export function errorBytes(message: string, origin: Origin, charset: Charset): Buffer {
  return encodeText(renderError(message, origin), charset);
}
