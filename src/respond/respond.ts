import type { Charset } from '../charset/charset.js';
import type { Origin } from '../protocol/encode-menu.js';
import { parseRequest, type GopherRequest } from '../protocol/request.js';
import { route, type RouteContext } from '../route.js';
import { encodeAnswer, errorBytes, type Answer } from './answer.js';
import { AnswerCache, ANSWER_CACHE_BYTES } from './answer-cache.js';
import { HotFiles, HOT_FILES_BUDGET, type HotFile } from './hot-files.js';

type FileAnswer = Extract<Answer, { kind: 'file' }>;

export interface ResponderOptions {
  /** bytes of rendered answers kept (answer-cache.ts); each of n workers gets 1/n of the default */
  readonly answerCacheBytes?: number;
  /** bytes of small files kept in memory (hot-files.ts); each of n workers gets 1/n of the default */
  readonly hotFilesBudget?: number;
  /** a bug while answering: the client gets a type-3 line, the operator this */
  readonly onError?: (line: string) => void;
  /** what the operator should know about a file served (an article too large for a menu), once per file */
  readonly onNotice?: (line: string) => void;
}

/** Files noted at most once each; past this many the memory of them starts afresh. */
const NOTED_MAX = 1000;

/** The request as the access log shows it: the selector, then the query or the Gopher+ field after a TAB. */
function logSelector(req: GopherRequest): string {
  let s = req.selector;
  if (req.query !== undefined) s += '\t' + req.query;
  if (req.gopherPlus !== undefined) s += '\t' + req.gopherPlus;
  return s;
}

/**
 * `app.request(line) → Answer`, the one way in from the outside (as hono's `app.request`): the
 * request line → its answer cached for this archive generation, or parse → route → encode. The server
 * only reads the line and writes what this gives it; tests call it without a socket.
 *
 * A line answered before comes back synchronously, without a parse: the server writes it within the
 * socket's data event. Lines not cached yet are rendered once however many ask at the same time
 * (single flight): 20 clients asking for one large article share one rendering and one buffer.
 * Small files come from memory (hot-files.ts), checked against the archive's record on every hit.
 */
export class Responder {
  private readonly answers: AnswerCache;
  private readonly hot: HotFiles;
  private pending = new Map<string, Promise<Answer>>();
  private pendingGeneration = -1;
  private readonly errors = new Map<string, Buffer>();
  private readonly noted = new Set<string>();

  constructor(
    readonly ctx: RouteContext,
    readonly origin: Origin,
    readonly charset: Charset,
    private readonly opts: ResponderOptions = {},
  ) {
    this.answers = new AnswerCache(opts.answerCacheBytes ?? ANSWER_CACHE_BYTES);
    this.hot = new HotFiles(undefined, opts.hotFilesBudget ?? HOT_FILES_BUDGET);
  }

  /** The answer to one request line (its bytes without the line end; a string is taken as UTF-8). */
  request(line: Buffer | string): Answer | Promise<Answer> {
    const bytes = typeof line === 'string' ? Buffer.from(line, 'utf8') : line;
    const key = bytes.toString('latin1');
    const generation = this.ctx.archive.generation;
    const hit = this.answers.get(key, generation);
    if (hit !== undefined) return hit.kind === 'file' ? this.fromMemory(hit) : hit;
    if (generation !== this.pendingGeneration) {
      this.pending = new Map();
      this.pendingGeneration = generation;
    }
    const inFlight = this.pending.get(key);
    if (inFlight !== undefined) return inFlight;
    const rendering = this.render(bytes, key, generation);
    this.pending.set(key, rendering);
    void rendering.then(() => this.pending.get(key) === rendering && this.pending.delete(key));
    return rendering;
  }

  /** A type-3 line of the server's own (busy, timed out, too long): the same few messages, encoded once. */
  errorBytes(message: string): Buffer {
    let b = this.errors.get(message);
    if (b === undefined) this.errors.set(message, (b = errorBytes(message, this.origin, this.charset)));
    return b;
  }

  /** One catch per request: a bug becomes a type-3 line and a line on stderr, never a crash or a stack trace on the wire. */
  private async render(line: Buffer, key: string, generation: number): Promise<Answer> {
    let answer: Answer;
    try {
      const req = parseRequest(line);
      const doc = await route(this.ctx, req);
      if (doc.kind === 'file' && doc.note !== undefined) this.notice(doc.path, doc.note);
      answer = encodeAnswer(doc, logSelector(req), this.origin, this.charset, req.gopherPlus?.startsWith('$') === true);
    } catch (err) {
      this.opts.onError?.(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return { kind: 'bytes', bytes: this.errorBytes('Internal server error'), status: 'error', itemType: '3', selector: key };
    }
    // Only what was rendered from the generation it will be served for.
    if (this.ctx.archive.generation === generation) this.answers.offer(key, answer, generation);
    return answer.kind === 'file' ? this.fromMemory(answer) : answer;
  }

  /** A small file as bytes from memory when it is (or can be) kept there; otherwise the file to stream. */
  private fromMemory(a: FileAnswer): Answer | Promise<Answer> {
    if (a.size > this.hot.maxFile) return a;
    const kept = this.hot.get(a.path, a.size, a.mtimeMs);
    if (kept !== undefined) return this.keptAnswer(a, kept);
    return this.hot.load(a.path, a.size, a.mtimeMs).then((f) => (f === undefined ? a : this.keptAnswer(a, f)));
  }

  private keptAnswer(a: FileAnswer, f: HotFile): Answer {
    const hold = (): (() => void) => {
      this.hot.pin(f);
      return () => this.hot.unpin(f);
    };
    return { kind: 'bytes', bytes: f.bytes, status: 'ok', itemType: a.itemType, selector: a.selector, hold };
  }

  private notice(path: string, line: string): void {
    if (this.noted.has(path)) return;
    if (this.noted.size >= NOTED_MAX) this.noted.clear();
    this.noted.add(path);
    this.opts.onNotice?.(line);
  }
}
