/** The worker thread of `listContentOnThread` (list-thread.ts): list content/, stat every file, post it packed. */
import { parentPort, workerData } from 'node:worker_threads';
import { listContent } from './list-content.js';
import { packListing } from './list-thread.js';

const { root } = workerData as { root: string };
const packed = packListing(listContent(root));
parentPort!.postMessage(packed, [packed.sizes.buffer as ArrayBuffer, packed.mtimes.buffer as ArrayBuffer]);
