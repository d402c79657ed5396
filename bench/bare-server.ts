/**
 * The ceiling: a bare Node `net` server that reads the request line, answers a prepared buffer of the
 * same size as gopherpress's answer for that selector, and closes. Anything gopherpress does beyond
 * this (routing, caching, logging, limits) is what the ratio to it measures.
 * Usage: node bare-server.js <port> <answers.json>  (selector → byte length)
 */
import net from 'node:net';
import { readFileSync } from 'node:fs';

const [port, file] = process.argv.slice(2);
const sizes = JSON.parse(readFileSync(file!, 'utf8')) as Record<string, number>;
const answers = new Map(Object.entries(sizes).map(([sel, n]) => [sel, Buffer.alloc(n, 0x41)]));
const notFound = Buffer.from('3Not found\t\terror.host\t1\r\n.\r\n');

const server = net.createServer({ noDelay: true }, (socket) => {
  let head = '';
  socket.on('error', () => socket.destroy());
  socket.on('data', (d) => {
    head += d.toString('utf8');
    const lf = head.indexOf('\n');
    if (lf < 0) return;
    const line = head.slice(0, head[lf - 1] === '\r' ? lf - 1 : lf);
    socket.end(answers.get(line) ?? notFound);
  });
});
server.listen({ port: Number(port), host: '127.0.0.1', backlog: 1024 }, () => process.stdout.write(`listening on ${port}\n`));
process.on('SIGTERM', () => process.exit(0));
