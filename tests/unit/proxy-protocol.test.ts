import { describe, expect, it } from 'vitest';
import { formatIpv6, isProxyHeader, parseProxyHeader, V2_MAX, type ProxyHeader } from '../../src/server/proxy-protocol.js';
import { parseTrustedProxies, TrustedProxies } from '../../src/server/trusted-proxies.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const SIG = '0d0a0d0a000d0a515549540a';

/** What a receiver reading `bytes` in pieces sees: incomplete for every proper prefix, then this result. */
function parseSplit(bytes: Buffer): ProxyHeader {
  const whole = parseProxyHeader(bytes);
  for (let cut = 0; cut < bytes.length; cut++) {
    const part = parseProxyHeader(bytes.subarray(0, cut));
    // A prefix is either still incomplete, or already decided the same way as the whole.
    if (part.kind !== 'incomplete') expect(part).toEqual(whole);
  }
  return whole;
}

describe('PROXY protocol v1 (text)', () => {
  it('reads the client of a TCP4 line, and how long the header is, at every split', () => {
    const line = Buffer.from('PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n/!6084887\r\n', 'latin1');
    expect(parseSplit(line.subarray(0, 47))).toEqual({ kind: 'header', length: 47, client: { address: '192.168.0.1', port: 56324 } });
    expect(parseProxyHeader(line)).toEqual({ kind: 'header', length: 47, client: { address: '192.168.0.1', port: 56324 } });
    expect(line.subarray(47).toString('latin1')).toBe('/!6084887\r\n');
  });

  it('reads TCP6, and UNKNOWN (the connection speaks for itself) short and long', () => {
    expect(parseSplit(Buffer.from('PROXY TCP6 2001:db8::1 ::1 65535 70\r\n'))).toEqual({ kind: 'header', length: 37, client: { address: '2001:db8::1', port: 65535 } });
    expect(parseSplit(Buffer.from('PROXY UNKNOWN\r\n'))).toEqual({ kind: 'header', length: 15 });
    expect(parseProxyHeader(Buffer.from('PROXY UNKNOWN ffff::1 ffff::2 65535 65535\r\nrest'))).toEqual({ kind: 'header', length: 43 });
  });

  it('refuses what does not match the spec exactly', () => {
    const bad = (s: string): string => {
      const r = parseProxyHeader(Buffer.from(s, 'latin1'));
      if (r.kind !== 'invalid') throw new Error(`accepted ${JSON.stringify(s)}: ${JSON.stringify(r)}`);
      return r.reason;
    };
    expect(bad('PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n')).toBe('PROXY v1 line not ended by CRLF');
    expect(bad('PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n')).toBe('PROXY v1 addresses are not IPv4');
    expect(bad('PROXY TCP4 ::1 5.6.7.8 1 2\r\n')).toBe('PROXY v1 addresses are not IPv4');
    expect(bad('PROXY TCP6 1.2.3.4 ::1 1 2\r\n')).toBe('PROXY v1 addresses are not IPv6');
    expect(bad('PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n')).toBe('PROXY v1 addresses are not IPv6');
    expect(bad('PROXY TCP4 1.2.3.4 5.6.7.8 080 2\r\n')).toBe('PROXY v1 ports are not 0-65535');
    expect(bad('PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n')).toBe('PROXY v1 ports are not 0-65535');
    expect(bad('PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n')).toBe('malformed PROXY v1 line');
    expect(bad('PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n')).toBe('malformed PROXY v1 line');
    expect(bad('PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n')).toBe('malformed PROXY v1 line');
    expect(bad(`PROXY UNKNOWN ${'x'.repeat(100)}`)).toBe('PROXY v1 line longer than 107 bytes');
    expect(bad(`PROXY UNKNOWN ${'x'.repeat(100)}\r\n`)).toBe('PROXY v1 line longer than 107 bytes');
    expect(bad('/!6084887\r\n')).toBe('not a PROXY protocol header');
    expect(bad('GET / HTTP/1.1\r\n')).toBe('not a PROXY protocol header');
    expect(bad('PROXZ')).toBe('not a PROXY protocol header');
  });

  it('waits for more while the line could still become one', () => {
    expect(parseProxyHeader(Buffer.alloc(0))).toEqual({ kind: 'incomplete' });
    expect(parseProxyHeader(Buffer.from('PRO'))).toEqual({ kind: 'incomplete' });
    expect(parseProxyHeader(Buffer.from('PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r'))).toEqual({ kind: 'incomplete' });
  });
});

