import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/**
 * Bytes of a file or request field → string. Valid UTF-8 is read as UTF-8; anything else as
 * Windows-1252, which is a superset of ISO-8859-1's printable range and adds „ “ – €.
 * Node 20's TextDecoder('windows-1252') is really latin1 (C1 controls instead of „“), so iconv-lite does it.
 * A UTF-8 BOM is stripped.
 */
export function decodeText(bytes: Uint8Array): string {
  // Strip the BOM before deciding: a BOM followed by one stray Windows-1252 byte must not show as "ï»¿".
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = Buffer.from(bytes.buffer, bytes.byteOffset + (bom ? 3 : 0), bytes.byteLength - (bom ? 3 : 0));
  if (isValidUtf8(body)) return body.toString('utf8');
  return iconv.decode(body, 'windows-1252');
}

/** Node's native (SIMD) validator: the start-up scan checks 700 MB of articles with it. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  return isUtf8(bytes);
}

/** Split decoded text into lines: LF, CRLF and a lone CR all end a line; a final line end adds no line. */
export function splitLines(text: string): string[] {
  // Most files end lines with LF alone: splitting on a string is several times faster than on a regex.
  const lines = text.includes('\r') ? text.split(/\r\n|\n|\r/) : text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
