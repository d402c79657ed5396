import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeOnce } from '../../src/archive/content-path.js';
import { encodeText } from '../../src/charset/encode.js';
import { renderError, renderMenu } from '../../src/protocol/encode-menu.js';
import type { MenuItem } from '../../src/protocol/menu-item.js';

/** Strings rich in the characters that break menus: TAB, CR, LF, CRLF, a lone dot. */
const nasty = fc.string({ unit: fc.oneof(fc.constantFrom('\t', '\r', '\n', '\r\n', '.', ' ', 'ä'), fc.integer({ min: 0, max: 0xd7ff }).map((c) => String.fromCharCode(c))), maxLength: 60 });
const item: fc.Arbitrary<MenuItem> = fc.record(
  {
    itemType: fc.oneof(fc.constantFrom('0', '1', '3', '7', '9', 'i', 'I', 'g', 'h', '', '\t', '\r\n', '\n1'), fc.string({ maxLength: 2 })),
    display: nasty,
    selector: nasty,
    host: nasty,
    port: fc.integer({ min: 1, max: 65535 }),
  },
  { requiredKeys: ['itemType', 'display', 'selector'] },
);

describe('renderMenu on any items', () => {
  it('writes one line of exactly four fields per item, CRLF-ended, then a lone dot', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 30 }), nasty, (items, originHost) => {
        const wire = renderMenu(items, { host: originHost, port: 70 });
        expect(wire.endsWith('.\r\n')).toBe(true);
        const lines = wire.slice(0, -3).split('\r\n');
        expect(lines.pop()).toBe('');
        expect(lines.length).toBe(items.length);
        lines.forEach((l, i) => {
          expect(l).not.toMatch(/[\r\n]/);
          const fields = l.split('\t');
          expect(fields.length).toBe(4);
          // Info lines without a port of their own carry Gophernicus's dummy `null.host` port 1.
          expect(fields[3]).toBe(String(items[i]!.port ?? (items[i]!.itemType === 'i' ? 1 : 70)));
          expect(fields[0]!.length).toBeGreaterThan(0);
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('sends no control character but TAB, CR and LF, and every selector decodes back to itself', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 10 }), fc.constantFrom('utf-8', 'iso-8859-1', 'us-ascii' as const), (items, charset) => {
        const plain = items.map((i) => ({ ...i, selector: i.selector.replace(/%/g, '') }));
        const wire = encodeText(renderMenu(plain, { host: 'h', port: 70 }), charset).toString(charset === 'utf-8' ? 'utf8' : 'latin1');
        expect(wire).not.toMatch(/[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]/);
        if (charset !== 'utf-8') return;
        const lines = wire.split('\r\n').slice(0, -2);
        lines.forEach((l, i) => expect(decodeOnce(l.split('\t')[1]!)).toBe(plain[i]!.selector));
      }),
      { numRuns: 1000 },
    );
  });

  it('turns any error message into a single type-3 line', () => {
    fc.assert(
      fc.property(nasty, (message) => {
        const wire = renderError(message, { host: 'h', port: 70 });
        expect(wire).toMatch(/^3[^\t\r\n]*\t\th\t70\r\n\.\r\n$/);
      }),
    );
  });
});
