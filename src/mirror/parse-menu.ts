import { decodeText } from '../charset/decode.js';

/** One menu line as a server sent it (RFC 1436 §3.8), with host and port always filled in. */
export interface ParsedItem {
  readonly itemType: string;
  readonly display: string;
  readonly selector: string;
  readonly host: string;
  readonly port: number;
}

export interface ParsedMenu {
  readonly items: readonly ParsedItem[];
  /** lines that were not four TAB-separated fields: kept as info text, counted so the log can say so */
  readonly malformed: number;
  /** whether the lone `.` was there; many servers leave it out */
  readonly terminated: boolean;
}

/**
 * Decoded menu text → items. Total and forgiving, as a crawler of the wild must be: LF or CRLF, no
 * final `.`, a line without TABs (raw text, as some hand-written gophermaps send) becomes info text,
 * missing host/port default to the server we asked, a Gopher+ fourth TAB and whatever follows is dropped.
 */
export function parseMenuText(text: string, from: { host: string; port: number }): ParsedMenu {
  const items: ParsedItem[] = [];
  let malformed = 0;
  let terminated = false;
  for (const line of text.split(/\r?\n/)) {
    if (line === '.') {
      terminated = true;
      break;
    }
    if (line.replace(/\r$/, '') === '') continue;
    const l = line.replace(/\r$/, '');
    const fields = l.split('\t');
    if (fields.length < 2) {
      malformed++;
      items.push({ itemType: 'i', display: l, selector: '', host: from.host, port: from.port });
      continue;
    }
    const port = fields[3] === undefined ? from.port : Number(fields[3].trim());
    const portOk = Number.isInteger(port) && port >= 0 && port <= 65535;
    if (fields.length < 4 || !portOk) malformed++;
    items.push({
      itemType: l.charAt(0),
      display: fields[0]!.slice(1),
      selector: fields[1]!,
      host: fields[2] === undefined || fields[2].trim() === '' ? from.host : fields[2].trim(),
      port: portOk ? port : from.port,
    });
  }
  return { items, malformed, terminated };
}

export function parseMenu(bytes: Uint8Array, from: { host: string; port: number }): ParsedMenu {
  return parseMenuText(decodeText(bytes), from);
}

/**
 * The message when an answer is a gopher error instead of the item asked for: a short menu whose only
 * items are type 3 (info lines aside). Servers answer a missing file this way whatever its type.
 */
export function gopherError(bytes: Uint8Array, from: { host: string; port: number }): string | undefined {
  if (bytes.length === 0 || bytes.length > 4096 || bytes[0] !== 0x33 /* '3' */) return undefined;
  const text = decodeText(bytes);
  if (!text.split(/\r?\n/, 1)[0]!.includes('\t')) return undefined;
  const { items } = parseMenuText(text, from);
  const errors = items.filter((i) => i.itemType === '3');
  if (errors.length === 0 || !items.every((i) => i.itemType === '3' || i.itemType === 'i')) return undefined;
  return errors.map((e) => e.display.trim()).join(' ') || 'error';
}
