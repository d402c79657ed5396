import { describe, expect, it } from 'vitest';
import { parseGophermap } from '../../src/gophermap/parse-gophermap.js';

const parse = (text: string) => parseGophermap(text, { folderSelector: '/dir/' });
const info = (display: string) => ({ kind: 'item', item: { itemType: 'i', display, selector: '' } });

describe('parseGophermap', () => {
  it('reads a line without TAB as info text and skips # comments', () => {
    expect(parse('Hello\n# not shown\n\n   indented\r\n')).toEqual([info('Hello'), info(''), info('   indented')]);
  });

  it('reads a line with TABs as an item; host and port left out stay undefined (this server)', () => {
    expect(parse('0Text\t/abs/file.txt\n1Remote\t/\tgopher.floodgap.com\t70\n1No port\t/x\texample.org\n')).toEqual([
      { kind: 'item', item: { itemType: '0', display: 'Text', selector: '/abs/file.txt' } },
      { kind: 'item', item: { itemType: '1', display: 'Remote', selector: '/', host: 'gopher.floodgap.com', port: 70 } },
      { kind: 'item', item: { itemType: '1', display: 'No port', selector: '/x', host: 'example.org' } },
    ]);
  });

  it('joins a relative selector to the folder, never a URL: one or one on another host', () => {
    expect(parse('0Rel\tnotes.md\nhWeb\tURL:https://example.org/\n1Other\tsub\texample.org\t70\n').map((l) => l.kind === 'item' && l.item.selector)).toEqual([
      '/dir/notes.md',
      'URL:https://example.org/',
      'sub',
    ]);
  });

  it('uses the display as selector when nothing follows the TAB, as Gophernicus and Bucktooth do', () => {
    expect(parse('1/overbite\t\n1Name\t\n1Root of\t\tsdf.org\t70\n').map((l) => l.kind === 'item' && [l.item.selector, l.item.host])).toEqual([
      ['/overbite', undefined],
      ['/dir/Name', undefined],
      ['', 'sdf.org'],
    ]);
  });

  it('reads the port as atoi does (a Gopher+ field after it is ignored) and drops a line without an item type', () => {
    expect(parse('1Plus\t/p\th\t70\t+\n\tno type\n')).toEqual([{ kind: 'item', item: { itemType: '1', display: 'Plus', selector: '/p', host: 'h', port: 70 } }]);
  });

  it('!title becomes the TITLE info line', () => {
    expect(parse('!My menu\n')).toEqual([{ kind: 'item', item: { itemType: 'i', display: 'My menu', selector: 'TITLE' } }]);
  });

  it('* inserts the listing and ends the map; . ends it; both only as the whole line', () => {
    expect(parse('a\n*\nb\n')).toEqual([info('a'), { kind: 'listing' }]);
    expect(parse('a\n.\nb\n')).toEqual([info('a')]);
    expect(parse('*****\n** star **\n...\n.plan\nend\n')).toEqual([info('*****'), info('** star **'), info('...'), info('.plan'), info('end')]);
  });

  it('=file includes, -name hides, :ext=X types; decoration that only looks like them stays text', () => {
    expect(parse('=header.map\n-secret.txt\n:md=9\n~\n%\n')).toEqual([
      { kind: 'include', target: 'header.map' },
      { kind: 'hide', name: 'secret.txt' },
      { kind: 'filetype', ext: 'md', itemType: '9' },
    ]);
    expect(parse('=====\n= spaced\n--- Section ---\n- bullet\n:-)\n')).toEqual([info('====='), info('= spaced'), info('--- Section ---'), info('- bullet'), info(':-)')]);
  });
});
