import { decodeText } from '../charset/decode.js';

/**
 * A parsed gopher request line (RFC 1436 §2: `selector [TAB query] CRLF`).
 * Gopher+ adds a third field or a `+`/`!`/`$` in the second one; we answer those as a plain
 * gopher server does (the item itself, no `+` header), except `$` on a menu (see renderPlusDirectory).
 */
export interface GopherRequest {
  readonly selector: string;
  readonly query?: string;
  readonly gopherPlus?: string;
}

const GOPHER_PLUS = /^[+!$]/;

/** Parse the bytes of one request line, without its line end. Never throws. */
export function parseRequest(line: Buffer): GopherRequest {
  const fields = line.toString('latin1').split('\t');
  // Selectors are ASCII by our scheme; a client that sent UTF-8 gets it decoded, anything else as latin1.
  const selector = decodeField(line, 0, fields[0]!.length);
  if (fields.length === 1) return { selector };
  let offset = fields[0]!.length + 1;
  const second = fields[1]!;
  if (fields.length === 2 && GOPHER_PLUS.test(second)) return { selector, gopherPlus: second };
  const query = decodeField(line, offset, offset + second.length);
  offset += second.length + 1;
  if (fields.length >= 3) return { selector, query, gopherPlus: fields.slice(2).join('\t') };
  return { selector, query };
}

function decodeField(line: Buffer, start: number, end: number): string {
  return decodeText(line.subarray(start, end));
}
