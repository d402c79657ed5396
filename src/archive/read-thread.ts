import { Worker } from 'node:worker_threads';
import { FileReader } from './read-article.js';
import { readChange, type FoundFile } from './read-change.js';
import { readTexts, type UnindexedRow } from './full-text.js';
import type { FoldedText } from './text-shards.js';
import { compiledModule } from './compiled-module.js';
import type { Change } from './write-changes.js';

/** What one batch of found files read into: their changes, and a line per file that could not be read. */
export interface ReadBatch {
  readonly changes: Change[];
  readonly errors: string[];
}

/** A batch for the thread: found files to read into changes (a scan), or rows to read the words of (the full-text pass). */
export type ReadRequest =
  | { readonly id: number; readonly kind: 'changes'; readonly files: readonly FoundFile[]; readonly withText: boolean }
  | { readonly id: number; readonly kind: 'texts'; readonly rows: readonly UnindexedRow[] };

/** Do what a request asks, blocking: on the thread, or here when it could not start. */
export function answer(root: string, r: ReadRequest, reader: FileReader): ReadBatch | FoldedText[] {
  if (r.kind === 'texts') return readTexts(root, r.rows, reader);
  const errors: string[] = [];
  const changes = r.files.map((f) => readChange(root, f, reader, { withText: r.withText, cutOff: false }, errors));
  return { changes, errors };
}

/**
 * Reads and parses files on a thread of its own, batch by batch in the order asked, so that the
 * other half of the work (walking folders and writing the index, or writing the full-text index)
 * runs beside it: at 100,000 articles the halves of a scan are about ten seconds each. Without the
 * thread's module (compiled-module.ts), batches are read on this thread instead.
 */
export class ReadThread {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, { request: ReadRequest; resolve: (answer: unknown) => void }>();
  private nextId = 0;
  private readonly reader = new FileReader();

  constructor(private readonly root: string) {
    const module = compiledModule('./read-worker.js');
    if (!module) return;
    const worker = new Worker(module, { workerData: { root } });
    worker.unref();
    worker.on('message', (m: { id: number; answer: unknown }) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      w?.resolve(m.answer);
    });
    worker.once('error', () => {
      // The thread died: what it was asked and had not answered is read here, and all that follows.
      this.worker = undefined;
      for (const [id, w] of this.waiting) {
        this.waiting.delete(id);
        w.resolve(answer(this.root, w.request, this.reader));
      }
    });
    this.worker = worker;
  }

  changes(files: readonly FoundFile[], withText: boolean): Promise<ReadBatch> {
    return this.ask({ id: this.nextId++, kind: 'changes', files, withText }) as Promise<ReadBatch>;
  }

  texts(rows: readonly UnindexedRow[]): Promise<FoldedText[]> {
    return this.ask({ id: this.nextId++, kind: 'texts', rows }) as Promise<FoldedText[]>;
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
  }

  private ask(request: ReadRequest): Promise<unknown> {
    if (!this.worker) return Promise.resolve(answer(this.root, request, this.reader));
    return new Promise((resolve) => {
      this.waiting.set(request.id, { request, resolve });
      this.worker!.postMessage(request);
    });
  }
}
