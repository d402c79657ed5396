/**
 * A worker thread of a cold start: parse and index one share of the articles and hand the result
 * back, the entries in batches as they are parsed, then the index, whose byte arrays are transferred,
 * not copied. Started by parse-threads.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ListedFile } from './list-content.js';
import { parseChunk } from './parse-chunk.js';
import type { ThreadMessage } from './parse-threads.js';

const { root, files } = workerData as { root: string; files: ListedFile[] };
const chunk = parseChunk(root, files, (batch, last) => parentPort!.postMessage({ batch, last } satisfies ThreadMessage));
const message: ThreadMessage = { chunk: { ...chunk, entries: [] } };
parentPort!.postMessage(message, [chunk.segment.offsets.buffer as ArrayBuffer, chunk.segment.postings.buffer as ArrayBuffer, chunk.segment.termBytes.buffer as ArrayBuffer, chunk.segment.termStarts.buffer as ArrayBuffer]);
