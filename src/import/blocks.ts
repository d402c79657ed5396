import type { Block } from './article-file.js';
import type { LinkTable } from './links.js';
import { collapseSpace } from './wrap.js';

/** Never text of the article. */
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'svg', 'canvas', 'video', 'audio',
  'form', 'button', 'input', 'select', 'textarea', 'nav', 'head', 'title', 'meta', 'link']);
/** Elements that end the paragraph before them and start a new one after. */
const BLOCK = new Set(['p', 'div', 'section', 'article', 'main', 'header', 'footer', 'aside', 'dl', 'dt', 'dd', 'figcaption',
  'address', 'details', 'summary', 'center', 'body', 'html', 'li', 'fieldset', 'caption']);
const HEADING = /^h[1-6]$/;
/** Controls a menu line cannot carry (TAB and line ends become spaces before this), and the Unicode line separators. */
const CONTROLS = /[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u2028\u2029]/g;
const SPACE = /[ \t\r\n\f\v]+/g;

export interface BlockOptions {
  readonly links: LinkTable;
  /** put before every caption (`Bild: ` on taz.de) */
  readonly captionPrefix?: string;
  /** a first heading with this text is the title again: left out */
  readonly title?: string;
}

const textOf = (n: Node): string => collapseSpace((n.textContent ?? '').replace(CONTROLS, ' '));

/**
 * An article's DOM → blocks of the archive's format: paragraphs with `[n][…]` references for links,
 * subheadings, figures as captions, lists, quotes and preformatted text. Pure over the DOM (any DOM:
 * linkedom's here), so a hand-written page gives hand-checked bytes.
 */
export function domToBlocks(root: Node, opts: BlockOptions): Block[] {
  return new BlockWriter(opts).run(root);
}

class BlockWriter {
  private readonly blocks: Block[] = [];
  private buf = '';
  /** prefix of the lines of what is written now (quotes, list items' continuation lines) */
  private indent = '';
  /** first-line prefix of the next paragraph (a list item's `* `) */
  private marker: string | undefined;
  private listDepth = 0;
  private lastInList = false;

  constructor(private readonly opts: BlockOptions) {}

  run(root: Node): Block[] {
    this.walk(root);
    this.flush();
    const first = this.blocks[0];
    if (first?.kind === 'heading' && this.opts.title !== undefined && collapseSpace(first.text) === collapseSpace(this.opts.title)) this.blocks.shift();
    return this.blocks;
  }

  private push(b: Block): void {
    this.blocks.push(b);
    this.lastInList = false;
  }

  private flush(): void {
    const segments = this.buf.split('\n').map(collapseSpace);
    this.buf = '';
    while (segments.length > 0 && segments[0] === '') segments.shift();
    while (segments.length > 0 && segments.at(-1) === '') segments.pop();
    if (segments.length === 0) return;
    const inList = this.listDepth > 0;
    const first = this.marker ?? this.indent;
    this.blocks.push({ kind: 'paragraph', text: segments.join('\n'), ...(first !== '' ? { first, rest: this.indent } : {}), ...(inList && this.lastInList ? { tight: true as const } : {}) });
    this.marker = undefined;
    this.lastInList = inList;
  }

  private walkChildren(el: Node): void {
    for (let c = el.firstChild; c; c = c.nextSibling) this.walk(c);
  }

  private walk(node: Node): void {
    if (node.nodeType === 3) {
      this.buf += (node.textContent ?? '').replace(SPACE, ' ').replace(CONTROLS, ' ');
      return;
    }
    if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) return;
    const el = node as Element;
    const name = el.localName ?? '';
    if (SKIP.has(name) || (node.nodeType === 1 && el.hasAttribute('hidden'))) return;
    if (name === 'br') {
      this.buf += '\n';
    } else if (name === 'a') {
      this.link(el);
    } else if (HEADING.test(name)) {
      this.flush();
      const text = textOf(el);
      if (text !== '') this.push({ kind: 'heading', text });
    } else if (name === 'figure') {
      this.flush();
      this.figure(el);
    } else if (name === 'img') {
      const caption = collapseSpace(el.getAttribute('alt') ?? el.getAttribute('title') ?? '');
      if (caption === '') return;
      this.flush();
      this.image(caption, el);
    } else if (name === 'ul' || name === 'ol') {
      this.flush();
      this.list(el, name === 'ol');
    } else if (name === 'blockquote') {
      this.flush();
      this.nested('  ', () => this.walkChildren(el));
    } else if (name === 'pre') {
      this.flush();
      const lines = (el.textContent ?? '').replace(/\r\n?/g, '\n').replace(CONTROLS, ' ').split('\n');
      while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
      while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
      if (lines.length > 0) this.push({ kind: 'pre', lines: lines.map((l) => this.indent + l) });
    } else if (name === 'table') {
      this.flush();
      // One line a row, the rows together as lynx shows a table.
      let rows = 0;
      for (const row of Array.from(el.querySelectorAll('tr'))) {
        const cells = Array.from(row.children).map(textOf).filter((c) => c !== '');
        if (cells.length === 0) continue;
        this.push({ kind: 'paragraph', text: cells.join(' | '), ...(this.indent ? { first: this.indent, rest: this.indent } : {}), ...(rows++ > 0 ? { tight: true as const } : {}) });
      }
    } else if (name === 'hr') {
      this.flush();
    } else if (BLOCK.has(name) || node.nodeType !== 1) {
      this.flush();
      this.walkChildren(el);
      this.flush();
    } else {
      this.walkChildren(el);
    }
  }

  /** `<a href>` → `[n][text]`; spaces at its edges stay outside the brackets. Not a link: its text. */
  private link(el: Element): void {
    const href = el.getAttribute('href');
    const text = (el.textContent ?? '').replace(SPACE, ' ').replace(CONTROLS, ' ');
    const n = href === null || text.trim() === '' ? undefined : this.opts.links.cite(href);
    if (n === undefined) return this.walkChildren(el);
    const lead = /^ /.test(text) ? ' ' : '';
    const trail = / $/.test(text) ? ' ' : '';
    this.buf += `${lead}[${n}][${collapseSpace(text)}]${trail}`;
  }

  private figure(el: Element): void {
    const img = el.querySelector('img');
    const cap = el.querySelector('figcaption');
    const caption = cap ? textOf(cap) : collapseSpace(img?.getAttribute('alt') ?? img?.getAttribute('title') ?? '');
    if (caption !== '') this.image(caption, img ?? undefined);
    else if (!img) this.walkChildren(el);
  }

  private image(caption: string, img: Element | undefined): void {
    const raw = img?.getAttribute('src') ?? img?.getAttribute('data-src') ?? img?.getAttribute('srcset')?.trim().split(/\s+/)[0];
    const src = raw ? this.opts.links.resolve(raw) : undefined;
    this.push({ kind: 'image', caption: (this.opts.captionPrefix ?? '') + caption, ...(src ? { src } : {}) });
  }

  private list(el: Element, ordered: boolean): void {
    let i = 0;
    this.listDepth++;
    for (const li of Array.from(el.children)) {
      if (li.localName !== 'li') continue;
      const marker = ordered ? `${++i}. ` : '* ';
      this.nested(' '.repeat(marker.length), () => {
        this.marker = this.indent.slice(marker.length) + marker;
        this.walkChildren(li);
        this.flush();
        this.marker = undefined;
      });
    }
    this.listDepth--;
  }

  private nested(extra: string, body: () => void): void {
    const saved = this.indent;
    this.indent += extra;
    try {
      body();
      this.flush();
    } finally {
      this.indent = saved;
    }
  }
}
