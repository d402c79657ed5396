/** The thread of ReadThread: reads and parses each batch of files it is sent, in order. */
import { parentPort, workerData } from 'node:worker_threads';
import { FileReader } from './read-article.js';
import { readBatch, type ReadRequest } from './read-thread.js';

const { root } = workerData as { root: string };
const reader = new FileReader();
parentPort!.on('message', (r: ReadRequest) => parentPort!.postMessage({ id: r.id, ...readBatch(root, r, reader) }));
