/**
 * The deterministic benchmark archive: `npm run gen-archive -- --articles 100000 --out <dir> [--seed 1]`.
 * Articles in the seed format, 2–12 KB, dated over 20 years and stored as `YYYY/MM/!<id>.txt` (one
 * folder per month: few folders keep a directory watcher cheap), ~2,000 tags with a long tail, links
 * to earlier articles (local) and to articles not in the archive (upstream), images beside a share of
 * them, and one 1 MB file. The same seed and count give the same bytes and mtimes.
 */
import { mkdirSync, rmSync, utimesSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { slugify } from '../src/archive/selectors.js';
import { articleFile, type LinkTarget } from './gen/article-file.js';
import { Random, Zipf } from './gen/random.js';
import { Vocabulary } from './gen/vocabulary.js';

export const MANIFEST = '.gen-archive.json';
export const BIG_FILE = 'media/podcast-1mb.mp3';
const FIRST_DAY = Date.UTC(2006, 0, 1);
const DAYS = 7305; // 20 years
const TAG_COUNT = 2000;
/** Links reach back at most this many articles, "related" titles 2,000: only these are kept. */
const RECENT = 5000;

/** What the benchmark needs to know about a generated archive, written beside it as a dotfile (never served). */
export interface Manifest {
  readonly seed: number;
  readonly articles: number;
  readonly bytes: number;
  readonly folders: number;
  readonly images: number;
  readonly tags: number;
  /** the newest article: its selector and file */
  readonly article: { readonly selector: string; readonly relPath: string };
  /** the tag used by the most articles */
  readonly tag: string;
  /** two words that occur together in some articles */
  readonly searchWords: readonly [string, string];
  readonly bigFile: string;
}

function tagNames(r: Random, v: Vocabulary): string[] {
  const names = new Set<string>();
  const prefixes = ['Schwerpunkt ', 'Krieg in ', 'Podcast „', '', '', '', '', ''];
  while (names.size < TAG_COUNT) {
    const p = r.pick(prefixes);
    let name = p + v.name(r) + (r.chance(0.3) ? ' ' + v.name(r) : '');
    if (p.endsWith('„')) name += '“';
    if (slugify(name) !== '') names.add(name);
  }
  return [...names];
}

function idOf(i: number): string {
  return String(1_000_000 + i * 7);
}

/** An id next to ours that no generated article has: a link the server must send upstream. */
function upstreamId(r: Random, i: number): string {
  return String(1_000_000 + r.int(0, i + 100) * 7 + r.int(1, 6));
}

export function generateArchive(out: string, articles: number, seed: number): Manifest {
  if (existsSync(out) && readdirSync(out).length > 0) rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const r = new Random(seed);
  const v = new Vocabulary(r, 150_000);
  const tags = tagNames(r, v);
  const tagZipf = new Zipf(tags.length, 1.0);
  // Ring buffers of the last RECENT titles and slugs: a million articles' strings would cost ~150 MB.
  const titles = new Array<string>(RECENT);
  const slugs = new Array<string>(RECENT);
  const folders = new Set<string>();
  let bytes = 0;
  let images = 0;
  let last = { selector: '', relPath: '' };
  for (let i = 0; i < articles; i++) {
    const day = new Date(FIRST_DAY + Math.floor((i * DAYS) / articles) * 86_400_000);
    const date = day.toISOString().slice(0, 10);
    const topic = v.name(r) + (r.chance(0.5) ? ' ' + v.name(r) : '');
    const words: string[] = [];
    for (let n = r.int(3, 9); n > 0; n--) words.push(v.word(r));
    const title = `${topic}: ${words.join(' ')}`;
    const size = r.int(2048, 12 * 1024);
    const links: LinkTarget[] = [];
    for (let n = r.int(0, Math.min(9, Math.floor(size / 900))); n > 0; n--) {
      if (i > 0 && r.chance(0.6)) {
        const j = r.int(Math.max(0, i - 5000), i - 1);
        links.push({ slug: slugs[j % RECENT]!, id: idOf(j) });
      } else if (r.chance(0.15)) links.push({ slug: `Schwerpunkt-${slugify(v.name(r))}`, id: `t${r.int(5_000_000, 5_099_999)}` });
      else links.push({ slug: slugify(v.name(r)), id: upstreamId(r, i) });
    }
    const tagList: string[] = [];
    for (let n = r.int(2, 8); n > 0; n--) tagList.push(tags[tagZipf.sample(r)]!);
    const related: string[] = [];
    for (let n = i > 10 ? r.int(0, 5) : 0; n > 0; n--) related.push(titles[r.int(Math.max(0, i - 2000), i - 1) % RECENT]!);
    const imageLines = r.chance(0.3) ? r.int(1, 2) : 0;
    const text = articleFile(r, v, { title, date, tags: tagList, links, related, images: imageLines, size });

    const folder = `${date.slice(0, 4)}/${date.slice(5, 7)}`;
    if (!folders.has(folder)) {
      mkdirSync(path.join(out, folder), { recursive: true });
      folders.add(folder);
    }
    const id = idOf(i);
    const relPath = `${folder}/!${id}.txt`;
    const mtime = new Date(day.getTime() + 12 * 3_600_000);
    writeFileSync(path.join(out, relPath), text);
    utimesSync(path.join(out, relPath), mtime, mtime);
    bytes += Buffer.byteLength(text);
    // Half of the articles with pictures have the first one stored beside them; the rest get the placeholder.
    if (imageLines > 0 && r.chance(0.5)) {
      const img = Buffer.alloc(r.int(2048, 8192));
      for (let k = 0; k < img.length; k++) img[k] = Math.floor(r.next() * 256);
      img.set([0xff, 0xd8, 0xff, 0xe0], 0);
      img.set([0xff, 0xd9], img.length - 2);
      writeFileSync(path.join(out, folder, `!${id}.jpg`), img);
      utimesSync(path.join(out, folder, `!${id}.jpg`), mtime, mtime);
      images++;
    }
    titles[i % RECENT] = title;
    slugs[i % RECENT] = slugify(topic);
    last = { selector: `/!${id}`, relPath };
  }

  mkdirSync(path.join(out, path.dirname(BIG_FILE)), { recursive: true });
  const big = Buffer.alloc(1024 * 1024);
  for (let k = 0; k < big.length; k += 4) big.writeUInt32LE(Math.floor(r.next() * 4294967296), k);
  writeFileSync(path.join(out, BIG_FILE), big);
  utimesSync(path.join(out, BIG_FILE), new Date(FIRST_DAY), new Date(FIRST_DAY));

  const manifest: Manifest = {
    seed, articles, bytes, folders: folders.size, images, tags: tags.length,
    article: last,
    tag: tags[0]!,
    // Ranks 300 and 301 are common enough to meet in many articles, rare enough not to be in all.
    searchWords: [v.words[300]!, v.words[301]!],
    bigFile: BIG_FILE,
  };
  writeFileSync(path.join(out, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

function usage(message: string): never {
  process.stderr.write(`gen-archive: ${message}\nusage: npm run gen-archive -- --articles <n> --out <dir> [--seed <n>]\n`);
  process.exit(2);
}

function main(): void {
  let values;
  try {
    ({ values } = parseArgs({ options: { articles: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string', default: '1' } } }));
  } catch (err) {
    usage((err as Error).message);
  }
  const articles = Number(values.articles);
  const seed = Number(values.seed);
  if (!/^\d+$/.test(values.articles ?? '') || articles < 1) usage('--articles must be a positive whole number');
  if (!/^\d+$/.test(values.seed ?? '')) usage('--seed must be a whole number');
  if (!values.out) usage('--out <dir> is required');
  const started = performance.now();
  const m = generateArchive(path.resolve(values.out), articles, seed);
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`${m.articles} articles (${(m.bytes / 1e6).toFixed(0)} MB) in ${m.folders} folders, ${m.images} images, ${m.tags} tags: ${values.out} in ${secs} s\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
