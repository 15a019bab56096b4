/**
 * Per-listener IP allow-lists (SPEC §4, `allowIps`), checked before the verifier.
 *
 * `X-Forwarded-For` is only believed when the direct peer is a configured trusted
 * proxy; the client is then the right-most address in the header that is not
 * itself a trusted proxy (the left part of the header is written by the client
 * and can say anything). IPv4-mapped IPv6 addresses (`::ffff:203.0.113.5`, as
 * Node reports IPv4 peers on a dual-stack socket) are treated as the IPv4 address.
 */
import { BlockList, isIP } from 'node:net';
import type { FieldError } from '../errors';

export type IpCheckResult = { ok: true } | { ok: false; reason: string };

export interface IpAllowList {
  check(remoteAddress: string, xForwardedFor: string | undefined): IpCheckResult;
  /** The client's address as the trusted proxies report it, else the peer's; undefined when unreadable. */
  clientOf(remoteAddress: string, xForwardedFor: string | undefined): string | undefined;
}

type Family = 'ipv4' | 'ipv6';

interface ParsedAddress {
  address: string;
  family: Family;
}

interface ParsedCidr extends ParsedAddress {
  prefix: number;
}

const MAPPED_DOTTED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;
const MAPPED_HEX = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i;

/** Turns `::ffff:a.b.c.d` and `::ffff:7b7b:7b7b` into `a.b.c.d`; other input unchanged. */
function unmapIpv4(address: string): string {
  const dotted = MAPPED_DOTTED.exec(address);
  if (dotted) return dotted[1]!;
  const hex = MAPPED_HEX.exec(address);
  if (hex) {
    const high = parseInt(hex[1]!, 16);
    const low = parseInt(hex[2]!, 16);
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  }
  return address;
}

/** Parses one address as found in a socket or an `X-Forwarded-For` entry (ports and brackets allowed). */
export function parseAddress(raw: string): ParsedAddress | undefined {
  let value = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  // A zone index (fe80::1%eth0) names an interface, not a different host.
  const zone = value.indexOf('%');
  if (zone !== -1) value = value.slice(0, zone);
  value = unmapIpv4(value);
  const version = isIP(value);
  if (version === 4) return { address: value, family: 'ipv4' };
  if (version === 6) return { address: value, family: 'ipv6' };
  return undefined;
}

/** Parses `203.0.113.0/24`, `2001:db8::/32` or a bare address (a single host). */
export function parseCidr(raw: string): ParsedCidr | { error: string } {
  const text = raw.trim();
  const slash = text.indexOf('/');
  const addressPart = slash === -1 ? text : text.slice(0, slash);
  const prefixPart = slash === -1 ? undefined : text.slice(slash + 1);
  const version = isIP(addressPart);
  if (version === 0) return { error: `"${raw}" is not an IPv4 or IPv6 address or CIDR block` };
  const max = version === 4 ? 32 : 128;
  let prefix = max;
  if (prefixPart !== undefined) {
    if (!/^\d{1,3}$/.test(prefixPart) || Number(prefixPart) > max) {
      return { error: `"${raw}" has an invalid prefix length (0-${max} allowed)` };
    }
    prefix = Number(prefixPart);
  }
  // ::ffff:203.0.113.0/120 is an IPv4 block written in IPv6 notation.
  const unmapped = unmapIpv4(addressPart);
  if (version === 6 && unmapped !== addressPart && prefix >= 96) {
    return { address: unmapped, family: 'ipv4', prefix: prefix - 96 };
  }
  return { address: addressPart, family: version === 4 ? 'ipv4' : 'ipv6', prefix };
}

/**
 * Validates a CIDR list from listener settings (or from config, for trusted
 * proxies). `path` is the JSON pointer of the list, e.g. `/allowIps`.
 */
export function validateCidrList(value: unknown, path = '/allowIps'): FieldError[] {
  if (!Array.isArray(value)) return [{ path, message: 'must be an array of IP addresses or CIDR blocks' }];
  const errors: FieldError[] = [];
  value.forEach((entry, index) => {
    if (typeof entry !== 'string') {
      errors.push({ path: `${path}/${index}`, message: 'must be a string such as 203.0.113.0/24 or 2001:db8::/32' });
      return;
    }
    const parsed = parseCidr(entry);
    if ('error' in parsed) errors.push({ path: `${path}/${index}`, message: parsed.error });
  });
  return errors;
}

function buildBlockList(cidrs: readonly string[], what: string): BlockList {
  const list = new BlockList();
  for (const entry of cidrs) {
    const parsed = parseCidr(entry);
    if ('error' in parsed) throw new Error(`Invalid ${what}: ${parsed.error}`);
    list.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return list;
}

/**
 * Builds the checker once, when the listener is loaded. Throws on an invalid
 * entry: lists are validated when saved (`validateCidrList`), so a bad entry here
 * is a programming fault, not a request fault. An empty `cidrs` allows everyone.
 */
export function createIpAllowList(cidrs: string[], trustedProxies: string[]): IpAllowList {
  const allowed = buildBlockList(cidrs, 'allowIps entry');
  const proxies = buildBlockList(trustedProxies, 'trusted proxy');
  const restricted = cidrs.length > 0;
  const isProxy = (address: ParsedAddress): boolean => proxies.check(address.address, address.family);

  function clientAddress(peer: ParsedAddress, xForwardedFor: string | undefined): ParsedAddress | { error: string } {
    if (!isProxy(peer) || xForwardedFor === undefined || xForwardedFor.trim() === '') return peer;
    const hops = xForwardedFor.split(',');
    let client = peer;
    for (let index = hops.length - 1; index >= 0; index -= 1) {
      const hop = parseAddress(hops[index]!);
      if (!hop) return { error: `X-Forwarded-For entry "${hops[index]!.trim()}" is not an IP address` };
      client = hop;
      if (!isProxy(hop)) return hop;
    }
    // Every hop is a trusted proxy: the left-most one is the closest we get to the client.
    return client;
  }

  return {
    clientOf(remoteAddress, xForwardedFor) {
      const peer = parseAddress(remoteAddress);
      if (!peer) return undefined;
      const client = clientAddress(peer, xForwardedFor);
      return 'error' in client ? peer.address : client.address;
    },
    check(remoteAddress, xForwardedFor) {
      const peer = parseAddress(remoteAddress);
      if (!peer) return { ok: false, reason: `peer address "${remoteAddress}" is not an IP address` };
      const client = clientAddress(peer, xForwardedFor);
      if ('error' in client) return { ok: false, reason: client.error };
      if (!restricted) return { ok: true };
      if (allowed.check(client.address, client.family)) return { ok: true };
      return { ok: false, reason: `client address ${client.address} is not in the listener's allowIps` };
    },
  };
}

/** Whether a peer address is one of `trustedProxies` (HOOKPORT_TRUSTED_PROXIES). Throws on an invalid entry. */
export function createTrustedProxyCheck(trustedProxies: readonly string[]): (peer: string) => boolean {
  const proxies = buildBlockList(trustedProxies, 'trusted proxy');
  return (peer) => {
    const address = parseAddress(peer);
    return address !== undefined && proxies.check(address.address, address.family);
  };
}
