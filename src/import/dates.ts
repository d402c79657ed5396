/**
 * The date line that closes an article's body (`26 Apr 2025`), from the dates feeds and pages carry.
 * The day is the one the source wrote, in its own time zone: an item published `Sat, 26 Apr 2025
 * 23:30:00 -0200` belongs to 26 April where it was written, though it is 27 April in UTC.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ISO 8601 / RFC 3339 (Atom, JSON Feed, `article:published_time`, `<time datetime>`): the date part as written. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/;
/** RFC 822 / 1123 (RSS `pubDate`), day name optional, two- or four-digit year. */
const RFC822 = /^(?:[A-Za-z]{3},?\s+)?(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{2}|\d{4})\b/;

function valid(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || y < 1000 || y > 9999) return false;
  return new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
}

function line(y: number, m: number, d: number): string | undefined {
  return valid(y, m, d) ? `${d} ${MONTHS[m - 1]} ${y}` : undefined;
}

/** `2025-04-26T23:30:00-02:00` or `Sat, 26 Apr 2025 23:30:00 -0200` → `26 Apr 2025`; undefined for what is no date. */
export function dateLine(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const s = raw.trim();
  const iso = ISO.exec(s);
  if (iso) return line(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const rfc = RFC822.exec(s);
  if (rfc) {
    const m = MONTHS.findIndex((x) => x.toLowerCase() === rfc[2]!.toLowerCase()) + 1;
    const y = rfc[3]!.length === 2 ? 2000 + Number(rfc[3]) - (Number(rfc[3]) > 69 ? 100 : 0) : Number(rfc[3]);
    return m > 0 ? line(y, m, Number(rfc[1])) : undefined;
  }
  // Anything else Date can read has no zone of its own to keep: its UTC day.
  const t = Date.parse(s);
  if (Number.isNaN(t)) return undefined;
  const d = new Date(t);
  return line(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** A moment as a date line in UTC: the day an undated item was first seen. */
export function utcDateLine(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}
