import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export interface LoadResult {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly ok: number;
  readonly errors: number;
  readonly summary: string;
}

/** Where the C load generator's source lives: beside the project, as the issue names it, or the shared tools. */
export function findGopherloadSource(repo: string): string {
  const candidates = [process.env.GOPHERLOAD_SRC, path.resolve(repo, '../shared/tools/gopherload'), path.resolve(repo, '../../shared/tools/gopherload'), '/work/shared/tools/gopherload'];
  for (const c of candidates) if (c && existsSync(path.join(c, 'gopherload.c'))) return c;
  throw new Error(`gopherload source not found (tried ${candidates.filter(Boolean).join(', ')}); set GOPHERLOAD_SRC`);
}

/** Build gopherload into `buildDir` (never into the shared tools folder or the repository). */
export function buildGopherload(src: string, buildDir: string): string {
  mkdirSync(buildDir, { recursive: true });
  const bin = path.join(buildDir, 'gopherload');
  execFileSync(process.env.CC ?? 'cc', ['-O2', '-Wall', '-Wextra', '-o', bin, path.join(src, 'gopherload.c')], { stdio: 'inherit' });
  return bin;
}

/** One closed-loop run; `expectBytes` makes any answer of another size an error. */
export function runLoad(bin: string, opts: { port: number; conns: number; seconds: number; selector?: string; selectorFile?: string; expectBytes?: number; requests?: number }): Promise<LoadResult> {
  const args = ['-p', String(opts.port), '-c', String(opts.conns), '-d', String(opts.seconds)];
  if (opts.expectBytes !== undefined) args.push('-e', String(opts.expectBytes));
  if (opts.requests !== undefined) args.push('-n', String(opts.requests));
  if (opts.selectorFile) args.push('-f', opts.selectorFile);
  else args.push('-s', (opts.selector ?? '').replace(/\t/g, '\\t'));
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: (opts.seconds + 30) * 1000 }, (err, stdout, stderr) => {
      const m = /rps=(\S+) mbps=\S+ p50_ms=(\S+) p90_ms=\S+ p99_ms=(\S+) max_ms=\S+ ok=(\d+) errors=(\d+)/.exec(stdout);
      if (!m) return reject(new Error(`gopherload ${args.join(' ')}: ${err?.message ?? ''} ${stdout} ${stderr}`));
      resolve({ rps: Number(m[1]), p50: Number(m[2]), p99: Number(m[3]), ok: Number(m[4]), errors: Number(m[5]), summary: stdout.trim().split('\n')[0]! });
    });
  });
}
