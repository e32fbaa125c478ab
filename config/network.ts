// Small IPv4 helpers for the CIDR rules; inputs are already syntax-checked by the schema.

export function ipToInt(ip: string): number {
  return ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function cidrRange(cidr: string): { first: number; last: number } {
  const [ip = "", bits = "0"] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  const first = Math.floor(ipToInt(ip) / size) * size;
  return { first, last: first + size - 1 };
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = cidrRange(a);
  const y = cidrRange(b);
  return x.first <= y.last && y.first <= x.last;
}

/** True when every address of `inner` lies in `outer`. */
export function cidrInside(outer: string, inner: string): boolean {
  const o = cidrRange(outer);
  const i = cidrRange(inner);
  return i.first >= o.first && i.last <= o.last;
}

export function cidrContains(cidr: string, ip: string): boolean {
  const { first, last } = cidrRange(cidr);
  const value = ipToInt(ip);
  return value >= first && value <= last;
}

/** Kubernetes quantities as plain numbers (CPU in millicores, memory in MiB) for comparisons. */
export function cpuMillis(quantity: string): number {
  return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) : Number(quantity) * 1000;
}

export function memoryMi(quantity: string): number {
  return quantity.endsWith("Gi") ? Number(quantity.slice(0, -2)) * 1024 : Number(quantity.slice(0, -2));
}

export function prefixLength(cidr: string): number {
  return Number(cidr.split("/")[1]);
}

/** Addresses in a CIDR. */
export function cidrSize(cidr: string): number {
  return 2 ** (32 - prefixLength(cidr));
}

/** The CIDR written with its host bits cleared, e.g. 10.20.1.0/16 → 10.20.0.0/16. */
export function canonicalCidr(cidr: string): string {
  const { first } = cidrRange(cidr);
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(first / 2 ** shift) % 256);
  return `${octets.join(".")}/${prefixLength(cidr)}`;
}

/** True when no host bit is set after the prefix. */
export function cidrAligned(cidr: string): boolean {
  return ipToInt(cidr.split("/")[0] ?? "") === cidrRange(cidr).first;
}

/** Private address space: RFC 1918 and the shared range of RFC 6598. */
export const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"] as const;

export function cidrPrivate(cidr: string): boolean {
  return PRIVATE_RANGES.some((range) => cidrInside(range, cidr));
}
