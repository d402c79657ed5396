import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ListedFile } from './list-content.js';
import { parseChunk, type ParsedChunk } from './parse-chunk.js';
import { internEntry } from './entry.js';

/** Below this many articles a thread costs more to start than it saves. */
const PER_THREAD_MIN = 2000;

/**
 * Parse and index many articles on every core: one worker thread per CPU takes a contiguous share,
 * so that the shares' segments, joined in order, number the articles as one thread would have. A
 * thread that fails (it should not) has its share parsed here instead.
 */
export async function parseOnThreads(root: string, files: readonly ListedFile[]): Promise<ParsedChunk[]> {
  const threads = Math.min(os.availableParallelism(), Math.floor(files.length / PER_THREAD_MIN));
  if (threads <= 1) return [parseChunk(root, files)];
  const share = Math.ceil(files.length / threads);
  const shares = Array.from({ length: threads }, (_, t) => files.slice(t * share, (t + 1) * share));
  const chunks = await Promise.all(shares.map((s) => onThread(root, s).catch(() => parseChunk(root, s))));
  // Cloned entries carry their own copies of tag and site names: share them again, as parsing here does.
  return chunks.map((c) => ({ ...c, entries: c.entries.map(internEntry) }));
}

function onThread(root: string, files: ListedFile[]): Promise<ParsedChunk> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./parse-worker.js', import.meta.url), { workerData: { root, files } });
    w.once('message', (chunk: ParsedChunk) => resolve(chunk));
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(`parse thread exited (${code})`)));
  });
}
