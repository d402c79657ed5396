import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where Debian's libnginx-mod-stream puts the stream module. */
const STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';
/** Raw bytes per `set`: escaped at most twice as long, under nginx's 4,096-byte limit for one config token. */
const PART = 1500;
/**
 * Larger answers are left out: nginx closes as soon as it has written, with the request still unread,
 * so the kernel resets the connection and a client still reading a large answer loses its tail
 * (217 of 700 answers of 1 MB cut short in a run).
 */
const MAX_BYTES = 256 * 1024;

/** A double-quoted nginx string of `bytes`: `$` would start a variable, so it comes from `$dollar`. */
function quoted(bytes: Buffer): string {
  const s = bytes.toString('latin1').replace(/[\\"\r\n\t$]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\r': '\\r', '\n': '\\n', '\t': '\\t', $: '${dollar}' })[c]!);
  return `"${s}"`;
}

/**
 * The configuration for nginx's stream `return` answering each port with fixed bytes and closing:
 * no parsing, no routing, no log, in C, one worker per CPU. It does not even read the request, so
 * it is the most this machine's kernel and loopback can do, the reference for every other server.
 * Returns the file written and the ports served.
 */
export function writeNginxReturnConf(dir: string, answers: readonly { readonly port: number; readonly bytes: Buffer }[]): { file: string; ports: Set<number> } {
  const fits = answers.filter((a) => a.bytes.length <= MAX_BYTES);
  const servers = fits.map(({ port, bytes }) => {
    const parts: string[] = [];
    for (let at = 0; at < bytes.length; at += PART) parts.push(`    set $p${parts.length} ${quoted(bytes.subarray(at, at + PART))};`);
    return `  server {\n    listen 127.0.0.1:${port} backlog=1024;\n${parts.join('\n')}\n    return "${parts.map((_, i) => `$p${i}`).join('')}";\n  }`;
  });
  const conf = `# written by bench/lib/nginx-return.ts
load_module ${STREAM_MODULE};
daemon off;
worker_processes auto;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'nginx-error.log')};
events { worker_connections 8192; }
stream {
  # geo values are literal: the one way to write a \`$\` into a string nginx expands.
  geo $dollar { default "$"; }
${servers.join('\n')}
}
`;
  const file = path.join(dir, 'nginx-return.conf');
  writeFileSync(file, conf, 'latin1');
  return { file, ports: new Set(fits.map((a) => a.port)) };
}
