import type { ArticleEntry } from './entry.js';
import { slugify } from './selectors.js';

export interface TagInfo {
  readonly slug: string;
  /** the spelling seen first */
  readonly name: string;
  readonly entries: Set<ArticleEntry>;
}

/**
 * Tag → its articles. Keyed by the lower-case slug, so `/tag/energiewende` and `tag:energiewende`
 * find `Energiewende`; slug and key are computed once per spelling (100,000 articles share ~2,000 tags).
 *
 * Built on first use from the archive's entries, then kept up to date: filling 2,000 Sets with
 * 400,000 entries was a quarter of a warm start's main thread (0.56 s at 100,000 articles), and an
 * article is served without it. The server builds it right after it starts listening.
 */
export class TagIndex {
  private readonly tags = new Map<string, TagInfo>();
  private readonly slugs = new Map<string, string>(); // tag name → slug
  private readonly keys = new Map<string, string>(); // tag name → lower-case slug, the key of `tags`
  private built = false;

  /** `entries`: every article of the archive (holes allowed), read once, when the index is first needed. */
  constructor(private readonly entries: () => Iterable<ArticleEntry | undefined>) {}

  get(slug: string): TagInfo | undefined {
    return this.build().tags.get(slug.toLowerCase());
  }

  values(): IterableIterator<TagInfo> {
    return this.build().tags.values();
  }

  /** Before it is built there is nothing to do: the build reads the article from the archive. */
  add(name: string, e: ArticleEntry): void {
    if (this.built) this.addNow(name, e);
  }

  /** A tag left without articles is gone. Before the index is built the archive no longer has `e` when it is. */
  remove(name: string, e: ArticleEntry): void {
    if (!this.built) return;
    const key = this.keyOf(name);
    const t = this.tags.get(key);
    t?.entries.delete(e);
    if (t && t.entries.size === 0) this.tags.delete(key);
  }

  build(): this {
    if (this.built) return this;
    this.built = true;
    for (const e of this.entries()) if (e) for (const name of e.tags) this.addNow(name, e);
    return this;
  }

  private addNow(name: string, e: ArticleEntry): void {
    const key = this.keyOf(name);
    let t = this.tags.get(key);
    if (!t) this.tags.set(key, (t = { slug: this.slugOf(name), name, entries: new Set() }));
    t.entries.add(e);
  }

  private keyOf(name: string): string {
    let key = this.keys.get(name);
    if (key === undefined) this.keys.set(name, (key = this.slugOf(name).toLowerCase()));
    return key;
  }

  private slugOf(name: string): string {
    let slug = this.slugs.get(name);
    if (slug === undefined) this.slugs.set(name, (slug = slugify(name)));
    return slug;
  }
}