describe('PROXY protocol v2 (binary)', () => {
  // As HAProxy's send-proxy-v2 wrote it for a client at 172.19.0.1:42578 (TCP over IPv4), then the client's bytes.
  const tcp4 = hex(`${SIG} 21 11 000c ac130001 ac130003 a652 0050`);

  it('reads the client of TCP over IPv4, at every split, and leaves the client bytes after it', () => {
    expect(parseSplit(tcp4)).toEqual({ kind: 'header', length: 28, client: { address: '172.19.0.1', port: 42578 } });
    expect(parseProxyHeader(Buffer.concat([tcp4, Buffer.from('/\r\n')]))).toEqual({ kind: 'header', length: 28, client: { address: '172.19.0.1', port: 42578 } });
  });

  it('reads TCP over IPv6, written as Node writes a peer address', () => {
    const v6 = (src: string): Buffer => hex(`${SIG} 21 21 0024 ${src} 00000000000000000000000000000001 1f90 0046`);
    expect(parseSplit(v6('20010db8000000000000000000000001'))).toEqual({ kind: 'header', length: 52, client: { address: '2001:db8::1', port: 8080 } });
    expect(parseProxyHeader(v6('00000000000000000000ffff7f000002'))).toMatchObject({ client: { address: '::ffff:127.0.0.2' } });
  });

  it('skips TLVs after the addresses (the length says how many bytes)', () => {
    // PP2_TYPE_UNIQUE_ID (0x05) with 4 bytes, PP2_TYPE_NOOP (0x04) with none.
    const h = hex(`${SIG} 21 11 0013 7f000002 7f000001 d431 0046 05 0004 61626364 04 0000`);
    expect(parseSplit(h)).toEqual({ kind: 'header', length: 35, client: { address: '127.0.0.2', port: 54321 } });
  });

  it('LOCAL (a health check) and families it cannot count use the connection itself', () => {
    expect(parseSplit(hex(`${SIG} 20 00 0000`))).toEqual({ kind: 'header', length: 16 });
    // LOCAL with an address block all the same: skipped whole.
    expect(parseSplit(hex(`${SIG} 20 11 000c 7f000002 7f000001 d431 0046`))).toEqual({ kind: 'header', length: 28 });
    expect(parseSplit(hex(`${SIG} 21 00 0000`))).toEqual({ kind: 'header', length: 16 });
    expect(parseSplit(hex(`${SIG} 21 12 000c 7f000002 7f000001 d431 0046`))).toEqual({ kind: 'header', length: 28 });
    expect(parseProxyHeader(Buffer.concat([hex(`${SIG} 21 31 00d8`), Buffer.alloc(216)]))).toEqual({ kind: 'header', length: 232 });
  });

  it('refuses other versions, commands, families, short address blocks and oversized headers', () => {
    const reason = (b: Buffer): string | undefined => {
      const r = parseProxyHeader(b);
      return r.kind === 'invalid' ? r.reason : undefined;
    };
    expect(reason(hex(`${SIG} 11 11 000c 7f000002 7f000001 d431 0046`))).toBe('PROXY v2 header of another version');
    expect(reason(hex(`${SIG} 22 11 000c 7f000002 7f000001 d431 0046`))).toBe('PROXY v2 header with an unknown command');
    expect(reason(hex(`${SIG} 21 41 000c 7f000002 7f000001 d431 0046`))).toBe('PROXY v2 header with an unknown address family or protocol');
    expect(reason(hex(`${SIG} 21 13 000c 7f000002 7f000001 d431 0046`))).toBe('PROXY v2 header with an unknown address family or protocol');
    expect(reason(hex(`${SIG} 21 11 0008 7f000002 7f000001`))).toBe('PROXY v2 address block too short for IPv4');
    expect(reason(hex(`${SIG} 21 21 000c 7f000002 7f000001 d431 0046`))).toBe('PROXY v2 address block too short for IPv6');
    expect(reason(hex(`${SIG} 21 11 ffff`))).toBe(`PROXY v2 header longer than ${V2_MAX} bytes`);
    // The signature's first bytes, then something else.
    expect(reason(hex('0d0a0d0a01'))).toBe('not a PROXY protocol header');
    expect(reason(Buffer.from('\r\n'))).toBeUndefined();
  });
});

