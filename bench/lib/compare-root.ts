import { copyFileSync, mkdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';

/** A request kind served by every server: what to ask each of them. */
export interface Kind {
  readonly name: string;
  /** gopherpress's request line (selector, TAB query) */
  readonly gopherpress: string;
  /** the same thing in the static folder for gophernicus and pygopherd; undefined: they have no equivalent */
  readonly static?: string;
}

/**
 * The folder gophernicus and pygopherd serve: gopherpress's own answers stored as static files, so
 * all servers send the same bytes. A menu becomes a gophermap of the same lines (these servers parse
 * it on every request, as they would a hand-written one); texts and the 1 MB file are copied.
 */
export function writeCompareRoot(dir: string, answers: ReadonlyMap<string, Buffer>, bigFile: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // An empty selector field (info lines) becomes `fake`, as gophernicus writes it: pygopherd's
  // gophermap reader fails on an empty one (IndexError) and answers nothing.
  const gophermap = (menu: Buffer): string => menu.toString('utf8').replace(/\.\r\n$/, '').replace(/\r\n/g, '\n').replace(/^([^\t\n]*)\t\t/gm, '$1\tfake\t');
  writeFileSync(path.join(dir, 'gophermap'), gophermap(answers.get('root')!));
  for (const kind of ['article', 'tag']) {
    mkdirSync(path.join(dir, kind));
    writeFileSync(path.join(dir, kind, 'gophermap'), gophermap(answers.get(kind)!));
  }
  writeFileSync(path.join(dir, 'article.txt'), answers.get('text')!);
  copyFileSync(bigFile, path.join(dir, 'podcast-1mb.mp3'));
  // gophernicus runs as nobody and refuses world-unreadable trees.
  chmodSync(dir, 0o755);
}

export const STATIC_SELECTORS: Record<string, string> = {
  root: '',
  article: '/article/',
  text: '/article.txt',
  tag: '/tag/',
  file: '/podcast-1mb.mp3',
};
