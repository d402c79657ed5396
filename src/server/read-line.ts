import type { Socket } from 'node:net';

export type LineResult =
  | { readonly kind: 'line'; readonly line: Buffer; readonly head: Buffer }
  | { readonly kind: 'too-long'; readonly head: Buffer }
  | { readonly kind: 'timeout'; readonly head: Buffer }
  | { readonly kind: 'closed' };

const NOTHING = Buffer.alloc(0);

/**
 * Read the request line: bytes up to the first LF (a CR before it is dropped). Only the first line
 * counts; curl and lynx turn `%0D%0A` in a URL into a real line end, and what follows is ignored.
 * Bounded in size here and in time by the caller, which calls the returned function when the request
 * timeout passes. `done` is called once; `head` is every byte received so far, for handing the
 * socket on (HTTP, TLS) untouched: `divert` sees each new head first, and true pauses the socket and
 * hands the head over as a `line` with an empty line. Otherwise the socket keeps flowing with no one
 * listening, so whatever follows the line is discarded (RFC 1436 leaves it unused) and the client's
 * FIN is read: a paused socket would linger half-closed after our answer until the idle timeout.
 *
 * Callbacks, not a promise: this runs once per request, and the common case (the whole line in the
 * first packet) must cost no allocation beyond the line itself.
 */
export function readLine(socket: Socket, maxBytes: number, divert: (head: Buffer) => boolean, done: (r: LineResult) => void): () => void {
  let chunks: Buffer[] | undefined;
  let head: Buffer = NOTHING;
  let finished = false;
  const finish = (r: LineResult): void => {
    if (finished) return;
    finished = true;
    socket.off('data', onData);
    socket.off('end', onEnd);
    socket.off('close', onEnd);
    done(r);
  };
  const onData = (chunk: Buffer): void => {
    if (head.length === 0) head = chunk;
    else {
      chunks ??= [head];
      chunks.push(chunk);
      head = Buffer.concat(chunks, head.length + chunk.length);
    }
    if (divert(head)) {
      socket.pause();
      return finish({ kind: 'line', line: NOTHING, head });
    }
    const lf = head.indexOf(0x0a);
    if (lf >= 0 && lf <= maxBytes) {
      const end = lf > 0 && head[lf - 1] === 0x0d ? lf - 1 : lf;
      return finish({ kind: 'line', line: head.subarray(0, end), head });
    }
    if (head.length > maxBytes) finish({ kind: 'too-long', head });
  };
  const onEnd = (): void => {
    // A client that half-closes after a selector with no line end still gets an answer.
    if (head.length > 0 && head.length <= maxBytes) {
      const end = head[head.length - 1] === 0x0d ? head.length - 1 : head.length;
      finish({ kind: 'line', line: head.subarray(0, end), head });
    } else finish({ kind: 'closed' });
  };
  socket.on('data', onData);
  socket.once('end', onEnd);
  socket.once('close', onEnd);
  return () => finish({ kind: 'timeout', head });
}
