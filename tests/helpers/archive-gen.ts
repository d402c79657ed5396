import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface GenArticle {
  readonly id: number;
  readonly title: string;
  /** ISO date */
  readonly date: string;
  readonly tags: readonly string[];
  readonly relPath: string;
}

/** An article file in the content format: heading, teaser, body, date line, tags. */
export function articleFile(title: string, date: string, body: readonly string[], tags: readonly string[]): string {
  const [y, m, d] = date.split('-');
  const lines = [`# taz.de -- ${title}`, '       ', ...body.map((l) => `       ${l}`), '       ', `       ${Number(d)} ${MONTHS[Number(m) - 1]} ${y}`];
  if (tags.length > 0) lines.push('       ', '       ## TAGS', '       ', ...tags.map((t) => ` (DIR) ${t}`));
  return lines.join('\n') + '\n';
}

/**
 * A synthetic archive of `count` articles: ids from 2000001, dates spread over 2023-2025 (several a day
 * on some days), `tagCount` tags (`Thema-001` …) one or two per article besides `Nachrichten` on every one, a few distinct words per article.
 * Written as real files under `root/Gen/!<id>.txt`.
 */
export function generateArchive(root: string, count: number, tagCount: number): GenArticle[] {
  mkdirSync(path.join(root, 'Gen'), { recursive: true });
  const out: GenArticle[] = [];
  for (let i = 0; i < count; i++) {
    const id = 2000001 + i;
    const year = 2023 + (i % 3);
    const month = 1 + ((i * 7) % 12);
    const day = 1 + ((i * 5) % 28);
    const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const tags = ['Nachrichten', `Thema-${String(i % tagCount).padStart(3, '0')}`];
    if (i % 2 === 0) tags.push(`Zweites-${String((i * 3) % tagCount).padStart(3, '0')}`);
    const title = `Meldung ${id}: Bericht Nummer ${i}`;
    const body = [`Wort${id} steht nur hier. Gemeinsamer Text für alle Meldungen.`, i % 10 === 0 ? 'Die Straßenbahn fährt über die Brücke.' : 'Nichts Besonderes.'];
    const relPath = `Gen/!${id}.txt`;
    writeFileSync(path.join(root, relPath), articleFile(title, date, body, tags));
    out.push({ id, title, date, tags, relPath });
  }
  return out;
}
