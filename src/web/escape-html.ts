/**
 * Text made safe inside HTML (or XML) text and quoted attributes: `& < > " '` as numeric character
 * references, which mean the same in both. The one escaper of every page this server writes.
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
