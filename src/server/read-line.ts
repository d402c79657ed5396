import type { Socket } from 'node:net';

export type LineResult =
  | { readonly kind: 'line'; readonly line: Buffer; readonly head: Buffer }
  | { readonly kind: 'too-long'; readonly head: Buffer }
  | { readonly kind: 'timeout'; readonly head: Buffer }
  | { readonly kind: 'closed' };

/**
 * Read the request line: bytes up to the first LF (a CR before it is dropped). Only the first line
 * counts; curl and lynx turn `%0D%0A` in a URL into a real line end, and what follows is ignored.
 * Bounded in size and time, so a silent or endless client costs one timer and `maxBytes` of memory.
 * `head` is every byte received so far, for handing the socket on (HTTP, TLS) untouched.
 */
export function readLine(socket: Socket, maxBytes: number, timeoutMs: number, sniff?: (head: Buffer) => boolean): Promise<LineResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let done = false;
    const finish = (r: LineResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onEnd);
      socket.pause();
      resolve(r);
    };
    const head = (): Buffer => Buffer.concat(chunks, length);
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      length += chunk.length;
      const all = head();
      if (sniff?.(all)) return finish({ kind: 'line', line: Buffer.alloc(0), head: all });
      const lf = all.indexOf(0x0a);
      if (lf >= 0 && lf <= maxBytes) {
        const end = lf > 0 && all[lf - 1] === 0x0d ? lf - 1 : lf;
        return finish({ kind: 'line', line: all.subarray(0, end), head: all });
      }
      if (length > maxBytes) finish({ kind: 'too-long', head: all });
    };
    const onEnd = (): void => {
      // A client that half-closes after a selector with no line end still gets an answer.
      if (length > 0 && length <= maxBytes) {
        const all = head();
        const end = all[all.length - 1] === 0x0d ? all.length - 1 : all.length;
        finish({ kind: 'line', line: all.subarray(0, end), head: all });
      } else finish({ kind: 'closed' });
    };
    const timer = setTimeout(() => finish({ kind: 'timeout', head: head() }), timeoutMs);
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.once('error', onEnd);
  });
}
