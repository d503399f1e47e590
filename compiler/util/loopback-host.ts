/**
 * Whether a host name or address means this machine only: `localhost` exactly, an IPv4 address in
 * 127.0.0.0/8 (all four parts decimal 0–255), `::1` in any spelling, or an IPv4-mapped
 * `::ffff:127.x.y.z`. The name is parsed rather than matched by prefix: `127.evil.com` and
 * `localhost.evil.com` are names any DNS may resolve elsewhere. Brackets around an IPv6 address
 * (as in a URL's host) are accepted.
 */
import * as net from 'node:net';

export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === 'localhost') return true;
  const family = net.isIP(bare);
  if (family === 4) return bare.split('.')[0] === '127';
  if (family === 6) {
    const blocks = new net.SocketAddress({ address: bare, family: 'ipv6' }).address.toLowerCase();
    if (blocks === '::1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(blocks);
    return mapped !== null && mapped[1]!.split('.')[0] === '127';
  }
  return false;
}
