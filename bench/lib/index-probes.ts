import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dateLine } from '../gen/article-file.js';
import { Random } from '../gen/random.js';
import { fetchGopher } from './fetch.js';
import { indexingProgress, listsSelector, searchCount } from './gopher-answers.js';
import { pollUntil, type IndexServer } from './index-server.js';
import { sleep } from './proc.js';
import type { Counts } from './reference-count.js';

/** What the bench asks a running server, and how it judges the answers. */

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
function addArticle(archive: string, newestRelPath: string, newestText: string, k: number): { temp: string; file: string; selector: string; word: string } {
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

/**
 * Each pair as one search, one after another, timed by the client from connect to close (one pair
 * left over warms the server up first). An answer without a count or the closing `.` is an error.
 */
export async function searchLatencies(port: number, pairs: { readonly pairs: readonly (readonly string[])[]; readonly warmUp: readonly string[] }) {
  await fetchGopher(port, `/search\t${pairs.warmUp.join(' ')}`);
  const times: number[] = [];
  const counts: number[] = [];
  let errors = 0;
  for (const p of pairs.pairs) {
    const t0 = performance.now();
    const body = await fetchGopher(port, `/search\t${p.join(' ')}`).catch(() => Buffer.alloc(0));
    times.push(performance.now() - t0);
    const n = searchCount(body)?.n;
    if (n === undefined || !body.subarray(-3).equals(Buffer.from('.\r\n'))) errors++;
    else counts.push(n);
  }
  return { times, counts, errors };
}

/**
 * `trials` new articles, one at a time, each published by a rename: ms until the front page lists
 * it and until a search for its own word finds it (undefined: not within `withinMs`). `added`
 * learns every file made, for the caller to delete.
 */
export async function newArticleTrials(
  port: number, archive: string, newestRelPath: string, newestText: string, trials: number, withinMs: number, added: (file: string) => void,
): Promise<{ front?: number; search?: number }[]> {
  const out: { front?: number; search?: number }[] = [];
  for (let k = 0; k < trials; k++) {
    await sleep(1000);
    const a = addArticle(archive, newestRelPath, newestText, k);
    added(a.temp);
    added(a.file);
    renameSync(a.temp, a.file);
    const t0 = performance.now();
    const [front, search] = await Promise.all([
      pollUntil(port, '/', (b) => listsSelector(b, a.selector), t0, t0 + withinMs, 20),
      pollUntil(port, `/search\t${a.word}`, (b) => searchCount(b)?.n === 1, t0, t0 + withinMs, 20),
    ]);
    out.push({ front, search });
  }
  return out;
}

const READINGS = ['file', 'text', 'body'] as const;
const READING_NAMES = { file: 'whole-file', text: 'file-without-link-addresses', body: 'title-and-text' };

/**
 * Ask `line` every 200 ms from a cold start on until its count meets one of the bench's own counts.
 * A smaller reading's count lies on the way to a larger one, so it is trusted only once indexing is
 * done: once `doneLine` is printed (a build with a database), or at once (one that indexes before it
 * listens). Once done, a count that stays put for 5 s ends the wait too, reported as no match.
 */
export async function untilFindable(server: IndexServer, line: string, reference: Counts, doneLine: RegExp | undefined, until: number) {
  let count: number | undefined;
  let progress: string | undefined;
  let changedAt = performance.now();
  for (;;) {
    const body = await fetchGopher(server.port, line, Math.max(1000, until - performance.now())).catch(() => Buffer.alloc(0));
    const at = performance.now() - server.spawnAt;
    const n = searchCount(body)?.n;
    progress ??= indexingProgress(body);
    if (n !== count) changedAt = performance.now();
    count = n;
    const done = doneLine === undefined || server.lineAt(doneLine) !== undefined;
    const reading = READINGS.find((r) => n === reference[r] && (done || r === 'file'));
    if (reading) return { count, progress, countMs: at, countHow: `matched the ${READING_NAMES[reading]} count` };
    if (done && performance.now() - changedAt > 5000) {
      return { count, progress, countMs: changedAt - server.spawnAt, countHow: `stopped changing at ${n} (**no reference met**)` };
    }
    if (performance.now() > until) return { count, progress, countMs: undefined, countHow: 'never met a reference within the time allowed' };
    await sleep(200);
  }
}
