import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomic } from './save.js';

/** The file in the mirror folder that lets a run resume or update; hidden, so gopherpress never serves it. */
export const STATE_FILE = '.gopherpress-mirror.json';

/** One item still to fetch in a crawl, as it is queued. */
export interface QueuedItem {
  readonly itemType: string;
  readonly selector: string;
  readonly host: string;
  readonly port: number;
  readonly depth: number;
  /** display text of the item that linked here: the title of an article menu without a heading */
  readonly title: string;
  /** failed network attempts so far: one failure is retried (in the next run if this one ends first) */
  readonly tries?: number;
}

export interface MirrorState {
  readonly format: 1;
  /** the start URL; a state for another URL is not reused */
  url: string;
  /** gopherpress mode: path in the mirror → version from the server's /files.txt when it was saved */
  files: Record<string, string>;
  /** crawl mode, current pass: item key → path it was saved to ('' when nothing was saved) */
  done: Record<string, string>;
  /** crawl mode: what an interrupted pass still had to fetch */
  pending: QueuedItem[];
  /** crawl mode: whether the last pass reached its end (the next run starts a new pass) */
  complete: boolean;
}

export function emptyState(url: string): MirrorState {
  return { format: 1, url, files: {}, done: {}, pending: [], complete: true };
}

/** The saved state for `url`, or a fresh one when there is none, it is unreadable, or for another URL. */
export async function loadState(outDir: string, url: string): Promise<MirrorState> {
  try {
    const s = JSON.parse(await readFile(path.join(outDir, STATE_FILE), 'utf8')) as Partial<MirrorState>;
    if (s.format !== 1 || s.url !== url || typeof s.files !== 'object' || typeof s.done !== 'object' || !Array.isArray(s.pending)) return emptyState(url);
    return { format: 1, url, files: s.files ?? {}, done: s.done ?? {}, pending: s.pending, complete: s.complete === true };
  } catch {
    return emptyState(url);
  }
}

/** Written atomically: an interrupted run leaves the previous state or the new one, never half. */
export async function saveState(outDir: string, state: MirrorState): Promise<void> {
  await writeAtomic(path.join(outDir, STATE_FILE), JSON.stringify(state) + '\n');
}

/**
 * Saves the state at most every `everyMs` while a run goes on, and once more at the end, so a
 * crawl of 100,000 items does not rewrite its state file 100,000 times. Writes never overlap.
 */
export class StateSaver {
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly outDir: string, private readonly state: MirrorState, private readonly everyMs = 1000) {}

  touch(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.write();
    }, this.everyMs);
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    return this.write();
  }

  private write(): Promise<void> {
    // The snapshot is taken when the write starts, so it holds everything done before it.
    this.chain = this.chain.then(() => saveState(this.outDir, this.state)).catch(() => undefined);
    return this.chain;
  }
}
