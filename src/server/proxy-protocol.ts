import { isIPv4, isIPv6 } from 'node:net';

/**
 * The PROXY protocol (HAProxy's doc/proxy-protocol.txt), versions 1 and 2: a load balancer that
 * relays a connection first sends one header naming the client it relays for. Pure functions over
 * the bytes received so far, so a header split across packets parses the same as a whole one.
 */
export type ProxyHeader =
  /** more bytes needed */
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'invalid'; readonly reason: string }
  /**
   * `length` bytes of header, then the client's own bytes. `client` is undefined where the spec says
   * to use the connection's own addresses: v1 `UNKNOWN`, v2 `LOCAL` (health checks), and v2 families
   * other than TCP over IPv4 or IPv6.
   */
  | { readonly kind: 'header'; readonly length: number; readonly client?: { readonly address: string; readonly port: number } };

const V1_PREFIX = Buffer.from('PROXY ', 'latin1');
/** §2.1: the longest v1 line, CRLF included. */
const V1_MAX = 107;
/** §2.2: the 12 bytes that open every v2 header; a byte 0 at the 5th place makes it no text protocol. */
const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
/** v2 headers longer than this (16 fixed bytes, addresses and TLVs) are refused: HAProxy sends well under 300. */
export const V2_MAX = 4096;

const INCOMPLETE: ProxyHeader = { kind: 'incomplete' };
const invalid = (reason: string): ProxyHeader => ({ kind: 'invalid', reason });

/** Do the first bytes start (or, with fewer bytes, could they start) `prefix`? */
function startsLike(head: Buffer, prefix: Buffer): boolean {
  const n = Math.min(head.length, prefix.length);
  return head.compare(prefix, 0, n, 0, n) === 0;
}

/** Does this look like a PROXY header at all: the v1 `PROXY ` or the whole v2 signature? (For clients not trusted to send one.) */
export function isProxyHeader(head: Buffer): boolean {
  const b = head[0];
  if (b !== V1_PREFIX[0] && b !== V2_SIGNATURE[0]) return false;
  return (head.length >= V1_PREFIX.length && startsLike(head, V1_PREFIX)) || (head.length >= V2_SIGNATURE.length && startsLike(head, V2_SIGNATURE));
}

/** Parse the header at the start of `head`, the first bytes of a connection from a trusted proxy. */
export function parseProxyHeader(head: Buffer): ProxyHeader {
  if (head.length === 0) return INCOMPLETE;
  if (head[0] === V2_SIGNATURE[0]) return startsLike(head, V2_SIGNATURE) ? parseV2(head) : invalid('not a PROXY protocol header');
  return startsLike(head, V1_PREFIX) ? parseV1(head) : invalid('not a PROXY protocol header');
}

/** §2.1: `PROXY TCP4|TCP6 <src> <dst> <srcport> <dstport>\r\n`, or `PROXY UNKNOWN …\r\n`. */
function parseV1(head: Buffer): ProxyHeader {
  const lf = head.indexOf(0x0a);
  if (lf < 0) return head.length >= V1_MAX ? invalid('PROXY v1 line longer than 107 bytes') : INCOMPLETE;
  if (lf + 1 > V1_MAX) return invalid('PROXY v1 line longer than 107 bytes');
  // A lone LF must not end the line (§2.1).
  if (head[lf - 1] !== 0x0d) return invalid('PROXY v1 line not ended by CRLF');
  const line = head.toString('latin1', 0, lf - 1);
  const f = line.split(' ');
  if (f[1] === 'UNKNOWN') return { kind: 'header', length: lf + 1 };
  if (f.length !== 6 || (f[1] !== 'TCP4' && f[1] !== 'TCP6')) return invalid('malformed PROXY v1 line');
  const family = f[1] === 'TCP4' ? 4 : 6;
  const [, , src, dst, sport, dport] = f as [string, string, string, string, string, string];
  if (!isAddress(src, family) || !isAddress(dst, family)) return invalid(`PROXY v1 addresses are not IPv${family}`);
  if (!isPort(sport) || !isPort(dport)) return invalid('PROXY v1 ports are not 0-65535');
  return { kind: 'header', length: lf + 1, client: { address: src, port: Number(sport) } };
}

/** §2.1: canonical text of the family (Node's checks refuse IPv4 with leading zeros); no IPv6 zone (`%eth0`). */
function isAddress(s: string, family: 4 | 6): boolean {
  return family === 4 ? isIPv4(s) : isIPv6(s) && !s.includes('%');
}

/** Decimal 0-65535 without leading zeros (§2.1: no confusion with octal). */
const isPort = (s: string): boolean => /^(?:0|[1-9]\d{0,4})$/.test(s) && Number(s) <= 65535;

/** §2.2: signature, version and command, family and protocol, length, addresses, then TLVs (skipped). */
function parseV2(head: Buffer): ProxyHeader {
  if (head.length < 16) return INCOMPLETE;
  const verCmd = head[12]!;
  if (verCmd >> 4 !== 2) return invalid('PROXY v2 header of another version');
  const command = verCmd & 0x0f;
  if (command > 1) return invalid('PROXY v2 header with an unknown command');
  const famProto = head[13]!;
  const family = famProto >> 4;
  const proto = famProto & 0x0f;
  if (family > 3 || proto > 2) return invalid('PROXY v2 header with an unknown address family or protocol');
  const length = 16 + head.readUInt16BE(14);
  if (length > V2_MAX) return invalid(`PROXY v2 header longer than ${V2_MAX} bytes`);
  if (head.length < length) return INCOMPLETE;
  // LOCAL (a health check): the proxy speaks for itself, whatever the address block says.
  if (command === 0) return { kind: 'header', length };
  if (famProto === 0x11) {
    if (length < 16 + 12) return invalid('PROXY v2 address block too short for IPv4');
    const address = `${head[16]}.${head[17]}.${head[18]}.${head[19]}`;
    return { kind: 'header', length, client: { address, port: head.readUInt16BE(24) } };
  }
  if (famProto === 0x21) {
    if (length < 16 + 36) return invalid('PROXY v2 address block too short for IPv6');
    const groups = Array.from({ length: 8 }, (_, i) => head.readUInt16BE(16 + 2 * i));
    return { kind: 'header', length, client: { address: formatIpv6(groups), port: head.readUInt16BE(48) } };
  }
  // UNSPEC, UDP, UNIX: valid, but nothing this server can count or log as a TCP client (§2.2 allows the fallback).
  return { kind: 'header', length };
}

/**
 * RFC 5952 text, as Node writes `socket.remoteAddress`: lower case, no leading zeros, the longest run
 * of two or more zero groups (the first of equal ones) as `::`, and an IPv4-mapped address dotted.
 */
export function formatIpv6(groups: readonly number[]): string {
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${groups[6]! >> 8}.${groups[6]! & 0xff}.${groups[7]! >> 8}.${groups[7]! & 0xff}`;
  }
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
