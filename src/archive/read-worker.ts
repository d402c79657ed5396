/** The thread of ReadThread: reads and parses each batch it is sent, in order. */
import { parentPort, workerData } from 'node:worker_threads';
import { FileReader } from './read-article.js';
import { answer, type ReadRequest } from './read-thread.js';

const { root } = workerData as { root: string };
const reader = new FileReader();
parentPort!.on('message', (r: ReadRequest) => parentPort!.postMessage({ id: r.id, answer: answer(root, r, reader) }));
