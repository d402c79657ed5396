import type { Socket } from 'node:net';
import type { Origin } from '../protocol/encode-menu.js';
import { escapeHtml } from '../web/escape-html.js';
import { gopherUrl, parseWebPath } from '../web/urls.js';

/** Headers we wait for before answering, so that closing never meets unread bytes (which would RST the page away). */
const MAX_HEAD_BYTES = 8192;
const HEAD_WAIT_MS = 2000;

/** The page a web browser gets on the gopher port when no web view is configured (as Gophernicus does). */
export function fallbackPage(origin: Origin, path: string): string {
  // The path read as the web view reads it: a gopher URL's keeps its type, a selector becomes a type-1 link.
  const wr = parseWebPath(path);
  const url = escapeHtml(gopherUrl(origin.host, origin.port, wr?.itemType ?? '1', wr?.selector ?? ''));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>This is a gopher server</title></head>
<body>
<h1>This is a gopher server</h1>
<p>You reached a <a href="https://en.wikipedia.org/wiki/Gopher_(protocol)">Gopher</a> server (RFC 1436) with a web browser.
Open <a href="${url}">${url}</a> in a gopher client such as lynx, Lagrange or bombadillo:</p>
<p><code>lynx ${url}</code></p>
</body></html>
`;
}

/**
 * Answer one HTTP request with `fallbackPage` and close: 200 so browsers show it, `Connection: close`
 * because the gopher port serves one request per connection. Never waits more than HEAD_WAIT_MS.
 */
export function httpFallback(origin: Origin): (socket: Socket, head: Buffer) => void {
  return (socket, head) => {
    let buf = head;
    let answered = false;
    const answer = (): void => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      socket.off('data', onData);
      const first = buf.subarray(0, Math.max(0, buf.indexOf(0x0a))).toString('latin1');
      const [method = 'GET', target = '/'] = first.split(' ');
      const path = /^\/[\x21-\x7e]*$/.test(target) ? target.split('?')[0]! : '/';
      const body = Buffer.from(fallbackPage(origin, path), 'utf8');
      const headers = [
        'HTTP/1.1 200 OK',
        'Content-Type: text/html; charset=utf-8',
        `Content-Length: ${body.length}`,
        'Connection: close',
        'Server: gopherpress',
        '',
        '',
      ].join('\r\n');
      socket.end(method === 'HEAD' ? headers : Buffer.concat([Buffer.from(headers, 'latin1'), body]));
      // Keep draining whatever else the browser sends until it closes, then make sure we are gone.
      socket.resume();
      setTimeout(() => socket.destroy(), HEAD_WAIT_MS).unref();
    };
    const onData = (d: Buffer): void => {
      buf = Buffer.concat([buf, d]);
      if (buf.includes('\r\n\r\n') || buf.includes('\n\n') || buf.length > MAX_HEAD_BYTES) answer();
    };
    const timer = setTimeout(answer, HEAD_WAIT_MS);
    socket.on('error', () => socket.destroy());
    socket.on('data', onData);
    socket.resume();
    if (buf.includes('\r\n\r\n') || buf.includes('\n\n')) answer();
  };
}
