/**
 * Internal vs. internet traffic: a request is internal when its peer address lies in one of the
 * configured CIDR blocks (BARBUCKET_INTERNAL_NETWORKS). Only the socket's address is trusted —
 * never the Host header (a client could name the `-internal` endpoint to dodge the traffic fee).
 */
import { BlockList, isIP } from "node:net";

/** Loopback, RFC 1918 private, link-local and IPv6 unique-local/link-local. */
export const DEFAULT_INTERNAL_NETWORKS: readonly string[] = [
  "127.0.0.0/8",
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "169.254.0.0/16",
  "::1/128",
  "fc00::/7",
  "fe80::/10",
];

export interface NetworkSet {
  contains(address: string): boolean;
}

/** Parses `a.b.c.d/n` or `v6::/n` (a bare address means a single host); throws on anything else. */
export function parseNetworks(cidrs: readonly string[]): NetworkSet {
  const list = new BlockList();
  for (const raw of cidrs) {
    const [address = "", bits, ...rest] = raw.trim().split("/");
    const family = isIP(address);
    const max = family === 4 ? 32 : 128;
    const prefix = bits === undefined ? max : Number(bits);
    if (family === 0 || rest.length > 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > max || (bits !== undefined && !/^\d+$/.test(bits))) {
      throw new Error(`not a CIDR block: ${JSON.stringify(raw)}`);
    }
    list.addSubnet(address, prefix, family === 4 ? "ipv4" : "ipv6");
  }
  // Every request is classified by its peer address, and peers repeat: BlockList.check builds a
  // SocketAddress per call, so answers are remembered per address (the list never changes).
  const known = new Map<string, boolean>();
  return {
    contains(address: string): boolean {
      const cached = known.get(address);
      if (cached !== undefined) return cached;
      const plain = unmapIpv4(address);
      const family = isIP(plain);
      const inside = family !== 0 && list.check(plain, family === 4 ? "ipv4" : "ipv6");
      if (known.size >= 10_000) known.clear();
      known.set(address, inside);
      return inside;
    },
  };
}

/** Dual-stack sockets report IPv4 peers as `::ffff:a.b.c.d`; the IPv4 rules must apply to them. */
function unmapIpv4(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match ? match[1]! : address;
}
