import iconv from 'iconv-lite';
import type { Charset } from './charset.js';

/**
 * C0 controls but TAB, CR and LF, then DEL and C1: a terminal runs them (ESC starts a colour or cursor
 * sequence, BEL rings, U+009B is a one-character CSI), so no text or menu takes them to a client. lynx
 * shows nothing for them either, so what it prints is unchanged.
 */
const CONTROLS = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]/g;

export function withoutControls(s: string): string {
  return s.replace(CONTROLS, '');
}

/** How German readers expect characters outside the target charset to be written, never as `?`. */
const TRANSLIT: Record<string, string> = {
  'ä': 'ae', 'ö': 'oe', 'ü': 'ue', 'Ä': 'Ae', 'Ö': 'Oe', 'Ü': 'Ue', 'ß': 'ss', 'ẞ': 'SS',
  '„': '"', '“': '"', '”': '"', '‟': '"', '«': '"', '»': '"', '″': '"',
  '‚': "'", '‘': "'", '’': "'", '‛': "'", '‹': "'", '›': "'", '′': "'", '´': "'",
  '–': '-', '—': '-', '‐': '-', '‑': '-', '‒': '-', '―': '-', '−': '-', '\u00ad': '',
  '…': '...', '€': 'EUR', '£': 'GBP', '¥': 'JPY', '©': '(c)', '®': '(R)', '™': '(TM)', '°': ' Grad',
  '\u00a0': ' ', '\u2009': ' ', '\u202f': ' ', '\u200b': '', '•': '*', '·': '.', '×': 'x', '÷': ':',
  '½': '1/2', '¼': '1/4', '¾': '3/4', '§': 'Par.', '¶': 'P', '²': '2', '³': '3', '¹': '1', 'µ': 'u',
  'æ': 'ae', 'Æ': 'AE', 'œ': 'oe', 'Œ': 'OE', 'ø': 'o', 'Ø': 'O', 'ð': 'd', 'Ð': 'D', 'þ': 'th', 'Þ': 'Th',
  'ł': 'l', 'Ł': 'L', 'đ': 'd', 'Đ': 'D', 'ı': 'i', '¿': '?', '¡': '!', '¬': '-', '±': '+/-',
};

/** Transliterate one code point for a target that lacks it; falls back to its base letter, then to nothing readable: `?`-free. */
function transliterate(ch: string): string {
  const t = TRANSLIT[ch];
  if (t !== undefined) return t;
  // Strip accents: é → e, č → c, ñ → n.
  const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  if (base !== ch && /^[\x20-\x7e]+$/.test(base)) return base;
  return '';
}

/** German transliteration to plain ASCII (also used to build selectors from titles and tags). */
export function toAscii(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    out += c < 0x80 ? ch : transliterate(ch);
  }
  return out;
}

function toLatin1Safe(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    // Latin-1 has ä, ö, ü, ß natively; everything above U+00FF (and the C1 range) is transliterated.
    out += c < 0x80 || (c >= 0xa0 && c <= 0xff) ? ch : transliterate(ch);
  }
  return out;
}

/** Encode a string for the wire in the configured output charset, without control characters. */
export function encodeText(text: string, charset: Charset): Buffer {
  const s = withoutControls(text);
  switch (charset) {
    case 'utf-8':
      return Buffer.from(s, 'utf8');
    case 'iso-8859-1':
      return iconv.encode(toLatin1Safe(s), 'latin1');
    case 'us-ascii':
      return Buffer.from(toAscii(s), 'latin1');
  }
}
