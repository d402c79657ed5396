import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { attachShards, SHARDS, shardFiles, shardSchema, shardTables } from './text-shards.js';

export type IndexDb = Database.Database;

/** Bumped whenever the tables change shape: a database of another version is rebuilt from content/. */
export const SCHEMA_VERSION = 4;
/** The version a database says it is while a cold start's bulk load (bulk-load.ts) is filling it. */
export const LOADING_VERSION = -1;
/** `gprs`: tells our database from any other SQLite file put at the same path. */
const APPLICATION_ID = 0x67707273;

export const INDEX_FILE = 'index.sqlite';

/**
 * The indexes that find an article by id or title, and one article's tags and links: a cold start's
 * bulk load (bulk-load.ts) drops them and builds each once, sorted, at its end.
 */
const LOOKUP_INDEXES = [
  ['articles_id', 'articles(id) WHERE id IS NOT NULL'],
  ['articles_title', 'articles(title_key)'],
  ['tags_article', 'tags(article)'],
  ['links_article', 'links(article)'],
] as const;
export const CREATE_LOOKUP_INDEXES = LOOKUP_INDEXES.map(([name, on]) => `CREATE INDEX ${name} ON ${on};`).join('\n');
export const DROP_LOOKUP_INDEXES = LOOKUP_INDEXES.map(([name]) => `DROP INDEX ${name};`).join('\n');

/**
 * The archive's index. Articles are keyed in date order (article-key.ts), so "newest first" is
 * "largest key first"; their words are in the shards (text-shards.ts) under the same keys.
 */
const SCHEMA = `
CREATE TABLE paths (
  path TEXT PRIMARY KEY,
  parent TEXT NOT NULL,
  kind INTEGER NOT NULL,
  size INTEGER NOT NULL,
  mtime REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX paths_parent ON paths(parent);
CREATE TABLE articles (
  key INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  id TEXT,
  selector TEXT NOT NULL,
  site TEXT NOT NULL,
  title TEXT NOT NULL,
  title_key TEXT NOT NULL,
  date TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime REAL NOT NULL,
  broken TEXT
);
-- The number of articles, kept by the writes themselves: count(*) reads every row, 0.4 s at 1,000,000.
CREATE TABLE article_count (n INTEGER NOT NULL);
INSERT INTO article_count VALUES (0);
CREATE TRIGGER article_added AFTER INSERT ON articles BEGIN UPDATE article_count SET n = n + 1; END;
CREATE TRIGGER article_removed AFTER DELETE ON articles BEGIN UPDATE article_count SET n = n - 1; END;
CREATE TABLE tags (
  slug TEXT NOT NULL,
  article INTEGER NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (slug, article)
) WITHOUT ROWID;
CREATE TABLE links (
  target TEXT NOT NULL,
  article INTEGER NOT NULL,
  PRIMARY KEY (target, article)
) WITHOUT ROWID;
${CREATE_LOOKUP_INDEXES}
`;

/** What `paths.kind` says a path is. */
export const PathKind = { folder: 0, article: 1, file: 2 } as const;

/**
 * The state folder when `--state-dir` is not given: systemd's StateDirectory, else the XDG state
 * home, one subfolder per content folder, so that a read-only content/ still gets an index.
 */
export function defaultStateDir(contentRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.STATE_DIRECTORY) return env.STATE_DIRECTORY.split(':')[0]!;
  const base = env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
  const hash = createHash('sha256').update(contentRoot).digest('hex').slice(0, 8);
  return path.join(base, 'gopherpress', `${path.basename(contentRoot) || 'content'}-${hash}`);
}

/**
 * A writer's connection: WAL, so that readers (the workers) never wait for it and a commit is one
 * append, in the index's file and every shard's.
 */
export function tuneWriter(db: IndexDb): void {
  db.pragma('journal_mode = WAL');
  // No fsync: the index is derived from content/. A process killed at any moment loses nothing the
  // OS has; what a power loss could leave damaged fails the check at the next start and is rebuilt.
  for (const schema of schemasOf(db)) db.pragma(`${schema}.synchronous = OFF`);
  // Writers take turns (the scan or watcher, and the full-text processes); on a loaded machine one
  // transaction of another can take seconds.
  db.pragma('busy_timeout = 60000');
}

const schemasOf = (db: IndexDb): string[] =>
  (db.pragma('database_list') as { name: string }[]).map((d) => d.name).filter((n) => n !== 'temp');

/** The index's file and its shards' (text-shards.ts). */
export const indexFiles = (file: string): string[] => [file, ...shardFiles(file)];

