import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRequest } from '../../src/protocol/request.js';

/** Any byte string a client can send as a request line (without its line end). */
const lineBytes = fc.uint8Array({ maxLength: 4096 }).map((b) => Buffer.from(b.filter((x) => x !== 0x0a)));

describe('parseRequest on any bytes', () => {
  it('never throws and returns a selector with no TAB, CR or LF, and at most a query and a Gopher+ field', () => {
    fc.assert(
      fc.property(lineBytes, (line) => {
        const r = parseRequest(line);
        expect(typeof r.selector).toBe('string');
        expect(r.selector).not.toMatch(/[\t\n]/);
        if (r.query !== undefined) expect(r.query).not.toMatch(/[\t\n]/);
        const tabs = line.filter((b) => b === 0x09).length;
        if (tabs === 0) expect(r.query === undefined && r.gopherPlus === undefined).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps an ASCII selector and query exactly as sent', () => {
    const field = fc.string({ unit: fc.constantFrom(...'abcXYZ019/!._-~%+ '.split('')), maxLength: 200 });
    fc.assert(
      fc.property(field, fc.option(field, { nil: undefined }), (selector, query) => {
        const line = Buffer.from(query === undefined ? selector : `${selector}\t${query}`, 'latin1');
        const r = parseRequest(line);
        expect(r.selector).toBe(selector);
        // A query that starts like a Gopher+ marker is read as one (RFC 1436 has no such queries).
        if (query !== undefined && !/^[+!$]/.test(query)) expect(r.query).toBe(query);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads TAB +, TAB $ and TAB ! as Gopher+, never as a search query', () => {
    fc.assert(
      fc.property(fc.constantFrom('+', '$', '!'), fc.string({ maxLength: 30 }).filter((s) => !/[\t\n]/.test(s)), (mark, rest) => {
        const r = parseRequest(Buffer.from(`/sel\t${mark}${rest}`, 'utf8'));
        expect(r).toEqual({ selector: '/sel', gopherPlus: mark + rest });
      }),
    );
  });
});
