import iconv from 'iconv-lite';
import { decodeText } from '../charset/decode.js';

/**
 * The charset of a fetched page or feed, in the order browsers use: the HTTP header, a byte-order
 * mark, the document's own declaration (`<meta charset>`, `<meta http-equiv>`, `<?xml encoding?>`),
 * else detection (valid UTF-8, else Windows-1252). Labels are read as the WHATWG Encoding Standard
 * reads them: `iso-8859-1` and `us-ascii` mean Windows-1252, which adds „ “ – € in 0x80-0x9F.
 */
export function charsetOf(bytes: Uint8Array, contentType: string | undefined): string | undefined {
  const header = label(/charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '')?.[1]);
  if (header) return header;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  // The declaration is ASCII and near the start (HTML: the first 1024 bytes; a little more for slack).
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString('latin1');
  const declared =
    /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1] ??
    /^<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)/i.exec(head.trimStart())?.[1];
  return label(declared);
}

function label(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const n = name.toLowerCase();
  if (['iso-8859-1', 'iso8859-1', 'latin1', 'l1', 'us-ascii', 'ascii', 'cp1252', 'windows-1252', 'x-cp1252'].includes(n)) return 'windows-1252';
  if (n === 'utf8' || n === 'unicode-1-1-utf-8') return 'utf-8';
  return iconv.encodingExists(n) ? n : undefined;
}

/** Bytes → text in the page's charset. iconv-lite only: Node 20's TextDecoder reads windows-1252 as Latin-1. */
export function decodePage(bytes: Uint8Array, contentType: string | undefined): string {
  const charset = charsetOf(bytes, contentType);
  if (charset === undefined) return decodeText(bytes);
  // iconv-lite strips a BOM of the charset it decodes.
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), charset);
}