/** A connection to the index with its shards attached. */
function openIndex(file: string, options?: Database.Options): IndexDb {
  const db = new Database(file, options);
  try {
    attachShards(db, shardFiles(file));
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

export type OpenedIndex =
  /** `closedCleanly`: every file as the last clean stop left it (no process was killed while writing) */
  | { readonly db: IndexDb; readonly fresh: boolean; readonly closedCleanly: boolean }
  | { readonly damaged: string };

/**
 * The writer's connection. A missing index is created empty (`fresh`); files that are not our
 * database, of another schema version, or fail SQLite's checks are reported `damaged`.
 */
export function openIndexForWriting(file: string): OpenedIndex {
  mkdirSync(path.dirname(file), { recursive: true });
  const fresh = !existsSync(file) && createIndex(file);
  // Before ATTACH, which would create a missing shard's file empty.
  const missing = shardFiles(file).find((f) => !existsSync(f));
  if (missing !== undefined) return { damaged: `${path.basename(missing)} is missing` };
  let db: IndexDb | undefined;
  try {
    db = openIndex(file);
    if (fresh) {
      tuneWriter(db);
      return { db, fresh, closedCleanly: false };
    }
    // Every file's mark is used up, whichever fails.
    const untouched = indexFiles(file).map(closedCleanly).every(Boolean);
    const problem = checkIndex(db, file, untouched);
    if (problem !== undefined) {
      db.close();
      return { damaged: problem };
    }
    tuneWriter(db);
    return { db, fresh, closedCleanly: untouched };
  } catch (err) {
    db?.close();
    return { damaged: (err as Error).message };
  }
}

/** Make a database file under a temporary name: complete before anything can open it. */
function createFile(tmp: string, tables: string, version: number): void {
  removeFile(tmp);
  const db = new Database(tmp);
  try {
    db.pragma('journal_mode = WAL');
    db.exec(tables);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${version}`);
  } finally {
    db.close();
  }
}

/**
 * A new empty index: the shards first, then the index made under a temporary name and linked into
 * place, so that a second server starting on the same folder at the same moment never opens a
 * half-made one. False if it lost that race.
 */
function createIndex(file: string): boolean {
  for (const shard of shardFiles(file)) {
    createFile(`${shard}.new-${process.pid}`, shardTables('main'), SCHEMA_VERSION);
    removeFile(shard);
    renameSync(`${shard}.new-${process.pid}`, shard);
  }
  const tmp = `${file}.new-${process.pid}`;
  createFile(tmp, SCHEMA, SCHEMA_VERSION);
  try {
    linkSync(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return false;
  } finally {
    removeFile(tmp);
  }
}

/** Why `db` (the index `file` and its shards) is not a sound index of this version, or undefined. */
function checkIndex(db: IndexDb, file: string, untouched: boolean): string | undefined {
  // A shard's problem names its file.
  const checked = [{ schema: 'main', name: '' }, ...shardFiles(file).map((f, n) => ({ schema: shardSchema(n), name: `${path.basename(f)}: ` }))];
  const problemOf = (check: (db: IndexDb, schema: string) => string | undefined): string | undefined => {
    for (const { schema, name } of checked) {
      try {
        const problem = check(db, schema);
        if (problem !== undefined) return name + problem;
      } catch (err) {
        return name + (err as Error).message;
      }
    }
    return undefined;
  };
  // Reading every page takes ~13 s at 100,000 articles: only for files not as our last clean stop left them.
  return problemOf(checkVersion) ?? (untouched ? undefined : problemOf(checkPages));
}

function checkVersion(db: IndexDb, schema: string): string | undefined {
  if (db.pragma(`${schema}.application_id`, { simple: true }) !== APPLICATION_ID) return 'not a gopherpress index';
  const version = db.pragma(`${schema}.user_version`, { simple: true });
  if (version === LOADING_VERSION) return 'its first scan was cut off';
  if (version !== SCHEMA_VERSION) return `schema version ${String(version)}, this gopherpress writes ${SCHEMA_VERSION}`;
  return undefined;
}

function checkPages(db: IndexDb, schema: string): string | undefined {
  const rows = db.pragma(`${schema}.quick_check`) as { quick_check: string }[];
  if (rows.length !== 1 || rows[0]!.quick_check !== 'ok') return rows.map((r) => r.quick_check).slice(0, 3).join('; ');
  // quick_check does not read inside the full-text index's own structures (it throws what it finds).
  if (schema !== 'main') db.exec(`INSERT INTO ${schema}.fulltext(fulltext, rank) VALUES ('integrity-check', 0)`);
  return undefined;
}

const cleanMark = (file: string): string => `${file}-closed`;

/**
 * After the writer closed the database (and SQLite checkpointed its WALs): each file's size and
 * mtime, so that the next start can tell they were left untouched and skip reading every page.
 */
export function markClosedCleanly(file: string): void {
  for (const f of indexFiles(file)) {
    const st = statSync(f, { throwIfNoEntry: false });
    if (st && !existsSync(`${f}-wal`)) writeFileSync(cleanMark(f), JSON.stringify({ size: st.size, mtimeMs: st.mtimeMs }));
  }
}

/** Whether the file is as the last clean stop left it; the mark is used up, so a crash from now on means a check. */
function closedCleanly(file: string): boolean {
  let mark: { size: number; mtimeMs: number };
  try {
    mark = JSON.parse(readFileSync(cleanMark(file), 'utf8')) as typeof mark;
  } catch {
    return false;
  }
  rmSync(cleanMark(file), { force: true });
  const st = statSync(file, { throwIfNoEntry: false });
  return st !== undefined && st.size === mark.size && st.mtimeMs === mark.mtimeMs;
}

function removeFile(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-closed']) rmSync(file + suffix, { force: true });
}

/** Delete the index, its shards and their WAL files (before a rebuild). */
export function removeIndex(file: string): void {
  for (const f of indexFiles(file)) removeFile(f);
}

/** Another writer's connection to the index (a cold start's scan, in a process of its own). */
export function openIndexConnection(file: string): IndexDb {
  const db = openIndex(file);
  tuneWriter(db);
  return db;
}

/** A worker's connection: it reads what the writer commits, and never writes. */
export function openIndexForReading(file: string): IndexDb {
  const db = openIndex(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

/** A connection to one shard's file, for the full-text pass that writes it (full-text.ts). */
export function openShardForWriting(file: string): IndexDb {
  const db = new Database(file);
  tuneWriter(db);
  return db;
}

/** A connection that reads the index's own file only (the full-text pass's list of articles). */
export function openArticlesForReading(file: string): IndexDb {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

/** An empty index in memory (`gopherpress render`, tests of pure code). */
export function memoryIndex(): IndexDb {
  const db = new Database(':memory:');
  db.exec(SCHEMA);
  attachShards(db, Array.from({ length: SHARDS }, () => ':memory:'));
  for (let n = 0; n < SHARDS; n++) db.exec(shardTables(shardSchema(n)));
  return db;
}
