/**
 * Run as a short-lived child by the cluster primary: bring content/'s start-up cache up to date and
 * exit. Parsing 100,000 articles takes hundreds of megabytes; doing it here lets the operating system
 * take all of it back, so the primary, which lives as long as the server, stays small.
 * Usage (internal): node refresh-cache.js <content dir>
 */
import { cacheIsFresh, openArchive, saveArchiveCache } from './archive/load.js';
import { VERSION } from './version.js';

const root = process.argv[2]!;
if (cacheIsFresh(root, VERSION)) process.exit(0);
const loaded = await openArchive(root, VERSION);
for (const e of loaded.errors) process.stderr.write(e + '\n');
try {
  if (loaded.stale) saveArchiveCache(root, VERSION, loaded.archive);
} catch (err) {
  process.stderr.write(`cannot write the start-up cache in ${root} (${(err as NodeJS.ErrnoException).code ?? String(err)}); each worker parses every article\n`);
}
