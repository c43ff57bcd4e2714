import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/**
 * Whether a request comes from this machine and names it: the peer is a loopback address and the Host
 * header a loopback name (localhost or a name under it, an address of 127.0.0.0/8, [::1]). Development tokens are handed out only to such
 * requests. The peer alone is not enough: a web page the developer visits can have its own host name
 * resolve to 127.0.0.1 (DNS rebinding) and read the gateway's pages as its own, and the Host header
 * then still names that page's site.
 */
export function fromThisMachine(req: IncomingMessage): boolean {
  return isLoopbackAddress(req.socket.remoteAddress) && isLoopbackName(hostName(req.headers.host));
}

function hostName(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) return bracketed[1];
  return host.replace(/:\d+$/, '');
}

function isLoopbackName(name: string | undefined): boolean {
  if (!name) return false;
  const lower = name.toLowerCase().replace(/\.$/, '');
  return lower === 'localhost' || lower.endsWith('.localhost') || (isIP(lower) !== 0 && isLoopbackAddress(lower));
}

function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === '::1' || (isIP(v4) === 4 && v4.startsWith('127.'));
}
