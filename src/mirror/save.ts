import { decodeOnce } from '../archive/content-path.js';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { itemTypeInfo, LABEL_WIDTH } from '../protocol/item-type.js';
import type { ParsedItem } from './parse-menu.js';

/** Characters a path segment keeps as %XX: the escape itself, controls, and `\` (never part of a selector path). */
const UNSAFE = /[%\x00-\x1f\x7f\\]/g;
/** A file name's limit is 255 bytes; a whole path's 4096, of which the mirror's is a part. */
export const MAX_SEGMENT_BYTES = 240;
export const MAX_PATH_BYTES = 1024;

function encodeSegment(seg: string): string {
  // A leading dot would make the file hidden (gopherpress never serves those) and `..` would climb.
  return seg.replace(UNSAFE, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')).replace(/^\./, '%2E');
}

/**
 * A selector → the path inside the mirror folder, as gopherpress's selector scheme reads it: `%xx`
 * decoded once, `/`-separated, empty segments dropped. Whatever could not be a safe file name (a
 * leading dot, `..`, controls, `\`, `%` itself) is written `%XX`, so decoding each segment once gives
 * the selector's path back. Undefined when a segment or the whole path is too long for a file system.
 */
export function mirrorPathOfSelector(selector: string): string | undefined {
  // Not valid %-encoding: the selector's bytes are the name.
  const s = decodeOnce(selector) ?? selector;
  const parts = s.split('/').filter((p) => p !== '' && p !== '.').map(encodeSegment);
  if (parts.some((p) => Buffer.byteLength(p) > MAX_SEGMENT_BYTES)) return undefined;
  const rel = parts.join('/');
  return Buffer.byteLength(rel) > MAX_PATH_BYTES ? undefined : rel;
}

/** True for a relative path that stays inside the folder it is joined to and names nothing hidden. */
export function isSafeRelPath(rel: string): boolean {
  if (rel === '' || rel.startsWith('/') || rel.includes('\\') || rel.includes('\0')) return false;
  return rel.split('/').every((p) => p !== '' && !p.startsWith('.'));
}

/** A menu whose selector is an article's (`…/!123`, taz.de's scheme) or that starts with an article heading. */
export function isArticleMenu(selector: string, items: readonly ParsedItem[]): boolean {
  return /(?:^|\/)!\d+$/.test(selector) || (items[0]?.itemType === 'i' && /^# .+ -- .+/.test(items[0].display));
}

/**
 * An article menu as an article file: what `lynx -dump -nolist` prints for it, with the heading
 * `# host -- title` flush left first. Info lines are seven spaces and the text; items are lynx's
 * seven-column label and the display text, so gopherpress parses every item back to its type.
 */
export function articleFile(items: readonly ParsedItem[], host: string, title: string): string {
  const indent = ' '.repeat(LABEL_WIDTH);
  const first = items[0];
  const hasHeading = first?.itemType === 'i' && /^# .+ -- .+/.test(first.display);
  const heading = hasHeading ? first.display : `# ${host} -- ${title.replace(/[\r\n]+/g, ' ').trim() || 'untitled'}`;
  const lines = [heading];
  for (const item of hasHeading ? items.slice(1) : items) {
    if (item.itemType === 'i') lines.push(indent + item.display);
    else lines.push(itemTypeInfo(item.itemType).lynxLabel + item.display);
  }
  return lines.join('\n') + '\n';
}

/**
 * A menu as a gophermap (the Gophernicus/Bucktooth format): one item line each, as the server sent it.
 * Items on the mirrored server itself leave host and port out, so the copy links to wherever it is
 * served from; items elsewhere keep all four fields.
 */
export function gophermapFile(items: readonly ParsedItem[], self: { host: string; port: number }): string {
  const lines = items.map((i) => {
    const head = `${i.itemType}${i.display}\t${i.selector}`;
    return i.host === self.host && i.port === self.port ? head : `${head}\t${i.host}\t${i.port}`;
  });
  return lines.join('\n') + '\n';
}

export type WriteOutcome = 'new' | 'changed' | 'unchanged';

/**
 * Write a file so that no reader (a gopherpress serving the folder) ever sees half of it: write a
 * hidden temporary beside it, then rename. Unchanged bytes are not rewritten, so mtimes stay put.
 */
export async function writeIfChanged(abs: string, bytes: Uint8Array): Promise<WriteOutcome> {
  let old: Buffer | undefined;
  try {
    old = await readFile(abs);
  } catch {
    old = undefined;
  }
  if (old && Buffer.compare(old, bytes) === 0) return 'unchanged';
  await writeAtomic(abs, bytes);
  return old ? 'changed' : 'new';
}

export async function writeAtomic(abs: string, bytes: Uint8Array | string): Promise<void> {
  const dir = path.dirname(abs);
  await mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(abs)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, abs);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
