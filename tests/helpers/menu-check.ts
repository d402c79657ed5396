import { expect } from 'vitest';

/**
 * A gopher menu as RFC 1436 §3.8 defines it: lines of `<type><display>TAB<selector>TAB<host>TAB<port>`
 * ended by CRLF, no stray CR or LF, then a line with a lone `.`. Returns the lines as fields.
 */
export function expectValidMenu(body: Buffer | string, what = 'menu'): string[][] {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  expect(text.endsWith('\r\n.\r\n') || text === '.\r\n', `${what} ends with a lone "."`).toBe(true);
  const lines = text.slice(0, -3).split('\r\n');
  lines.pop();
  const out: string[][] = [];
  for (const line of lines) {
    expect(/[\r\n]/.test(line), `${what}: bare CR or LF in ${JSON.stringify(line)}`).toBe(false);
    const f = line.split('\t');
    expect(f.length, `${what}: four fields in ${JSON.stringify(line)}`).toBe(4);
    expect(f[0]!.length, `${what}: an item type in ${JSON.stringify(line)}`).toBeGreaterThan(0);
    expect(/^\d{1,5}$/.test(f[3]!), `${what}: a port in ${JSON.stringify(line)}`).toBe(true);
    expect(f[2]!.length, `${what}: a host in ${JSON.stringify(line)}`).toBeGreaterThan(0);
    out.push(f);
  }
  return out;
}
