import { access } from 'node:fs/promises';
import type { Block } from './article-file.js';
import type { HttpResult } from './http.js';
import { writeAtomic } from '../mirror/save.js';

/** The extensions the server finds beside an article (menus/article-menu.ts storedImage), by the type the web server sends. */
const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp' };

const exists = (p: string): Promise<boolean> => access(p).then(() => true, () => false);

/**
 * `--images`: each figure's image saved beside its article, as the server looks for it: the first as
 * `!123.jpg`, the n-th as `!123-n.jpg`. An image already there is not fetched again; one that cannot
 * be had is told, and the article stands without it (the server shows a placeholder).
 */
export async function saveImages(
  blocks: readonly Block[],
  base: string,
  load: (url: string) => Promise<HttpResult>,
  note: (message: string) => void,
): Promise<number> {
  let n = 0;
  let saved = 0;
  for (const b of blocks) {
    if (b.kind !== 'image') continue;
    n++;
    const stem = n === 1 ? base : `${base}-${n}`;
    if (!b.src || !/^https?:/.test(b.src)) continue;
    const have = await Promise.all(Object.values(EXT).map((e) => exists(`${stem}.${e}`)));
    if (have.some(Boolean)) continue;
    try {
      const r = await load(b.src);
      if (r.kind !== 'ok') continue;
      const ext = EXT[(r.contentType ?? '').split(';')[0]!.trim().toLowerCase()];
      if (!ext) {
        note(`image ${b.src}: not a JPEG, PNG, GIF or WebP (${r.contentType ?? 'no type'})`);
        continue;
      }
      await writeAtomic(`${stem}.${ext}`, r.bytes);
      saved++;
    } catch (err) {
      note(`image ${b.src}: ${(err as Error).message}`);
    }
  }
  return saved;
}
