import { Worker } from 'node:worker_threads';
import { FileReader } from './read-article.js';
import { readChange, type FoundFile } from './read-change.js';
import type { Change } from './write-changes.js';

/** What one batch of files read into: their changes, and a line per file that could not be read. */
export interface ReadBatch {
  readonly changes: Change[];
  readonly errors: string[];
}

export interface ReadRequest {
  readonly id: number;
  readonly files: readonly FoundFile[];
  readonly withText: boolean;
}

/**
 * Reads and parses a scan's files on a thread of its own, batch by batch in the order asked, so that
 * the scan's other half (walking folders, writing the index) runs beside it: at 100,000 articles each
 * half is about ten seconds. Should the thread not start (its module missing, as when the sources run
 * untranspiled), batches are read on this thread instead.
 */
export class ReadThread {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, { request: ReadRequest; resolve: (b: ReadBatch) => void }>();
  private nextId = 0;
  private readonly reader = new FileReader();

  constructor(private readonly root: string) {
    const worker = new Worker(new URL('./read-worker.js', import.meta.url), { workerData: { root } });
    worker.unref();
    worker.on('message', (m: ReadBatch & { id: number }) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      w?.resolve(m);
    });
    worker.once('error', () => {
      this.worker = undefined;
      for (const [id, w] of this.waiting) {
        this.waiting.delete(id);
        w.resolve(this.readHere(w.request));
      }
    });
    this.worker = worker;
  }

  read(files: readonly FoundFile[], withText: boolean): Promise<ReadBatch> {
    const request: ReadRequest = { id: this.nextId++, files, withText };
    if (!this.worker) return Promise.resolve(this.readHere(request));
    return new Promise((resolve) => {
      this.waiting.set(request.id, { request, resolve });
      this.worker!.postMessage(request);
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
  }

  private readHere(r: ReadRequest): ReadBatch {
    return readBatch(this.root, r, this.reader);
  }
}

export function readBatch(root: string, r: ReadRequest, reader: FileReader): ReadBatch {
  const errors: string[] = [];
  const changes = r.files.map((f) => readChange(root, f, reader, { withText: r.withText, cutOff: false }, errors));
  return { changes, errors };
}
