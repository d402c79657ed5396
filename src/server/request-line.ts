/**
 * The request line in the bytes a client sent so far (RFC 1436 §2: `selector [TAB query] CRLF`):
 * bytes up to the first LF, a CR before it dropped. Only the first line counts; curl and lynx turn
 * `%0D%0A` in a URL into a real line end, and what follows is ignored. Undefined while the line is
 * still incomplete; `too-long` once more than `maxBytes` came without one.
 */
export function scanRequestLine(head: Buffer, maxBytes: number): Buffer | 'too-long' | undefined {
  const lf = head.indexOf(0x0a);
  if (lf >= 0 && lf <= maxBytes) return head.subarray(0, lf > 0 && head[lf - 1] === 0x0d ? lf - 1 : lf);
  return head.length > maxBytes ? 'too-long' : undefined;
}

/** A client that half-closes after a selector with no line end still gets an answer: the line is what came. */
export function lineAtEnd(head: Buffer | undefined, maxBytes: number): Buffer | undefined {
  if (head === undefined || head.length === 0 || head.length > maxBytes) return undefined;
  return head.subarray(0, head[head.length - 1] === 0x0d ? head.length - 1 : head.length);
}