describe('isProxyHeader: a PROXY header from a client not trusted to send one', () => {
  it('sees the v1 word with its space and the whole v2 signature, nothing shorter', () => {
    expect(isProxyHeader(Buffer.from('PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n'))).toBe(true);
    expect(isProxyHeader(Buffer.from('PROXY '))).toBe(true);
    expect(isProxyHeader(hex(SIG))).toBe(true);
    expect(isProxyHeader(Buffer.from('PROXY'))).toBe(false);
    expect(isProxyHeader(Buffer.from('PROXYtext'))).toBe(false);
    expect(isProxyHeader(Buffer.from('\r\n'))).toBe(false);
    expect(isProxyHeader(Buffer.from('/PROXY \r\n'))).toBe(false);
  });
});

describe('formatIpv6', () => {
  it('writes RFC 5952 text', () => {
    expect(formatIpv6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1])).toBe('2001:db8::1');
    expect(formatIpv6([0, 0, 0, 0, 0, 0, 0, 1])).toBe('::1');
    expect(formatIpv6([0, 0, 0, 0, 0, 0, 0, 0])).toBe('::');
    expect(formatIpv6([0x2001, 0xdb8, 0, 1, 1, 1, 1, 1])).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIpv6([0x2001, 0, 0, 1, 0, 0, 0, 1])).toBe('2001:0:0:1::1');
    expect(formatIpv6([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1])).toBe('2001:db8::1:0:0:1');
    expect(formatIpv6([0xfe80, 0, 0, 0, 0xabcd, 0xef, 0x1, 0x2])).toBe('fe80::abcd:ef:1:2');
    expect(formatIpv6([0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201])).toBe('::ffff:192.0.2.1');
  });
});

describe('--trusted-proxy', () => {
  it('takes addresses and CIDR blocks, IPv4 and IPv6, and says which entry is neither', () => {
    expect(parseTrustedProxies('127.0.0.1, 10.0.0.0/8,::1,fd00::/8')).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']);
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow('"10.0.0.0/33" is not an IPv4 or IPv6 address or CIDR block');
    expect(() => parseTrustedProxies('haproxy.local')).toThrow('"haproxy.local" is not');
    expect(() => parseTrustedProxies('10.0.0.1/x')).toThrow('is not');
    expect(() => parseTrustedProxies(',')).toThrow('expected addresses or CIDR blocks');
  });

  it('matches a peer inside a block, an IPv4 peer on a dual-stack socket too, and no one else', () => {
    const t = new TrustedProxies(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);
    expect(t.has('127.0.0.1')).toBe(true);
    expect(t.has('::ffff:127.0.0.1')).toBe(true);
    expect(t.has('10.200.3.4')).toBe(true);
    expect(t.has('fd12::1')).toBe(true);
    expect(t.has('127.0.0.2')).toBe(false);
    expect(t.has('11.0.0.1')).toBe(false);
    expect(t.has('::1')).toBe(false);
    expect(t.has(undefined)).toBe(false);
  });
});
