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

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

export function isValidUtf8(bytes: Uint8Array): boolean {
  // Pure ASCII is the common case for selectors; skip the decoder for it.
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) { ascii = false; break; }
  if (ascii) return true;
  try {
    STRICT_UTF8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Split decoded text into lines: LF, CRLF and a lone CR all end a line; a final line end adds no line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
