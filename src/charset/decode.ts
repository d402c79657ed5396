import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/**
 * Bytes of a file or request field → string. Valid UTF-8 is read as UTF-8; anything else as
 * Windows-1252, which is a superset of ISO-8859-1's printable range and adds „ “ – €.
 * Node 20's TextDecoder('windows-1252') is really latin1 (C1 controls instead of „“), so iconv-lite does it.
 * A UTF-8 BOM is stripped.
 */
export function decodeText(bytes: Uint8Array): string {
  if (isValidUtf8(bytes)) {
    const s = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
  }
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'windows-1252');
}

/** Node's native (SIMD) validator: the start-up scan checks 700 MB of articles with it. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  return isUtf8(bytes);
}

/** Split decoded text into lines: LF, CRLF and a lone CR all end a line; a final line end adds no line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
