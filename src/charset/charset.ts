/**
 * The output charsets and their names, apart from the encoder (encode.ts), so that the CLI parses
 * its options without loading iconv-lite.
 */
export type Charset = 'utf-8' | 'iso-8859-1' | 'us-ascii';

export const CHARSETS: readonly Charset[] = ['utf-8', 'iso-8859-1', 'us-ascii'];

export function parseCharset(name: string): Charset | undefined {
  const n = name.toLowerCase().replace(/_/g, '-');
  if (n === 'utf-8' || n === 'utf8') return 'utf-8';
  if (n === 'iso-8859-1' || n === 'latin1' || n === 'latin-1') return 'iso-8859-1';
  if (n === 'us-ascii' || n === 'ascii') return 'us-ascii';
  return undefined;
}
