/**
 * The address a request comes from, for the failed-authentication budget: the one budget that
 * exists before anyone is verified, so it can only be keyed on where the request came from.
 *
 * By default that is the TCP peer. `x-forwarded-for` is read only when the operator says which
 * proxies stand in front (`PACTUM_TRUSTED_PROXIES`): otherwise anyone could write a fresh
 * address into it on every request and never spend a budget. With trusted proxies the header is
 * read from the right (the end the nearest proxy appended to) and the first address that is not
 * a trusted proxy is the client; what a client wrote further left is never reached. An entry
 * that is not an address stops the walk at the hop that forwarded it, so a garbled header lands
 * in that proxy's (larger, shared) bucket rather than in a fresh one.
 *
 * An IPv6 client is counted by its /64: one host usually holds a whole /64 and could otherwise
 * take a fresh address, and a fresh budget, for every request.
 */
import net from 'node:net';
import { ConfigError } from '../errors';

/** Which proxies' `x-forwarded-for` is believed (`PACTUM_TRUSTED_PROXIES`). */
export type TrustedProxies =
  /** None: the TCP peer is the client (the default). */
  | { readonly kind: 'none' }
  /** The nearest `hops` peers are proxies, whatever their addresses (a load balancer with changing addresses). */
  | { readonly kind: 'hops'; readonly hops: number }
  /** Peers within these networks are proxies. */
  | { readonly kind: 'networks'; readonly networks: net.BlockList };

const VARIABLE = 'PACTUM_TRUSTED_PROXIES';

/**
 * Parses `PACTUM_TRUSTED_PROXIES`: unset or empty (trust no proxy), a hop count `1`–`9`, or a
 * comma-separated list of addresses and CIDR networks (`10.0.0.0/8, 192.168.1.7, fd00::/8`).
 * Throws {@link ConfigError} naming the variable.
 */
export function parseTrustedProxies(raw: string | undefined): TrustedProxies {
  const text = raw?.trim() ?? '';
  if (text === '') return { kind: 'none' };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops < 1 || hops > 9) throw new ConfigError('bad_option', `${VARIABLE}=${raw}: a hop count must be between 1 and 9`);
    return { kind: 'hops', hops };
  }
  const networks = new net.BlockList();
  for (const entry of text.split(',').map((e) => e.trim())) {
    const [address = '', prefix, extra] = entry.split('/');
    const family = net.isIP(address);
    if (family === 0 || extra !== undefined) throw new ConfigError('bad_option', `${VARIABLE}: "${entry}" is not an IP address or a CIDR network (10.0.0.0/8, fd00::/8)`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) {
      networks.addAddress(address, type);
      continue;
    }
    const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN;
    const max = family === 4 ? 32 : 128;
    if (!(bits >= 1 && bits <= max)) {
      throw new ConfigError('bad_option', `${VARIABLE}: "${entry}": the prefix length must be between 1 and ${max}${bits === 0 ? ' (/0 would trust every address, and so any header a client writes)' : ''}`);
    }
    networks.addSubnet(address, bits, type);
  }
  return { kind: 'networks', networks };
}

/** An address as a bucket key: IPv4 as it is, IPv4-mapped IPv6 as IPv4, other IPv6 as its /64; undefined when not an address. */
export function addressKey(raw: string): string | undefined {
  const address = plainAddress(raw);
  if (address === undefined) return undefined;
  if (net.isIPv4(address)) return address;
  const groups = ipv6Groups(address);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : undefined;
}

/** The client a request is counted for (see the file comment): a bucket key, `unknown` when the peer has no address. */
export function clientAddress(remoteAddress: string | undefined, forwardedFor: string | readonly string[] | undefined, trusted: TrustedProxies): string {
  const peer = remoteAddress === undefined ? undefined : plainAddress(remoteAddress);
  if (peer === undefined) return 'unknown';
  let client = peer;
  if (trusted.kind !== 'none' && trusts(trusted, peer, 0)) {
    const chain = (typeof forwardedFor === 'string' ? [forwardedFor] : (forwardedFor ?? [])).flatMap((h) => h.split(',')).map((e) => e.trim());
    for (let i = chain.length - 1, hop = 1; i >= 0; i--, hop++) {
      const candidate = plainAddress(chain[i] as string);
      if (candidate === undefined) break;
      client = candidate;
      if (!trusts(trusted, candidate, hop)) break;
    }
  }
  return addressKey(client) ?? 'unknown';
}

function trusts(trusted: TrustedProxies, address: string, hop: number): boolean {
  if (trusted.kind === 'hops') return hop < trusted.hops;
  if (trusted.kind === 'networks') return trusted.networks.check(address, net.isIPv4(address) ? 'ipv4' : 'ipv6');
  return false;
}

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** The bare address of a peer or header entry: brackets, port and IPv6 zone dropped, IPv4-mapped IPv6 as IPv4. */
function plainAddress(raw: string): string | undefined {
  let text = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed) text = bracketed[1] as string;
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}$/.test(text)) text = text.slice(0, text.lastIndexOf(':'));
  text = text.replace(/%[\w.-]+$/, '');
  const mapped = MAPPED_V4.exec(text);
  if (mapped) text = mapped[1] as string;
  return net.isIP(text) === 0 ? undefined : text.toLowerCase();
}

/** The eight 16-bit groups of an IPv6 address, lower-case hex without leading zeros. */
function ipv6Groups(address: string): string[] | undefined {
  let text = address;
  const dotted = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const groups = [...left, ...Array.from({ length: tail === undefined ? 0 : missing }, () => '0'), ...right];
  return groups.map((g) => Number.parseInt(g, 16).toString(16));
}
