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
 */
export class TagIndex {
  private readonly tags = new Map<string, TagInfo>();
  private readonly slugs = new Map<string, string>(); // tag name → slug
  private readonly keys = new Map<string, string>(); // tag name → lower-case slug, the key of `tags`

  get(slug: string): TagInfo | undefined {
    return this.tags.get(slug.toLowerCase());
  }

  values(): IterableIterator<TagInfo> {
    return this.tags.values();
  }

  add(name: string, e: ArticleEntry): void {
    const key = this.keyOf(name);
    let t = this.tags.get(key);
    if (!t) this.tags.set(key, (t = { slug: this.slugOf(name), name, entries: new Set() }));
    t.entries.add(e);
  }

  /** A tag left without articles is gone. */
  remove(name: string, e: ArticleEntry): void {
    const key = this.keyOf(name);
    const t = this.tags.get(key);
    t?.entries.delete(e);
    if (t && t.entries.size === 0) this.tags.delete(key);
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
