/** An IPv4 CIDR block parsed into a numeric range. */
export interface Ipv4Range {
  readonly cidr: string;
  readonly first: number;
  readonly last: number;
  readonly prefixLength: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Parses `a.b.c.d/n`. Returns a reason string instead of a range when the text is not a
 * canonical IPv4 CIDR (host bits set counts as malformed: GCP rejects it at apply time).
 */
export function parseIpv4Cidr(cidr: string): Ipv4Range | string {
  const match = CIDR_PATTERN.exec(cidr);
  if (!match) return "is not an IPv4 CIDR block like 10.0.0.0/20";
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((octet) => octet > 255)) return "has an octet above 255";
  if (prefixLength > 32) return "has a prefix length above 32";
  const address = octets.reduce((acc, octet) => acc * 256 + octet, 0);
  const size = 2 ** (32 - prefixLength);
  if (address % size !== 0) {
    const network = address - (address % size);
    return `has host bits set; the network address is ${formatIpv4(network)}/${prefixLength}`;
  }
  return { cidr, first: address, last: address + size - 1, prefixLength };
}

export function rangesOverlap(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.first <= b.last && b.first <= a.last;
}

function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/**
 * The most public (non-RFC 1918) addresses control-plane authorized networks may cover together:
 * a /8, the largest block one organisation holds. Ranges split to dodge a 0.0.0.0/0 check
 * (0.0.0.0/1 and 128.0.0.0/1) exceed it; private ranges are not counted, as only the VPC reaches them.
 */
export const MAX_AUTHORIZED_PUBLIC_ADDRESSES = 2 ** 24;

/** RFC 1918 ranges: reachable only through the VPC, its peerings and VPNs, never from the internet at large. */
export const PRIVATE_RANGES: readonly Ipv4Range[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((cidr) => parseIpv4Cidr(cidr) as Ipv4Range);

/** How many public (non-RFC 1918) addresses the ranges cover together, overlaps counted once. */
export function publicAddressCount(ranges: readonly Ipv4Range[]): number {
  const merged = mergeRanges(ranges);
  const total = merged.reduce((sum, r) => sum + (r.last - r.first + 1), 0);
  const privatePart = merged.reduce((sum, r) => sum + PRIVATE_RANGES.reduce((inner, p) => inner + overlapSize(r, p), 0), 0);
  return total - privatePart;
}

function mergeRanges(ranges: readonly Ipv4Range[]): { first: number; last: number }[] {
  const sorted = [...ranges].sort((a, b) => a.first - b.first);
  const merged: { first: number; last: number }[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last && range.first <= last.last + 1) last.last = Math.max(last.last, range.last);
    else merged.push({ first: range.first, last: range.last });
  }
  return merged;
}

function overlapSize(a: { first: number; last: number }, b: Ipv4Range): number {
  return Math.max(0, Math.min(a.last, b.last) - Math.max(a.first, b.first) + 1);
}
