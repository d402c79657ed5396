import { realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * Selector → path inside content/, or undefined when it could name anything outside it or anything
 * hidden. Decodes %xx once (lynx and curl send some bytes encoded); a second layer of encoding is left
 * as literal text, so `%252e%252e` is just a strange name that doesn't exist.
 */
export function relPathOfSelector(selector: string): string | undefined {
  const s = decodeOnce(selector);
  if (s === undefined) return undefined;
  if (s.includes('\0') || s.includes('\\')) return undefined;
  const parts = s.split('/').filter((p) => p !== '');
  for (const p of parts) {
    // `..` and `.` climb or alias; dotfiles (.cache, .git, .htaccess) are never served.
    if (p.startsWith('.')) return undefined;
  }
  // A gophermap is the source of a menu, not a document: serving it would show its raw lines.
  const last = parts.at(-1);
  if (last === 'gophermap' || last === 'gophermap.cache') return undefined;
  return parts.join('/');
}

/** `%xx` decoded once, as lynx and curl encode some bytes of a selector; undefined when not valid. */
export function decodeOnce(selector: string): string | undefined {
  if (!selector.includes('%')) return selector;
  try {
    return decodeURIComponent(selector);
  } catch {
    return undefined;
  }
}

/** True when `abs`, with every symlink resolved, lies inside `rootReal` (itself already resolved). */
export function insideRoot(rootReal: string, abs: string): boolean {
  let real: string;
  try {
    real = realpathSync(abs);
  } catch {
    return false;
  }
  return real === rootReal || real.startsWith(rootReal + path.sep);
}
