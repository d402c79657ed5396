/**
 * The one table of gopher item types (RFC 1436 §3.8 plus the de-facto `i`, `h`, `I`, `g`, `s`, `;`, `d`).
 * `lynxLabel` is the seven-column prefix lynx prints in `-dump` output for a menu line; the article
 * format is exactly that output, so parsing and rendering both read this table.
 */
export interface ItemTypeInfo {
  readonly itemType: string;
  readonly lynxLabel: string;
  /** gopherproxy's label, used by the web view. */
  readonly webLabel: string;
  readonly name: string;
}

const TABLE: readonly ItemTypeInfo[] = [
  { itemType: '1', lynxLabel: ' (DIR) ', webLabel: 'DIR', name: 'menu' },
  { itemType: '0', lynxLabel: '(FILE) ', webLabel: 'TXT', name: 'text' },
  { itemType: 'I', lynxLabel: ' (IMG) ', webLabel: 'IMG', name: 'image' },
  { itemType: 'g', lynxLabel: ' (IMG) ', webLabel: 'GIF', name: 'gif' },
  { itemType: 'h', lynxLabel: '(HTML) ', webLabel: 'HTM', name: 'html' },
  { itemType: '9', lynxLabel: ' (BIN) ', webLabel: 'BIN', name: 'binary' },
  { itemType: '5', lynxLabel: ' (BIN) ', webLabel: 'BIN', name: 'dos binary' },
  { itemType: '7', lynxLabel: '  (?)  ', webLabel: 'QRY', name: 'search' },
  { itemType: 's', lynxLabel: ' (SND) ', webLabel: 'SND', name: 'sound' },
  { itemType: '8', lynxLabel: ' (TEL) ', webLabel: 'TEL', name: 'telnet' },
  { itemType: 'T', lynxLabel: '(3270) ', webLabel: 'TEL', name: 'tn3270' },
  { itemType: '2', lynxLabel: ' (CSO) ', webLabel: 'CSO', name: 'cso' },
  { itemType: '4', lynxLabel: ' (HQX) ', webLabel: 'HQX', name: 'binhex' },
  { itemType: '6', lynxLabel: ' (UUE) ', webLabel: 'UUE', name: 'uuencoded' },
  { itemType: ';', lynxLabel: ' (MOV) ', webLabel: 'MOV', name: 'movie' },
  { itemType: '+', lynxLabel: ' (+++) ', webLabel: 'DUP', name: 'redundant server' },
  { itemType: 'd', lynxLabel: '(UNKN) ', webLabel: 'DOC', name: 'document' },
  { itemType: '3', lynxLabel: '(UNKN) ', webLabel: 'ERR', name: 'error' },
  { itemType: 'i', lynxLabel: '       ', webLabel: '', name: 'info' },
];

const BY_TYPE = new Map(TABLE.map((t) => [t.itemType, t]));

/** Parsing a lynx dump: the first entry in TABLE for a label wins, so `(IMG)` reads as `I`, `(BIN)` as `9`. */
const BY_LABEL = new Map<string, string>();
for (const t of TABLE) if (t.itemType !== 'i' && !BY_LABEL.has(t.lynxLabel)) BY_LABEL.set(t.lynxLabel, t.itemType);

export const LABEL_WIDTH = 7;

/** A type of the table: what the first character of a gopher URL's path may be on this server's web view. */
export function isKnownItemType(itemType: string): boolean {
  return BY_TYPE.has(itemType);
}

export function itemTypeInfo(itemType: string): ItemTypeInfo {
  return BY_TYPE.get(itemType) ?? { itemType, lynxLabel: '(UNKN) ', webLabel: 'UNK', name: 'unknown' };
}

/** The item type a lynx label stands for, or undefined when the line is not an item line. */
export function itemTypeForLabel(label: string): string | undefined {
  return BY_LABEL.get(label);
}
