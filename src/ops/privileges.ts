import { execFileSync } from 'node:child_process';
import { chownSync, existsSync } from 'node:fs';
import { UsageError } from '../usage-error.js';

/** A group name or number → gid, through the system's own lookup (NSS: files, LDAP, …). */
function lookup(kind: 'user' | 'group', name: string): number {
  if (/^\d+$/.test(name)) return Number(name);
  try {
    const out = execFileSync('getent', [kind === 'user' ? 'passwd' : 'group', name], { encoding: 'utf8' });
    const field = out.split('\n')[0]!.split(':')[kind === 'user' ? 3 : 2];
    if (field !== undefined && /^\d+$/.test(field)) return Number(field);
  } catch {
    // getent exits 2 for an unknown name
  }
  throw new UsageError(`no such ${kind}: ${name}`);
}

/** A problem with --user/--group, or undefined when they name an existing user and group. */
export function checkUserGroup(user?: string, group?: string): string | undefined {
  try {
    if (user !== undefined) lookup('user', user);
    if (group !== undefined) lookup('group', group);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * Files the server keeps writing after it gave up root (the index in its state folder): handed to
 * `user`/`group` first, so that the process can go on writing them. Nothing happens without both unset.
 */
export function handOver(paths: readonly string[], user?: string, group?: string): void {
  if ((user === undefined && group === undefined) || process.getuid?.() !== 0) return;
  // uid and primary gid: fields 3 and 4 of the passwd entry
  const entry = user === undefined ? undefined : /^\d+$/.test(user) ? [user, user] : execFileSync('getent', ['passwd', user], { encoding: 'utf8' }).split(':').slice(2, 4);
  const uid = entry ? Number(entry[0]) : -1;
  const gid = group !== undefined ? lookup('group', group) : entry ? Number(entry[1]) : -1;
  for (const p of paths) if (existsSync(p)) chownSync(p, uid, gid);
}

/** --user/--group without root is a usage error: said before anything is opened. */
export function requireRoot(user?: string, group?: string): void {
  if ((user !== undefined || group !== undefined) && process.getuid?.() !== 0) {
    throw new UsageError('--user/--group need the server to start as root (or leave them out and use cap_net_bind_service)');
  }
}

/**
 * Bind as root, then become `user`/`group` for good: supplementary groups first, then the gid, then
 * the uid (after setuid there is no way back to change the others). Nothing happens without both unset.
 */
export function dropPrivileges(user?: string, group?: string): void {
  if (user === undefined && group === undefined) return;
  requireRoot(user, group);
  // lookup for the user validates the name; its primary group is field 4 of the passwd entry
  const gid = group !== undefined ? lookup('group', group) : lookup('user', user!);
  // process.initgroups exists on POSIX Node but is missing from @types/node 20.
  const initgroups = (process as unknown as { initgroups: (user: string, extraGroup: number) => void }).initgroups;
  if (user !== undefined) initgroups(user, gid);
  else process.setgroups!([gid]);
  process.setgid!(gid);
  if (user !== undefined) process.setuid!(user);
  if (user !== undefined && process.getuid!() === 0 && user !== 'root' && user !== '0') throw new Error(`still root after setuid(${user})`);
}
