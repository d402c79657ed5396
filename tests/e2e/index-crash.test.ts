import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { articleText, crawl, fullTextIndexed, killAll, prng, serveArgs, spawnServe, walkDifferences, type Served } from '../helpers/index-server.js';
import { tempDir } from '../helpers/tmp.js';
import { sleep, within } from '../helpers/wait.js';

/**
 * SIGKILL at random moments (issue 15: "a test kills it many times at random points and compares
 * every menu with a fresh index"): while it builds the index from nothing, while it resumes that
 * build, and while a batch of files is written, rewritten, renamed and deleted under it. After the
 * last kill it restarts on the same state folder; once it says the full text is indexed, every menu
 * it serves must be the one a server with a fresh, empty state folder serves on the same files.
 * Seeded: a failure names its seed, and the same seed replays the same kills.
 */
const SEED = Number(process.env.GP_CRASH_SEED ?? 20250426);
const ARTICLES = 500;
const BUILD_KILLS = 3;
const CHANGE_KILLS = 5;

const WORDS = (
  'Wald Wiese Brücke Straße für über Bärlauch Klima Energie Wärme Strom Netz Wind Sonne Dach Keller Schule Rathaus ' +
  'Bahn Fähre Hafen Küste Insel Berg Tal Fluss Ufer Markt Preis Miete Lohn Arbeit Streik Gewerkschaft Wahl Partei ' +
  'Kanzler Ministerin Gericht Urteil Klage Polizei Feuerwehr Regen Hitze Dürre Ernte Bauer Kuh Milch Brot Käse ' +
  'Bücher Theater Bühne Musik Konzert Film Kino Museum Bild Fußball Tor Spiel Trainer Verein Liga Pokal Stadion ' +
  'Zeitung Nachricht Bericht Frage Antwort Plan Ziel Weg Schritt Grenze Krieg Frieden Hilfe Geld Steuer Haushalt'
).split(' ');
const TAGS = ['Klima', 'Energiewende', 'Donald Trump', 'Donald', 'Bärlauch', 'Schwerpunkt Krieg in der Ukraine', 'Fußball', 'Kultur', 'Berlin', 'Öko', 'Wahl 2025', 'Straßenbahn', 'Mieten', 'Landwirtschaft', 'Musik', 'Gericht'];
const FOLDERS = ['Politik', 'Klima', 'Kultur', 'Sport', 'archiv/2024'];
const SEARCHES = ['Kennwort17', 'Wald Wiese', '"Wald und Wiese"', 'fuer Strasse', 'klim*', 'Wald OR Hafen', 'Wald -Wiese', 'tag:"Donald Trump"', 'tag:Donald Trump', 'tag:Bärlauch', '2024-05', '2023-11..2024-02', 'Kennwort OR Brücke'];

/** The files under content/, as the test knows them: relPath → article id (undefined for slug-named ones). */
class Archive {
  readonly files = new Map<string, string | undefined>();
  readonly titles: string[] = [];
  private n = 0;
  private nextId = 6300001;
  constructor(private readonly root: string, private readonly rnd: () => number) {}

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)]!;
  }

  private words(k: number): string {
    return Array.from({ length: k }, () => this.pick(WORDS)).join(' ');
  }

  /** A complete article: a date line, every [n] in the body with its ## LINKS entry. */
  text(): string {
    const n = ++this.n;
    const title = `${this.pick(WORDS)} ${this.pick(WORDS)}: ${this.words(3)} Nummer ${n}`;
    const ids = [...this.files.values()].filter((v): v is string => v !== undefined);
    const links: [number, string][] = [];
    const body: string[] = [`Kennwort${n} ${this.words(6)} und ${this.words(3)}.`];
    if (this.rnd() < 0.3) body.push('Zwischen Wald und Wiese steht die Brücke.');
    const nLinks = Math.floor(this.rnd() * 4);
    for (let k = 1; k <= nLinks; k++) {
      body.push(`${this.words(4)} [${k}][${this.words(3)}] ${this.words(2)}.`);
      const target = this.rnd() < 0.8 && ids.length > 0 ? this.pick(ids) : String(9000000 + Math.floor(this.rnd() * 99999));
      links.push([k, `/${this.pick(['Politik', 'Klima', 'Irgendwo'])}/!${target}`]);
    }
    for (let k = Math.floor(this.rnd() * 3); k > 0; k--) body.push(this.words(8));
    const day = Math.floor(this.rnd() * 700);
    const date = new Date(Date.UTC(2023, 5, 1 + day)).toISOString().slice(0, 10);
    const tags = [...new Set(Array.from({ length: 1 + Math.floor(this.rnd() * 3) }, () => this.pick(TAGS)))];
    const related = this.titles.length > 0 && this.rnd() < 0.5 ? [this.pick(this.titles), this.pick(this.titles)] : [];
    this.titles.push(title);
    return articleText({ title, date, body, links, tags, related });
  }

  private write(rel: string, text: string): void {
    mkdirSync(path.dirname(path.join(this.root, rel)), { recursive: true });
    writeFileSync(path.join(this.root, rel), text);
  }

  add(): void {
    if (this.rnd() < 0.1) {
      const rel = `notes/${this.pick(WORDS).toLowerCase().replace(/[^a-z]/g, 'x')}-${this.n + 1}.txt`;
      this.write(rel, this.text());
      this.files.set(rel, undefined);
      return;
    }
    const id = String(this.nextId++);
    const rel = `${this.pick(FOLDERS)}/!${id}.txt`;
    this.write(rel, this.text());
    this.files.set(rel, id);
  }

  /** One change as a user (or an rsync) makes it. */
  change(): void {
    const rels = [...this.files.keys()];
    const rel = this.pick(rels);
    const id = this.files.get(rel);
    const r = this.rnd();
    if (r < 0.3 || rels.length < 50) this.add();
    else if (r < 0.55) this.write(rel, this.text());
    else if (r < 0.7) {
      // Moved: an id file to another folder (its selector changes), a slug file to another name.
      const to = id !== undefined ? `${this.pick(FOLDERS.filter((f) => !rel.startsWith(`${f}/`)))}/!${id}.txt` : `notes/moved-${this.n}-${path.basename(rel)}`;
      mkdirSync(path.dirname(path.join(this.root, to)), { recursive: true });
      renameSync(path.join(this.root, rel), path.join(this.root, to));
      this.files.delete(rel);
      this.files.set(to, id);
    } else if (r < 0.85) {
      rmSync(path.join(this.root, rel));
      this.files.delete(rel);
    } else {
      // Replaced whole: written to a hidden name beside it, renamed over it.
      const tmp = path.join(this.root, path.dirname(rel), `.${path.basename(rel)}.tmp${this.n}`);
      writeFileSync(tmp, this.text());
      renameSync(tmp, path.join(this.root, rel));
    }
  }
}

