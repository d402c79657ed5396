/**
 * What the importer knows about particular sites, tried before the general article extraction
 * (Readability): where the article body is, how its title is made, what to leave out, and which of its
 * links are articles of the archive. A rule applies to its host names, and to a page that carries its
 * marker wherever it is served from (a saved copy, a test server).
 */
export interface SiteRule {
  /** the site as articles name it: the heading's `# <name> -- …` and the folder in content/ */
  readonly name: string;
  readonly hosts: readonly string[];
  /** a CSS selector only this site's article pages match */
  readonly marker: string;
  /** the element holding the article */
  readonly body: string;
  /** the title is `kicker: headline` when the page has a kicker */
  readonly kicker?: string;
  readonly headline: string;
  /** the lead paragraph, shown as `> ` lines */
  readonly lead?: string;
  /** removed from the body before it is laid out: captions repeated in the text, ads, teasers, sharing */
  readonly drop: readonly string[];
  /** what every image caption starts with on the site's own gopher server */
  readonly captionPrefix: string;
  /** the site's own id of an article page, used as the archive's id: stable and readable */
  readonly id: (url: URL) => string | undefined;
  /** the selector of a link to the site's own articles and topic pages, as its gopher server has it */
  readonly articlePath: (url: URL) => string | undefined;
}

/** taz.de: `/Slug/!6084887/` is an article, `/Slug/!t5008150/` a topic page; its gopher server has the same selectors. */
const TAZ_PATH = /^(\/(?:[^/]*\/)?!(t?\d+))\/?$/;

export const SITE_RULES: readonly SiteRule[] = [
  {
    name: 'taz.de',
    hosts: ['taz.de', 'www.taz.de', 'm.taz.de'],
    marker: 'meta[property="og:site_name"][content="taz.de"]',
    body: 'article.sectbody',
    kicker: 'h1 .kicker',
    headline: 'h1 .headline',
    lead: 'p.intro',
    drop: ['h1', 'p.intro', 'p.caption', '.ad', '.ad-wrapper', '.werbung', '[class*="sponsored"]', '.rack', '.teaser', '.sharing', 'aside', 'script', 'style'],
    captionPrefix: 'Bild: ',
    id: (url) => /^\d+$/.exec(TAZ_PATH.exec(url.pathname)?.[2] ?? '')?.[0],
    // The path as the URL has it: %-encoded, so the selector stays ASCII (lynx garbles others).
    articlePath: (url) => TAZ_PATH.exec(url.pathname)?.[1],
  },
];

/** The rule for a page: by its host, else by its marker. */
export function ruleFor(url: URL, doc: ParentNode): SiteRule | undefined {
  return ruleForHost(url) ?? SITE_RULES.find((r) => doc.querySelector(r.marker) !== null);
}

/** The rule for a URL by its host alone: before its page is fetched. */
export function ruleForHost(url: URL): SiteRule | undefined {
  return SITE_RULES.find((r) => r.hosts.includes(url.hostname));
}
