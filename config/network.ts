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