describe('SIGKILL at random moments, then a restart: the index matches the files', () => {
  // Made here, not in the test: tempDir removes its folder after the file, and only a describe's hooks run then.
  const tmp = tempDir('gp-index-crash-');
  afterAll(() => killAll());

  it(`matches a fresh index in every menu (seed ${SEED})`, async () => {
    const rnd = prng(SEED);
    const content = path.join(tmp, 'content');
    const state = path.join(tmp, 'state');
    mkdirSync(state, { recursive: true });
    const archive = new Archive(content, rnd);
    for (let i = 0; i < ARTICLES; i++) archive.add();
    const history: string[] = [];

    /** Kill `s` after `ms`, and make sure it was our kill that ended it, not a crash of its own. */
    const killAfter = async (s: Served, ms: number, what: string): Promise<void> => {
      await Promise.race([sleep(ms), s.exited]);
      expect(s.proc.exitCode, `${what}: exited by itself before the kill\n${s.log()}`).toBeNull();
      await s.kill();
      const { signal } = await s.exited;
      expect(signal, `${what}\n${s.log()}`).toBe('SIGKILL');
      history.push(what);
    };

    // While it builds the index from nothing, then while it resumes the build it was killed in.
    for (let k = 0; k < BUILD_KILLS; k++) {
      const workers = k === 1 ? '2' : '1';
      const s = spawnServe(serveArgs(content, state, ['--workers', workers]));
      if (rnd() < 0.5) await killAfter(s, 100 + Math.floor(rnd() * 1200), `build ${k}: workers ${workers}, at a time after spawn`);
      else {
        await s.port();
        await killAfter(s, Math.floor(rnd() * 400), `build ${k}: workers ${workers}, soon after listening`);
      }
    }

    // While a batch of changes is written under it (the rest of the batch lands while it is down).
    for (let k = 0; k < CHANGE_KILLS; k++) {
      const workers = k === 2 ? '2' : '1';
      const s = spawnServe(serveArgs(content, state, ['--workers', workers]));
      await s.port();
      const ops = 15 + Math.floor(rnd() * 25);
      const killAt = Math.floor(rnd() * (ops * 15 + 300));
      const killing = killAfter(s, killAt, `changes ${k}: workers ${workers}, ${ops} changes, kill at ${killAt} ms`);
      for (let i = 0; i < ops; i++) {
        archive.change();
        await sleep(Math.floor(rnd() * 30));
      }
      await killing;
    }

    const restarted = spawnServe(serveArgs(content, state));
    const port = await restarted.port();
    await fullTextIndexed(restarted, 60_000);
    const freshState = path.join(tmp, 'fresh-state');
    mkdirSync(freshState);
    const fresh = spawnServe(serveArgs(content, freshState, ['--no-watch']));
    const freshPort = await fresh.port();
    await fullTextIndexed(fresh, 60_000);
    expect(existsSync(path.join(content, '.gopherpress-cache'))).toBe(false);

    const want = await crawl(freshPort, SEARCHES);
    // Every article and more: the fresh walk reached the whole archive.
    expect(want.size).toBeGreaterThan(archive.files.size);
    for (const rel of [...archive.files.keys()].slice(0, 20)) {
      const id = archive.files.get(rel);
      const sel = id !== undefined && rel.split('/').length === 2 ? `/${rel.split('/')[0]}/!${id}` : id !== undefined ? `/!${id}` : `/${rel.replace(/\.txt$/, '')}`;
      expect(want.has(`1${sel}`), `${sel} in the fresh walk`).toBe(true);
    }
    let diffs: string[] = [];
    await within(10_000, 'the restarted server to serve what a fresh index serves', async () => {
      diffs = walkDifferences(await crawl(port, SEARCHES), want);
      return diffs.length === 0;
    }, 200).catch(() => undefined);
    expect(diffs, `seed ${SEED}; kills:\n${history.join('\n')}`).toEqual([]);
    expect(await fresh.stop()).toBe(0);
    expect(await restarted.stop()).toBe(0);
  }, 150_000);
});
