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
