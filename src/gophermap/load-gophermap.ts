import path from 'node:path';
import type { Archive } from '../archive/archive.js';
import { insideRoot, relPathOfSelector } from '../archive/content-path.js';
import { dirSelector } from '../archive/selectors.js';
import { decodeText } from '../charset/decode.js';
import { openRegular } from '../respond/open-file.js';
import { parseGophermap, type GophermapLine } from './parse-gophermap.js';

/** A gophermap with its includes read: `=file` replaced by that file's lines, `=folder` by a listing marker. */
export type LoadedLine = Exclude<GophermapLine, { kind: 'include' }> | { readonly kind: 'listing-of'; readonly relDir: string };

/** A gophermap bigger than this is not a menu someone wrote by hand: fall back to the listing. */
export const MAX_GOPHERMAP_BYTES = 256 * 1024;
/** Include depth, as Gophernicus (deeper includes are skipped, which also ends include loops). */
export const MAX_INCLUDE_DEPTH = 4;
/** Files read for one menu, so a map that includes itself many times over stays a few reads. */
export const MAX_INCLUDES = 32;

export interface GophermapPlace {
  readonly archive: Archive;
  readonly root: string;
  readonly rootReal: string;
}

/** The file name of a folder's gophermap, relative to content/. */
export function gophermapPath(relDir: string): string {
  return relDir === '' ? 'gophermap' : `${relDir}/gophermap`;
}

/** Text of a gophermap file, or undefined when it can't be one: unreadable, outside content/, not a regular file, too big, binary. */
async function readMapText(place: GophermapPlace, relPath: string): Promise<string | undefined> {
  const abs = path.join(place.root, relPath);
  if (!insideRoot(place.rootReal, abs)) return undefined;
  // A FIFO or device is no menu anyone wrote: like any bad map, the folder's own listing, so its files stay reachable.
  const opened = await openRegular(abs);
  if (opened === undefined) return undefined;
  const { fh, stats } = opened;
  try {
    if (stats.size > MAX_GOPHERMAP_BYTES) return undefined;
    const bytes = await fh.readFile();
    if (bytes.length > MAX_GOPHERMAP_BYTES || bytes.includes(0)) return undefined;
    return decodeText(bytes);
  } catch {
    return undefined;
  } finally {
    await fh.close().catch(() => {});
  }
}

/**
 * `=target` → a path inside content/: relative to the folder, or to content/ when it starts with `/`.
 * (Gophernicus reads `/…` as a path on the whole machine; here nothing outside content/ is read.)
 */
function includePath(relDir: string, target: string): string | undefined {
  const joined = target.startsWith('/') ? target : `/${relDir}/${target}`;
  const normal = path.posix.normalize(joined);
  if (normal.startsWith('/..')) return undefined;
  return relPathOfSelector(normal);
}

async function expand(place: GophermapPlace, relDir: string, text: string, depth: number, budget: { reads: number }): Promise<LoadedLine[]> {
  const out: LoadedLine[] = [];
  for (const line of parseGophermap(text, { folderSelector: dirSelector(relDir) })) {
    if (line.kind !== 'include') {
      // In an included file, `*` just ends that file, as in Gophernicus: only the folder's own map lists it.
      if (line.kind === 'listing' && depth > 0) break;
      out.push(line);
      continue;
    }
    if (depth + 1 > MAX_INCLUDE_DEPTH || budget.reads >= MAX_INCLUDES) continue;
    const target = includePath(relDir, line.target);
    if (target === undefined) continue;
    if (place.archive.isDir(target)) {
      out.push({ kind: 'listing-of', relDir: target });
      continue;
    }
    budget.reads++;
    const included = await readMapText(place, target);
    // A missing or unreadable include shows nothing, as in Gophernicus; the rest of the map still works.
    if (included !== undefined) out.push(...(await expand(place, relDir, included, depth + 1, budget)));
  }
  return out;
}

/**
 * Read the gophermap of `relDir` and the files it includes. Undefined when the map itself is bad
 * (unreadable, not a regular file, binary, over MAX_GOPHERMAP_BYTES): the caller then serves the generated listing.
 */
export async function loadGophermap(place: GophermapPlace, relDir: string): Promise<LoadedLine[] | undefined> {
  const text = await readMapText(place, gophermapPath(relDir));
  return text === undefined ? undefined : expand(place, relDir, text, 0, { reads: 0 });
}
