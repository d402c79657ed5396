import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { dateLine } from '../gen/article-file.js';
import { Random } from '../gen/random.js';

/**
 * `count` different two-word queries from the candidate words found in the most articles: the
 * fewest top words that give enough pairs, pairs in a seeded order, and one pair left over to warm
 * the server up with. `minShare` is the share of articles the rarest word chosen is in.
 */
export function pickPairs(candidates: readonly string[], articlesWith: ReadonlyMap<string, number>, articles: number, count: number, seed: number) {
  const byCount = [...new Set(candidates)].sort((a, b) => articlesWith.get(b)! - articlesWith.get(a)!);
  let k = 2;
  while (k < byCount.length && (k * (k - 1)) / 2 < count + 1) k++;
  const top = byCount.slice(0, k);
  const all: [string, string][] = [];
  for (let i = 0; i < top.length; i++) for (let j = i + 1; j < top.length; j++) all.push([top[i]!, top[j]!]);
  const r = new Random(seed + 15);
  for (let i = all.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return { pairs: all.slice(0, count), warmUp: all[all.length - 1]!, minShare: articlesWith.get(top[top.length - 1]!)! / articles };
}

const DATE_LINE = /^ {7}(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4})(?=\n {7}\n {7}## (?:LINKS|TAGS)\n)/m;
const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';
/** Letters whose runs fold to themselves (no vowels, so no ae/oe/ue): a word no generated article has. */
const CONSONANTS = 'bcdfghjklmnpqrstvwxz';

/**
 * A new article written under a temporary dotfile name beside the newest one (rename `temp` to
 * `file` to publish it): the newest article's text with a word of its own in the title and a date
 * `k + 1` days after the newest, so it leads the front page.
 */
export function addArticle(archive: string, newestRelPath: string, newestText: string, k: number): { temp: string; file: string; selector: string; word: string } {
  const m = DATE_LINE.exec(newestText);
  if (!m) throw new Error(`${newestRelPath}: no date line before ## LINKS or ## TAGS`);
  const day = new Date(Date.UTC(Number(m[3]), MONTHS.indexOf(m[2]!) / 3, Number(m[1])) + (k + 1) * 86_400_000);
  let n = process.pid * 10 + k;
  let word = 'gpneu';
  for (let i = 0; i < 8; i++, n = Math.floor(n / CONSONANTS.length)) word += CONSONANTS[n % CONSONANTS.length];
  const id = String(99_990_000 + k);
  const text = newestText
    .replace(/^# taz\.de -- /, `# taz.de -- ${word}: `)
    .replace(DATE_LINE, `       ${dateLine(day.toISOString().slice(0, 10))}`);
  const dir = path.join(archive, path.dirname(newestRelPath));
  const temp = path.join(dir, `.bench-new-${k}.tmp`);
  writeFileSync(temp, text);
  return { temp, file: path.join(dir, `!${id}.txt`), selector: `/!${id}`, word };
}
