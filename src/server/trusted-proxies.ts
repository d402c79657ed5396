import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * `--trusted-proxy 10.0.0.5,192.168.1.0/24,::1`: the load balancers whose connections start with a
 * PROXY protocol header naming the client. Each entry is an address or a CIDR block, IPv4 or IPv6.
 * Throws a one-line message for an entry that is neither (the CLI makes it a usage error).
 */
export function parseTrustedProxies(v: string): string[] {
  const entries = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (entries.length === 0) throw new Error('expected addresses or CIDR blocks, e.g. 127.0.0.1,10.0.0.0/8');
  for (const e of entries) {
    if (subnetOf(e) === undefined) throw new Error(`${JSON.stringify(e)} is not an IPv4 or IPv6 address or CIDR block (e.g. 10.0.0.0/8)`);
  }
  return entries;
}

function subnetOf(entry: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const slash = entry.indexOf('/');
  const address = slash < 0 ? entry : entry.slice(0, slash);
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) && !address.includes('%') ? 'ipv6' : undefined;
  if (family === undefined) return undefined;
  const max = family === 'ipv4' ? 32 : 128;
  if (slash < 0) return { address, prefix: max, family };
  const bits = entry.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return undefined;
  return { address, prefix: Number(bits), family };
}

/** Is a peer one of them? An IPv4 peer on a dual-stack socket (`::ffff:10.0.0.5`) matches its IPv4 entry. */
export class TrustedProxies {
  private readonly list = new BlockList();

  constructor(entries: readonly string[]) {
    for (const e of entries) {
      const s = subnetOf(e);
      if (s) this.list.addSubnet(s.address, s.prefix, s.family);
    }
  }

  has(address: string | undefined): boolean {
    if (address === undefined) return false;
    return this.list.check(address, isIPv4(address) ? 'ipv4' : 'ipv6');
  }
}
