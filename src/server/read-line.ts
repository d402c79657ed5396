import type { Socket } from 'node:net';
import { connectionOf, type Connection } from './connection-table.js';

export type LineResult =
  | { readonly kind: 'line'; readonly line: Buffer; readonly head: Buffer }
  | { readonly kind: 'too-long'; readonly head: Buffer }
  | { readonly kind: 'timeout'; readonly head: Buffer }
  | { readonly kind: 'closed' };

/** What to do with the bytes as they come: one per server, shared by its connections. */
export interface LineReader {
  /** longest request line accepted */
  readonly maxBytes: number;
  /** sees each new head first; true pauses the socket and hands the head over as a `line` with an empty line */
  divert(conn: Connection, head: Buffer): boolean;
  /** called once per read */
  done(conn: Connection, r: LineResult): void;
}

const NOTHING = Buffer.alloc(0);

/**
 * Read the request line from `conn.stream`: bytes up to the first LF (a CR before it is dropped).
 * Only the first line counts; curl and lynx turn `%0D%0A` in a URL into a real line end, and what
 * follows is ignored. Bounded in size here and in time by the connection table, which calls
 * `timeOutLine` when the request timeout passes. `head` is every byte received so far, for handing
 * the socket on (HTTP, TLS) untouched.
 *
 * The listeners are shared functions that find their connection through the socket, and stay on
 * it once the line is read: the socket keeps flowing into them, so whatever follows the line is
 * discarded (RFC 1436 leaves it unused) and the client's FIN is read (a paused socket would linger
 * half-closed after our answer until the idle timeout). This runs once per request: the common
 * case (the whole line in the first packet) allocates nothing but the line.
 */
export function readLine(conn: Connection, reader: LineReader): void {
  conn.reader = reader;
  conn.head = undefined;
  conn.stream.on('data', onData);
  conn.stream.on('end', onEnd);
}

/** The request timeout passed: answer with what came so far. */
export function timeOutLine(conn: Connection): void {
  if (conn.reader) finish(conn, { kind: 'timeout', head: conn.head ?? NOTHING });
}

function onData(this: Socket, chunk: Buffer): void {
  const conn = connectionOf(this);
  const reader = conn?.reader;
  if (!conn || !reader) return;
  const head = conn.head === undefined ? chunk : Buffer.concat([conn.head, chunk]);
  conn.head = head;
  if (reader.divert(conn, head)) {
    this.pause();
    this.off('data', onData);
    this.off('end', onEnd);
    return finish(conn, { kind: 'line', line: NOTHING, head });
  }
  const lf = head.indexOf(0x0a);
  if (lf >= 0 && lf <= reader.maxBytes) {
    const end = lf > 0 && head[lf - 1] === 0x0d ? lf - 1 : lf;
    return finish(conn, { kind: 'line', line: head.subarray(0, end), head });
  }
  if (head.length > reader.maxBytes) finish(conn, { kind: 'too-long', head });
}

function onEnd(this: Socket): void {
  const conn = connectionOf(this);
  if (!conn?.reader) return;
  const head = conn.head;
  // A client that half-closes after a selector with no line end still gets an answer.
  if (head !== undefined && head.length > 0 && head.length <= conn.reader.maxBytes) {
    const end = head[head.length - 1] === 0x0d ? head.length - 1 : head.length;
    finish(conn, { kind: 'line', line: head.subarray(0, end), head });
  } else finish(conn, { kind: 'closed' });
}

function finish(conn: Connection, r: LineResult): void {
  const reader = conn.reader!;
  conn.reader = undefined;
  conn.head = undefined;
  reader.done(conn, r);
}
